import { describe, expect, it } from "vitest";
import { createAgent, tool } from "langchain";
import { HumanMessage, SystemMessage, type BaseMessage } from "@langchain/core/messages";
import { InMemoryStore, MemorySaver } from "@langchain/langgraph";
import { z } from "zod";
import { ScriptedChatModel, type ScriptStep } from "../models/scripted-model.js";
import { textOf } from "../models/offline/planner.js";
import { contextBudgetMiddleware } from "./middleware.js";
import { ContextBudgetError } from "./settings.js";
import { ConfigurationError } from "../errors.js";
import { rememberFact } from "./memory.js";
import { isSummaryMessage, SUMMARY_HEADER, type Summarizer } from "./summarizer.js";
import { orphanedToolMessages } from "./steps.js";
import { callTokens, boundToolSchemas } from "./tokens.js";

const GOAL = "Collect the readings of sensors SEN-1001 to SEN-1040 and report the highest.";
const SYSTEM = "You are a careful agent. Use the tools.";

/** A reading whose size the test chooses. */
const readSensor = tool(async ({ sensor_id, size }: { sensor_id: string; size?: number }) => JSON.stringify({ ok: true, data: { sensor_id, reading: 42, log: "entry ".repeat(size ?? 100) } }), {
  name: "read_sensor",
  description: "Read one sensor by id.",
  schema: z.object({ sensor_id: z.string(), size: z.number().optional() }),
});

const read = (n: number, size = 100): ScriptStep => ({ toolCalls: [{ name: "read_sensor", args: { sensor_id: `SEN-${1000 + n}`, size } }] });

function agentWith(model: ScriptedChatModel, budget: number, extra: { summarizer?: Summarizer; store?: InMemoryStore; systemPrompt?: string } = {}) {
  return createAgent({
    model,
    tools: [readSensor],
    systemPrompt: extra.systemPrompt ?? SYSTEM,
    checkpointer: new MemorySaver(),
    middleware: [contextBudgetMiddleware({ agent: "test", systemPrompt: extra.systemPrompt ?? SYSTEM, tools: [readSensor], settings: { budgetTokens: budget, summarizer: "extractive" }, ...(extra.summarizer ? { summarizer: extra.summarizer } : {}), ...(extra.store ? { store: extra.store } : {}) })],
  });
}

const stateOf = async (agent: ReturnType<typeof agentWith>, config: object) =>
  (await agent.getState(config as never)) as unknown as { values: { messages: BaseMessage[]; keelContext?: { compactions: number; restarts: number } } };

describe("contextBudgetMiddleware", () => {
  it("compacts the state as the task grows: every call within the budget, goal first, pairs whole", async () => {
    const model = new ScriptedChatModel([...Array.from({ length: 30 }, (_, i) => read(i)), { text: "SEN-1007 is highest" }]);
    const agent = agentWith(model, 1500);
    const config = { configurable: { thread_id: "m1" }, recursionLimit: 200 };
    await agent.invoke({ messages: [new HumanMessage(GOAL)] }, config);
    for (const call of model.calls) {
      expect(callTokens(undefined, call.messages, boundToolSchemas([readSensor]))).toBeLessThanOrEqual(1500);
      expect(textOf(call.messages[1]!)).toBe(GOAL);
      expect(orphanedToolMessages(call.messages)).toEqual([]);
    }
    const state = await stateOf(agent, config);
    expect(state.values.keelContext?.compactions).toBeGreaterThan(1);
    expect(state.values.keelContext?.restarts).toBe(0);
    expect(state.values.messages.filter(isSummaryMessage)).toHaveLength(1);
  });

  it("restarts from goal + summary when a result alone is over the budget, and records it", async () => {
    const model = new ScriptedChatModel([read(1), read(2, 3000), { text: "done" }]);
    const agent = agentWith(model, 1500);
    const config = { configurable: { thread_id: "m2" } };
    await agent.invoke({ messages: [new HumanMessage(GOAL)] }, config);
    const third = model.calls[2]!.messages;
    expect(third.map((m) => m.getType())).toEqual(["system", "human", "ai"]);
    expect(textOf(third[2]!)).toContain(SUMMARY_HEADER);
    expect(textOf(third[2]!)).toContain("SEN-1002");
    const state = await stateOf(agent, config);
    expect(state.values.keelContext?.restarts).toBe(1);
    // The full history is still in the checkpoint before the restart.
    const history = [];
    for await (const snapshot of agent.graph.getStateHistory(config as never)) history.push(snapshot);
    expect(history.some((s) => (s.values as { messages: BaseMessage[] }).messages.some((m) => textOf(m).length > 10_000))).toBe(true);
  });

  it("fails with an error naming KEEL_CONTEXT_BUDGET_TOKENS when the system prompt, tools and goal alone exceed it", async () => {
    const model = new ScriptedChatModel([{ text: "never" }]);
    const agent = agentWith(model, 500, { systemPrompt: "Rules. ".repeat(400) });
    const error = await agent.invoke({ messages: [new HumanMessage(GOAL)] }, { configurable: { thread_id: "m3" } }).catch((e: unknown) => e);
    // langchain wraps middleware errors; the cause chain ends at ours.
    let root = error;
    while ((root as { cause?: unknown }).cause) root = (root as { cause?: unknown }).cause;
    expect(root).toBeInstanceOf(ContextBudgetError);
    expect(String((root as Error).message)).toContain("KEEL_CONTEXT_BUDGET_TOKENS (500)");
    // The figure named is what cannot be removed: system prompt, tool schemas and goal.
    const floor = Number(String((root as Error).message).match(/take (\d+) tokens/)![1]);
    // (langchain may send the system prompt as content blocks, whose JSON framing is counted too: a few tokens more.)
    const plain = callTokens(new SystemMessage("Rules. ".repeat(400)), [new HumanMessage(GOAL)], boundToolSchemas([readSensor]));
    expect(floor).toBeGreaterThanOrEqual(plain);
    expect(floor).toBeLessThanOrEqual(plain + 12);
    expect(model.calls).toHaveLength(0);
  });

  it("puts the user's remembered facts right after the goal, in every thread of that user only", async () => {
    const store = new InMemoryStore();
    await rememberFact(store, { tenant: "default", userId: "ana" }, "user", "units", "Ana wants readings in Celsius");
    for (const [user, expected] of [["ana", true], ["bo", false]] as const) {
      const model = new ScriptedChatModel([{ text: "ok" }]);
      await agentWith(model, 4000, { store }).invoke({ messages: [new HumanMessage(GOAL)] }, { configurable: { thread_id: `m4-${user}`, user_id: user } });
      const messages = model.calls[0]!.messages;
      expect(messages.some((m) => textOf(m).includes("Celsius"))).toBe(expected);
      if (expected) expect(textOf(messages[2]!)).toContain("Celsius");
    }
  });

  it("refuses a malformed KEEL_CONTEXT_BUDGET_TOKENS when an agent is built, naming it", () => {
    const before = process.env.KEEL_CONTEXT_BUDGET_TOKENS;
    process.env.KEEL_CONTEXT_BUDGET_TOKENS = "8k";
    try {
      expect(() => contextBudgetMiddleware({ agent: "test" })).toThrow(ConfigurationError);
      expect(() => contextBudgetMiddleware({ agent: "test" })).toThrow('KEEL_CONTEXT_BUDGET_TOKENS is "8k"');
    } finally {
      if (before === undefined) delete process.env.KEEL_CONTEXT_BUDGET_TOKENS;
      else process.env.KEEL_CONTEXT_BUDGET_TOKENS = before;
    }
  });

  it("sends remembered facts with their PII redacted, like every other message", async () => {
    const store = new InMemoryStore();
    await rememberFact(store, { tenant: "default", userId: "ana" }, "user", "contact", "Ana's email is ana.lopez@example.com");
    const model = new ScriptedChatModel([{ text: "ok" }]);
    await agentWith(model, 4000, { store }).invoke({ messages: [new HumanMessage(GOAL)] }, { configurable: { thread_id: "m6", user_id: "ana" } });
    const sent = model.calls[0]!.messages.map(textOf).join("\n");
    expect(sent).toMatch(/email is <?[A-Z_]*EMAIL/);
    expect(sent).not.toContain("ana.lopez@example.com");
  });

  it("hands the summarizer only whole steps and uses what it writes", async () => {
    const seen: BaseMessage[][] = [];
    const summarizer: Summarizer = async ({ messages }) => {
      seen.push(messages);
      return `${SUMMARY_HEADER}\n- read ${messages.filter((m) => m.getType() === "tool").length} sensors`;
    };
    const model = new ScriptedChatModel([...Array.from({ length: 12 }, (_, i) => read(i)), { text: "done" }]);
    await agentWith(model, 1500, { summarizer }).invoke({ messages: [new HumanMessage(GOAL)] }, { configurable: { thread_id: "m5" }, recursionLimit: 100 });
    expect(seen.length).toBeGreaterThan(0);
    for (const batch of seen) expect(orphanedToolMessages(batch)).toEqual([]);
    expect(model.calls.at(-1)!.messages.some((m) => /- read \d+ sensors/.test(textOf(m)))).toBe(true);
  });
});
