/**
 * The cost governor's ladder in a real langchain agent: under budget the call runs and its cost is on the step;
 * over budget it compresses the context, then moves to the fast tier, then asks a human (interrupt of type
 * "budget") or stops with a message naming the budget. Spend is recorded in the spend database.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createAgent, tool } from "langchain";
import { Command, MemorySaver } from "@langchain/langgraph";
import { AIMessage, HumanMessage, ToolMessage, type BaseMessage } from "@langchain/core/messages";
import type { ChatResult } from "@langchain/core/outputs";
import { z } from "zod";
import { ScriptedChatModel, type ScriptStep } from "../src/models/scripted-model.js";
import { costGovernorMiddleware } from "../src/cost/governor-middleware.js";
import { BudgetExceededError, budgetStopOf, CostGovernor, type CallCost } from "../src/cost/governor.js";
import { compressSteps } from "../src/cost/compress.js";
import { countPromptTokens } from "../src/cost/tokens.js";
import { auditOverruns, recordSpend, spendDb, spendTotals } from "../src/cost/spend-store.js";

/** A scripted model with a name and a price: it reports the prompt's tiktoken count and 40 output tokens. */
class PricedModel extends ScriptedChatModel {
  constructor(
    readonly model: string,
    script: ScriptStep[],
  ) {
    super(script);
  }
  override async _generate(messages: BaseMessage[], options: this["ParsedCallOptions"]): Promise<ChatResult> {
    const result = await super._generate(messages, options);
    const message = result.generations[0]!.message as AIMessage;
    const input = countPromptTokens(messages);
    message.usage_metadata = { input_tokens: input, output_tokens: 40, total_tokens: input + 40 };
    message.response_metadata = { model_name: this.model };
    return result;
  }
}

// USD per million tokens: "big" is 100x "small".
const PRICES = { big: { input: 1000, output: 1000 }, small: { input: 10, output: 10 } };
const lookup = tool(async ({ id }: { id: string }) => `Record ${id}: ${"details ".repeat(150)}`, {
  name: "lookup",
  description: "Look a record up by id.",
  schema: z.object({ id: z.string() }),
});

let governor: CostGovernor;
let thread = 0;
const env = { ...process.env };

beforeEach(() => {
  process.env.KEEL_PRICES = JSON.stringify(PRICES);
  setBudgets({ default: { request: 1000 } }); // estimates below use the same expected output tokens (40)
  governor = new CostGovernor();
  thread += 1;
});
afterEach(() => {
  process.env = { ...env };
});

function setBudgets(budgets: object) {
  process.env.KEEL_BUDGETS = JSON.stringify({ expectedOutputTokens: 40, ...budgets });
}

function agentWith(big: ScriptedChatModel, small?: ScriptedChatModel) {
  return createAgent({
    model: big,
    tools: [lookup],
    middleware: [costGovernorMiddleware({ agent: "finance", fastModel: () => small, governor: () => governor })],
    checkpointer: new MemorySaver(),
  });
}

const config = (extra: Record<string, unknown> = {}) => ({ configurable: { thread_id: `gov-${thread}`, request_id: `req-${thread}`, tenant_id: "acme", ...extra } });

/** A conversation with three completed lookups and a new question: compressible. */
function longHistory(): BaseMessage[] {
  const messages: BaseMessage[] = [new HumanMessage("Check records R1, R2 and R3.")];
  for (const id of ["R1", "R2", "R3"]) {
    messages.push(new AIMessage({ content: "", tool_calls: [{ id: `call_${id}`, name: "lookup", args: { id }, type: "tool_call" }] }));
    messages.push(new ToolMessage({ content: `Record ${id}: ${"details ".repeat(300)}`, tool_call_id: `call_${id}`, name: "lookup" }));
  }
  messages.push(new AIMessage("All three are fine."));
  messages.push(new HumanMessage("And what about R4?"));
  return messages;
}

function costOf(messages: BaseMessage[]): CallCost & { ladder: string[]; approved: boolean } {
  const last = [...messages].reverse().find((m) => m.getType() === "ai")!;
  return (last.response_metadata as { keel_cost: CallCost & { ladder: string[]; approved: boolean } }).keel_cost;
}

const estimateUsd = (model: string, messages: BaseMessage[]) => governor.estimate(model, messages, [lookup]).usd!;

describe("cost governor ladder", () => {
  it("under budget: runs the call, puts its cost on the step and records the spend by request, thread and tenant", async () => {
    setBudgets({ default: { request: 10, thread: 10, tenant: 100 } });
    const big = new PricedModel("big", [{ text: "R4 is fine." }]);
    const out = await agentWith(big).invoke({ messages: [new HumanMessage("Is R4 fine?")] }, config());
    const cost = costOf(out.messages);
    const input = countPromptTokens([new HumanMessage("Is R4 fine?")]);
    expect(cost).toMatchObject({ model: "big", inputTokens: input, outputTokens: 40, cached: false, ladder: [], approved: false });
    expect(cost.costUsd).toBeCloseTo(((input + 40) * 1000) / 1e6, 12);
    const row = spendDb().prepare("SELECT * FROM model_spend WHERE request_id = ?").get(`req-${thread}`) as Record<string, unknown>;
    expect(row).toMatchObject({ thread_id: `gov-${thread}`, tenant_id: "acme", agent: "finance", node: "model_request", model: "big", input_tokens: input, output_tokens: 40 });
    expect(spendTotals("thread", `gov-${thread}`).costUsd).toBeCloseTo(cost.costUsd!, 12);
    expect(governor.stats).toMatchObject({ admitted: 1, stopped: 0, overruns: 0 });
  });

  it("rung 1: compresses older completed steps when that is enough, keeping call/result pairs whole", async () => {
    const history = longHistory();
    const full = estimateUsd("big", history);
    const compressed = estimateUsd("big", compressSteps(history));
    expect(compressed).toBeLessThan(full);
    setBudgets({ default: { request: (full + compressed) / 2 } });
    const big = new PricedModel("big", [{ text: "R4 is fine." }]);
    const out = await agentWith(big).invoke({ messages: history }, config());
    expect(costOf(out.messages).ladder).toEqual(["compress"]);
    const seen = big.calls[0]!.messages;
    expect(seen.some((m) => String(m.content).startsWith("Earlier steps, shortened to stay within budget"))).toBe(true);
    // Every tool message the model saw follows the AI message that called it.
    const asked = new Set<string>();
    for (const m of seen) {
      for (const c of (m as AIMessage).tool_calls ?? []) asked.add(c.id!);
      if (m.getType() === "tool") expect(asked.has((m as ToolMessage).tool_call_id)).toBe(true);
    }
    expect(governor.stats).toMatchObject({ compressed: 1, downgraded: 0, stopped: 0, overruns: 0 });
    expect(spendTotals("request", `req-${thread}`).costUsd).toBeLessThanOrEqual((full + compressed) / 2);
  });

  it("rung 2: moves the call to the fast tier when compressing is not enough", async () => {
    const request = [new HumanMessage("Is R4 fine?")];
    const onBig = estimateUsd("big", request);
    const onSmall = estimateUsd("small", request);
    setBudgets({ default: { thread: (onBig + onSmall) / 2 } });
    const big = new PricedModel("big", []);
    const small = new PricedModel("small", [{ text: "R4 is fine." }]);
    const out = await agentWith(big, small).invoke({ messages: request }, config());
    expect(big.calls).toHaveLength(0);
    expect(small.calls).toHaveLength(1);
    expect(costOf(out.messages)).toMatchObject({ model: "small", ladder: ["fast_tier"] });
    expect(governor.stats).toMatchObject({ downgraded: 1, stopped: 0, overruns: 0 });
  });

  it("rung 3 (stop): refuses the call with a message naming the budget, and calls no model", async () => {
    setBudgets({ default: { request: 0.000001 } });
    const big = new PricedModel("big", []);
    const small = new PricedModel("small", []);
    const run = agentWith(big, small).invoke({ messages: [new HumanMessage("Is R4 fine?")] }, config());
    await expect(run).rejects.toSatisfy((e) => budgetStopOf(e) instanceof BudgetExceededError);
    await expect(agentWith(big, small).invoke({ messages: [new HumanMessage("Is R4 fine?")] }, config())).rejects.toThrow(/request budget of \$0\.0000 for request req-\d+/);
    expect(big.calls.length + small.calls.length).toBe(0);
    expect(spendTotals("request", `req-${thread}`).modelCalls).toBe(0);
    expect(governor.stats.stopped).toBe(2);
  });

  it.each([
    ["approve", true],
    ["reject", false],
  ])("rung 3 (approval): pauses with a budget interrupt; %s", async (decision, proceeds) => {
    setBudgets({ default: { tenant: 0.000001 }, onExceeded: "approve" });
    const big = new PricedModel("big", [{ text: "R4 is fine." }]);
    const agent = agentWith(big);
    const first = await agent.invoke({ messages: [new HumanMessage("Is R4 fine?")] }, config());
    const pause = (first as { __interrupt__?: { value: { type: string; breach: { scope: string }; description: string } }[] }).__interrupt__?.[0];
    expect(pause?.value).toMatchObject({ type: "budget", breach: { scope: "tenant" } });
    expect(pause?.value.description).toMatch(/^Over budget: the next finance model call \(big/);
    expect(big.calls).toHaveLength(0);
    const resumed = agent.invoke(new Command({ resume: { decision } }), config());
    if (proceeds) {
      const out = await resumed;
      expect(costOf(out.messages)).toMatchObject({ model: "big", approved: true });
      expect(spendDb().prepare("SELECT approved FROM model_spend WHERE request_id = ?").pluck().get(`req-${thread}`)).toBe(1);
    } else {
      await expect(resumed).rejects.toThrow(/was rejected by a human/);
      expect(big.calls).toHaveLength(0);
    }
    expect(governor.stats.overruns).toBe(0);
  });

  it("a budget is never exceeded by more than one call's estimate over a long tool loop", async () => {
    const budget = 3;
    setBudgets({ default: { thread: budget } });
    // The model keeps asking for records; each call's prompt grows with the results.
    const big = new PricedModel("big", Array.from({ length: 40 }, (_, i) => ({ toolCalls: [{ name: "lookup", args: { id: `R${i}` } }] })));
    const run = agentWith(big).invoke({ messages: [new HumanMessage("Check every record.")] }, { ...config(), recursionLimit: 200 });
    await expect(run).rejects.toThrow(/thread budget/);
    const spent = spendTotals("thread", `gov-${thread}`);
    expect(spent.modelCalls).toBeGreaterThan(1);
    expect(spent.costUsd).toBeLessThanOrEqual(budget);
    expect(governor.stats.overruns).toBe(0);
  });
});

describe("reservations", () => {
  it("calls in flight hold their estimate, so parallel calls cannot overshoot together; spend survives a new governor", () => {
    setBudgets({ default: { request: 1 } });
    const scope = { requestId: `par-${thread}`, threadId: `par-${thread}`, tenantId: "default", agent: "finance", node: "model_request" };
    const estimate = { model: "big", inputTokens: 500, outputTokens: 100, usd: 0.6 };
    expect(governor.breach(scope, estimate)).toBeUndefined();
    const first = governor.reserve(scope, estimate);
    expect(governor.breach(scope, estimate)).toMatchObject({ scope: "request", spentUsd: 0.6, budgetUsd: 1 });
    governor.settle(first, { model: "big", inputTokens: 500, outputTokens: 100, cached: false });
    // A fresh governor (a restarted process) sees the recorded spend.
    expect(new CostGovernor().breach(scope, estimate)).toMatchObject({ scope: "request", spentUsd: 0.6 });
  });
});

describe("tenant budget windows", () => {
  it.each([
    ["month", "2026-10-31T23:59:00Z", false],
    ["month", "2026-11-01T00:00:00Z", true],
    ["day", "2026-11-20T12:00:00Z", false],
    ["total", "2020-01-01T00:00:00Z", true],
  ] as const)("a tenant budget per %s counts spend recorded at %s: %s", (period, at, counts) => {
    vi.useFakeTimers({ now: new Date("2026-11-21T10:00:00Z"), toFake: ["Date"] });
    try {
      setBudgets({ default: { tenant: 1 }, tenantPeriod: period });
      const tenantId = `win-${thread}`;
      const scope = { requestId: `w-${thread}`, threadId: `w-${thread}`, tenantId, agent: "meta", node: "route" };
      recordSpend({ ...scope, model: "big", inputTokens: 0, outputTokens: 0, costUsd: 0.9, cached: false, approved: false }, new Date(at));
      const breach = governor.breach(scope, { model: "big", inputTokens: 0, outputTokens: 0, usd: 0.2 });
      expect(breach !== undefined).toBe(counts);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe("overrun audit of the spend records", () => {
  it("finds a call that took a scope past its budget by more than its estimate, and none of the governed calls", async () => {
    setBudgets({ default: { thread: 3 } });
    const big = new PricedModel("big", Array.from({ length: 40 }, (_, i) => ({ toolCalls: [{ name: "lookup", args: { id: `R${i}` } }] })));
    await expect(agentWith(big).invoke({ messages: [new HumanMessage("Check every record.")] }, { ...config(), recursionLimit: 200 })).rejects.toThrow(/thread budget/);
    const threadBudget = (scope: string, id: string) => (scope === "thread" && id.startsWith("aud-") ? 3 : scope === "thread" && id === `gov-${thread}` ? 3 : undefined);
    expect(auditOverruns(threadBudget)).toEqual([]);
    // A call that cost far more than its estimate (what the governor cannot prevent), recorded by hand.
    const scope = { requestId: `aud-${thread}`, threadId: `aud-${thread}`, tenantId: "acme", agent: "finance", node: "model_request", model: "big" };
    recordSpend({ ...scope, inputTokens: 0, outputTokens: 0, costUsd: 2.5, cached: false, approved: false, estimateUsd: 2.5 });
    recordSpend({ ...scope, inputTokens: 0, outputTokens: 0, costUsd: 1.5, cached: false, approved: false, estimateUsd: 0.4 });
    expect(auditOverruns(threadBudget)).toEqual([{ scope: "thread", id: `aud-${thread}`, budgetUsd: 3, spentUsd: 4, estimateUsd: 0.4 }]);
  });
});

describe("budgetStopOf", () => {
  it.each([
    ["as it is", (e: Error) => e],
    ["wrapped in causes", (e: Error) => new Error("outer", { cause: new Error("middle", { cause: e }) })],
    ["gathered with other errors", (e: Error) => new AggregateError([new Error("other"), new Error("wrapped", { cause: e })], "Multiple errors")],
  ])("finds the stop %s", (_how, wrap) => {
    const stop = new BudgetExceededError({ scope: "thread", id: "t", budgetUsd: 1, spentUsd: 1, estimateUsd: 0.1 }, "big");
    expect(budgetStopOf(wrap(stop))).toBe(stop);
    expect(budgetStopOf(wrap(new Error("not a budget")))).toBeUndefined();
  });
});
