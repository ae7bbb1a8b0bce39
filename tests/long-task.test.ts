/**
 * A long task through the real finance agent (every middleware, the real tools over the seeded database): a
 * scripted model calls a lookup tool 200 times, each result a few hundred tokens, then finishes. Every model call
 * must fit the context budget (system prompt, messages and bound tool schemas counted), carry the goal text, and
 * hold no orphaned tool message; the history is compacted as it goes and the tool calls folded away become
 * thread facts in the memory store.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HumanMessage, type AIMessage, type BaseMessage } from "@langchain/core/messages";
import { OfflineChatModel } from "../src/models/offline/offline-chat-model.js";
import { InMemoryStore, MemorySaver } from "@langchain/langgraph";
import { convertToOpenAITool } from "@langchain/core/utils/function_calling";
import type { BindToolsInput } from "@langchain/core/language_models/chat_models";
import { createTaskAgent } from "../graphs/agents/task-agent.js";
import { financeSpec } from "../graphs/agents/finance.js";
import { ScriptedChatModel, type ScriptStep } from "../src/models/scripted-model.js";
import { countPromptTokens } from "../src/cost/tokens.js";
import { textOf } from "../src/models/offline/planner.js";
import { orphanedToolMessages, unansweredToolCalls } from "../src/context/steps.js";
import { recallFacts } from "../src/context/memory.js";
import { isSummaryMessage } from "../src/context/summarizer.js";
import { companyDb } from "../src/db/index.js";

const BUDGET = 6000;
const STEPS = 200;
const GOAL =
  "Audit every invoice of customer CUS-1042 one at a time and list any that look wrong. Constraint: never void an invoice or issue a refund; report only.";

/** A scripted model that also records the tools bound to each call, as the provider would receive them. */
class RecordingModel extends ScriptedChatModel {
  readonly boundTools: BindToolsInput[][] = [];
  override async _generate(messages: BaseMessage[], options: this["ParsedCallOptions"]) {
    this.boundTools.push(options.tools ?? []);
    return super._generate(messages, options);
  }
}

/** The offline model, recording the tools it calls. */
class CallCountingOfflineModel extends OfflineChatModel {
  readonly toolCalls: string[] = [];
  override async _generate(messages: BaseMessage[], options: this["ParsedCallOptions"]) {
    const result = await super._generate(messages, options);
    for (const generation of result.generations) this.toolCalls.push(...((generation.message as AIMessage).tool_calls ?? []).map((c) => c.name));
    return result;
  }
}

/** The tool schemas as OpenAI receives them (`function` objects): counted independently of the middleware's own code. */
function providerSchemas(tools: BindToolsInput[]): unknown[] {
  return tools.map((tool) => {
    const fn = convertToOpenAITool(tool as never).function;
    return { name: fn.name, description: fn.description ?? "", parameters: fn.parameters ?? {} };
  });
}

let invoiceIds: string[] = [];
const saved = { budget: process.env.KEEL_CONTEXT_BUDGET_TOKENS, selection: process.env.KEEL_TOOL_SELECTION };

beforeAll(() => {
  process.env.KEEL_CONTEXT_BUDGET_TOKENS = String(BUDGET);
  // Every finance tool bound at every call: the most schema tokens the budget must absorb (and no index to build).
  process.env.KEEL_TOOL_SELECTION = "all";
  invoiceIds = (companyDb().sql.prepare("SELECT id FROM invoices ORDER BY id LIMIT 40").all() as { id: string }[]).map((r) => r.id);
});
afterAll(() => {
  for (const [name, value] of [["KEEL_CONTEXT_BUDGET_TOKENS", saved.budget], ["KEEL_TOOL_SELECTION", saved.selection]] as const) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

describe("a 200-step task", () => {
  it("stays under the context budget at every model call, with the goal in each and no orphaned tool message", async () => {
    // Alternate a list (large result) with single lookups of different invoices.
    const script: ScriptStep[] = Array.from({ length: STEPS }, (_, i) =>
      i % 2 === 0
        ? { toolCalls: [{ name: "list_invoices", args: { customer_id: "CUS-1042" } }] }
        : { toolCalls: [{ name: "get_invoice", args: { invoice_id: invoiceIds[i % invoiceIds.length]! } }] },
    );
    script.push({ toolCalls: [{ name: "task_result", args: { outcome: "completed", answer: "audited", evidence: ["CUS-1042"], confidence: 0.8, needs_human_review: false } }] });
    const model = new RecordingModel(script);
    const store = new InMemoryStore();
    const agent = createTaskAgent(financeSpec, { model, checkpointer: new MemorySaver() });
    const config = { configurable: { thread_id: "long-task-1", user_id: "auditor" }, store, recursionLimit: 4 * STEPS + 50 };

    const out = await agent.invoke({ messages: [new HumanMessage(GOAL)] }, config);

    expect(model.calls).toHaveLength(STEPS + 1);
    expect(out.structuredResponse?.answer).toBe("audited");
    // Each call after the first sees one new tool result last: together they are many times the budget.
    const rawResults = model.calls.slice(1).reduce((n, call) => n + countPromptTokens([call.messages[call.messages.length - 1]!]), 0);
    expect(rawResults).toBeGreaterThan(BUDGET * 10);
    let largestCall = 0;
    for (const [i, call] of model.calls.entries()) {
      const tokens = countPromptTokens(call.messages, providerSchemas(model.boundTools[i]!));
      largestCall = Math.max(largestCall, tokens);
      expect(tokens, `call ${i}`).toBeLessThanOrEqual(BUDGET);
      expect(call.messages[0]!.getType(), `call ${i}`).toBe("system");
      expect(call.messages.some((m) => m.getType() === "human" && textOf(m).includes(GOAL)), `call ${i}`).toBe(true);
      expect(orphanedToolMessages(call.messages), `call ${i}`).toEqual([]);
      expect(unansweredToolCalls(call.messages), `call ${i}`).toEqual([]);
    }
    // ...and the calls came close to the budget, so the check above had something to hold back.
    expect(largestCall).toBeGreaterThan(BUDGET * 0.5);

    const state = (await agent.getState(config)) as unknown as { values: { keelContext: unknown; messages: BaseMessage[] } };
    const context = state.values.keelContext as { compactions: number; restarts: number; summarizedMessages: number };
    expect(context.compactions).toBeGreaterThan(3);
    expect(context.summarizedMessages).toBeGreaterThan(STEPS);
    expect(state.values.messages.filter(isSummaryMessage)).toHaveLength(1);

    // The last call still knows, through the summary and memory, about the first invoices looked up.
    const lastCall = model.calls[model.calls.length - 1]!.messages.map(textOf).join("\n");
    expect(lastCall).toContain("get_invoice");
    const facts = await recallFacts(store, { tenant: "default", threadId: "long-task-1" });
    expect(facts.map((f) => f.text).join("\n")).toContain(invoiceIds[1]!);
    expect(facts.every((f) => f.kind === "thread")).toBe(true);
  }, 180_000);

  it("lets the offline model finish a task whose results overflow the budget: compacted, each tool called once, evidence kept", async () => {
    const before = process.env.KEEL_CONTEXT_BUDGET_TOKENS;
    process.env.KEEL_CONTEXT_BUDGET_TOKENS = "3600";
    try {
      const model = new CallCountingOfflineModel({});
      const agent = createTaskAgent(financeSpec, { model, checkpointer: new MemorySaver() });
      const config = { configurable: { thread_id: "long-task-offline" } };
      const out = await agent.invoke({ messages: [new HumanMessage("why was customer CUS-1042 charged twice? Also list the invoices of CUS-1042")] }, config);
      const state = (await agent.getState(config)) as unknown as { values: { keelContext?: { compactions: number } } };
      expect(state.values.keelContext?.compactions).toBeGreaterThan(0);
      const workCalls = model.toolCalls.filter((name) => name !== "task_result");
      expect(workCalls.length).toBeGreaterThan(1);
      expect(new Set(workCalls).size).toBe(workCalls.length);
      expect(out.structuredResponse?.evidence).toContain("PAY-31043");
      expect(model.toolCalls.at(-1)).toBe("task_result");
    } finally {
      process.env.KEEL_CONTEXT_BUDGET_TOKENS = before;
    }
  });
});
