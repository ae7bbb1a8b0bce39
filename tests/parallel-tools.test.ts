/**
 * Independent tool calls of one model step run concurrently: a task agent's tool node (langchain's createAgent)
 * starts every call of the step before any has finished. Two slow read tools, called in one step by a scripted
 * model through the real agent (selection, least privilege, approvals, PII, spotlighting middleware).
 */
import { describe, it, expect } from "vitest";
import { z } from "zod";
import { defineTool } from "../src/toolkit/define-tool.js";
import { createTaskAgent } from "../graphs/agents/task-agent.js";
import { financeSpec } from "../graphs/agents/finance.js";
import { ScriptedChatModel } from "../src/models/scripted-model.js";

const DELAY_MS = 300;
const intervals: Record<string, { start: number; end: number }> = {};

const slowRead = (name: string) =>
  defineTool({
    name,
    description: `Slow read-only lookup ${name} (test tool).`,
    schema: z.object({ customer_id: z.string().describe("Customer id") }),
    metadata: { domain: "finance", sideEffect: "read", idempotent: true, scopes: ["finance:read"] },
    run: async ({ customer_id }) => {
      const start = performance.now();
      await new Promise((resolve) => setTimeout(resolve, DELAY_MS));
      intervals[name] = { start, end: performance.now() };
      return { customer_id, looked_up_by: name };
    },
  });

describe("parallel tool calls", () => {
  it("runs the independent calls of one step concurrently", async () => {
    const model = new ScriptedChatModel([
      { toolCalls: [{ name: "slow_balance", args: { customer_id: "CUS-1042" } }, { name: "slow_history", args: { customer_id: "CUS-1042" } }] },
      { toolCalls: [{ name: "task_result", args: { outcome: "completed", answer: "Both looked up.", evidence: ["CUS-1042"], confidence: 0.9, needs_human_review: false } }] },
    ]);
    // Bind every tool: what is measured here is the tool node, not retrieval (which would embed the catalogue first).
    process.env.KEEL_TOOL_SELECTION = "all";
    const agent = createTaskAgent(financeSpec, { model, extraTools: [slowRead("slow_balance"), slowRead("slow_history")] });
    delete process.env.KEEL_TOOL_SELECTION;
    const output = await agent.invoke({ messages: [{ role: "user", content: "Balance and history of CUS-1042" }] });

    const toolMessages = output.messages.filter((m) => m.getType() === "tool" && m.name?.startsWith("slow_"));
    expect(toolMessages.map((m) => m.name).sort()).toEqual(["slow_balance", "slow_history"]);
    const { slow_balance: a, slow_history: b } = intervals;
    // Each started before the other finished: they overlapped.
    expect(a!.start).toBeLessThan(b!.end);
    expect(b!.start).toBeLessThan(a!.end);
    // One delay, not two, for the step (sequential would take at least 2 x DELAY_MS).
    expect(Math.max(a!.end, b!.end) - Math.min(a!.start, b!.start)).toBeLessThan(2 * DELAY_MS);
    expect(model.calls).toHaveLength(2);
  });
});
