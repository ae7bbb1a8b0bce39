/**
 * Escalation: results that need a human go to a review interrupt before the user sees them, and a structured
 * result that does not validate gets one repair attempt, then escalates.
 */
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { MemorySaver } from "@langchain/langgraph";
import { HumanMessage } from "@langchain/core/messages";
import { createKeelApp, type KeelApp } from "../graphs/app.js";
import { reviewReason } from "../graphs/meta/review.js";
import type { AgentReport } from "../graphs/meta/merge.js";
import { createTaskAgent } from "../graphs/agents/task-agent.js";
import { shippingSpec } from "../graphs/agents/shipping.js";
import { ScriptedChatModel } from "../src/models/scripted-model.js";
import { InvalidResumeError } from "../src/errors.js";

const base: AgentReport = { route: "support", outcome: "completed", answer: "Ticket TCK-5042 is open.", evidence: ["TCK-5042"], confidence: 0.9, needs_human_review: false, tools: [] };

describe("reviewReason", () => {
  it.each([
    [{}, undefined],
    [{ needs_human_review: true }, /flagged/],
    [{ confidence: 0.3 }, /low confidence/],
    [{ confidence: 0.3, outcome: "needs_input" as const }, undefined],
    [{ answer: "Under our refund policy you are entitled to a full refund." }, /without citing/],
    [{ answer: "Under our refund policy you are entitled to a full refund.", evidence: ["KB-001"] }, undefined],
    [{ answer: "No knowledge-base article covers this question, so I cannot state a policy for it." }, undefined],
  ])("%j -> %s", (patch, expected) => {
    const reason = reviewReason({ ...base, ...patch });
    if (expected === undefined) expect(reason).toBeUndefined();
    else expect(reason).toMatch(expected);
  });
});

describe("review interrupt in the meta graph", () => {
  let app: KeelApp;
  beforeAll(async () => {
    app = await createKeelApp({ checkpointer: new MemorySaver() });
  });
  afterAll(async () => app.close());

  it("a failed action's result waits for review; an invalid decision is refused; an edit goes out", async () => {
    // Cancelling a shipped order: approved, then the tool refuses (invalid state), so the result is flagged.
    const first = await app.run("Cancel order ORD-10233");
    expect(first.approvals[0]).toMatchObject({ kind: "action", tool: "cancel_order" });
    const reviewed = await app.resume(first.threadId, { decision: "approve" });
    expect(reviewed.status).toBe("needs_approval");
    expect(reviewed.approvals[0]).toMatchObject({ kind: "review", tool: "review:shipping" });
    await expect(app.resume(first.threadId, { decision: "edit", args: {} })).rejects.toThrow(InvalidResumeError);
    expect((await app.pendingApprovals(first.threadId))[0]?.kind).toBe("review");
    const done = await app.resume(first.threadId, { decision: "edit", args: { answer: "ORD-10233 has shipped and cannot be cancelled; we opened a carrier claim." } });
    expect(done.status).toBe("answered");
    expect(done.answer).toContain("we opened a carrier claim");
  });

  it("a rejected review holds the answer back", async () => {
    const first = await app.run("Cancel order ORD-10233");
    const reviewed = await app.resume(first.threadId, { decision: "approve" });
    const done = await app.resume(reviewed.threadId, { decision: "reject", reason: "needs a supervisor" });
    expect(done.answer).toMatch(/held this answer back \(needs a supervisor\)/);
  });
});

describe("structured output repair", () => {
  it("gives the model one repair attempt, then ends without a result for escalation", async () => {
    const invalid = { toolCalls: [{ name: "task_result", args: { outcome: "done-ish", answer: 42 } }] };
    const model = new ScriptedChatModel([invalid, invalid, invalid, invalid]);
    const agent = createTaskAgent(shippingSpec, { model });
    const out = await agent.invoke({ messages: [new HumanMessage("where is ORD-10233?")] });
    expect(model.calls).toHaveLength(2);
    expect(out.structuredResponse).toBeUndefined();
    expect(String(out.messages.at(-1)?.content)).toMatch(/escalating to a human/);
  });
});
