/**
 * Remembered facts through the app: a user fact saved in the app's memory store reaches that user's task agent,
 * right after the goal, in a new thread; another user's run does not see it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InMemoryStore, MemorySaver } from "@langchain/langgraph";
import { createKeelApp } from "../graphs/app.js";
import { TASK_AGENT_GRAPHS } from "../graphs/agents/index.js";
import { createTaskAgent } from "../graphs/agents/task-agent.js";
import { financeSpec } from "../graphs/agents/finance.js";
import { ScriptedChatModel, type ScriptStep } from "../src/models/scripted-model.js";
import { textOf } from "../src/models/offline/planner.js";
import { rememberFact } from "../src/context/memory.js";

const FINISH: ScriptStep = { toolCalls: [{ name: "task_result", args: { outcome: "completed", answer: "checked", evidence: ["CUS-1042"], confidence: 0.9, needs_human_review: false } }] };

// Each run must reach the agent (no answer from the semantic cache); every tool bound (no tool index to build).
const saved = { cache: process.env.KEEL_SEMANTIC_CACHE, selection: process.env.KEEL_TOOL_SELECTION };
beforeAll(() => {
  process.env.KEEL_SEMANTIC_CACHE = "off";
  process.env.KEEL_TOOL_SELECTION = "all";
});
afterAll(() => {
  for (const [name, value] of [["KEEL_SEMANTIC_CACHE", saved.cache], ["KEEL_TOOL_SELECTION", saved.selection]] as const) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

describe("remembered facts in the app", () => {
  it("gives a user's facts to that user's agents in any thread, and to no one else", async () => {
    const memoryStore = new InMemoryStore();
    await rememberFact(memoryStore, { tenant: "default", userId: "ana@acme.test" }, "user", "currency", "Ana wants amounts in euros");
    const model = new ScriptedChatModel([FINISH, FINISH]);
    const app = await createKeelApp({
      memoryStore,
      checkpointer: new MemorySaver(),
      agents: { ...TASK_AGENT_GRAPHS, finance: createTaskAgent(financeSpec, { model }) },
    });
    try {
      await app.run("why was customer CUS-1042 charged twice?", { userId: "ana@acme.test" });
      await app.run("show the duplicate payments of customer CUS-1042", { userId: "bo@acme.test" });
    } finally {
      await app.close();
    }
    expect(model.calls).toHaveLength(2);
    const [ana, bo] = model.calls.map((c) => c.messages.map(textOf));
    const goalAt = ana!.findIndex((t) => t.includes("charged twice"));
    // (The name goes to the model as a PII placeholder, like every name.)
    expect(ana![goalAt + 1]).toContain("wants amounts in euros");
    expect(bo!.join("\n")).not.toContain("euros");
  });
});
