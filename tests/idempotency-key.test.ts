/**
 * The idempotency key of a write tool call names the thread, the checkpoint (through the task ids in the
 * checkpoint namespace, which LangGraph derives from the checkpoint a task runs from) and the tool call id.
 * So a later turn of the same conversation acts again even when the model repeats a tool call id, while a retry
 * or a resume of the same call returns the recorded result (tools/shared/idempotency.test.ts,
 * src/reliability/tool-policy.test.ts, tests/crash-recovery.test.ts).
 */
import { describe, expect, it } from "vitest";
import { MemorySaver } from "@langchain/langgraph";
import type { AIMessageChunk, BaseMessage } from "@langchain/core/messages";
import type { ChatResult } from "@langchain/core/outputs";
import { createKeelApp } from "../graphs/app.js";
import { createTaskAgent } from "../graphs/agents/task-agent.js";
import { supportSpec } from "../graphs/agents/support.js";
import { TASK_AGENT_GRAPHS } from "../graphs/agents/index.js";
import { ScriptedChatModel } from "../src/models/scripted-model.js";
import { companyDb } from "../src/db/index.js";

/** A model that gives every issue_credit call the same id, as a careless provider might across turns. */
class RepeatingCallIds extends ScriptedChatModel {
  override async _generate(messages: BaseMessage[], options: this["ParsedCallOptions"]): Promise<ChatResult> {
    const result = await super._generate(messages, options);
    const message = result.generations[0]!.message as AIMessageChunk;
    message.tool_calls = message.tool_calls?.map((call) => (call.name === "issue_credit" ? { ...call, id: "call_same" } : call));
    return result;
  }
}

const args = { customer_id: "CUS-1100", amount_usd: 7, reason: "idempotency key test" };
const finish = { outcome: "completed", answer: "Credit issued to CUS-1100.", evidence: ["CUS-1100"], confidence: 0.9, needs_human_review: false };
const count = (table: string, column: string) =>
  companyDb().sql.prepare(`SELECT COUNT(*) FROM ${table} WHERE ${column} LIKE '%idempotency key test%'`).pluck().get() as number;

describe("idempotency key across turns", () => {
  it("two turns of one conversation whose model repeats a tool call id both act, each recorded once", async () => {
    const step = [{ toolCalls: [{ name: "issue_credit", args }] }, { toolCalls: [{ name: "task_result", args: finish }] }];
    const model = new RepeatingCallIds([...step, ...step]);
    const app = await createKeelApp({ checkpointer: new MemorySaver(), agents: { ...TASK_AGENT_GRAPHS, support: createTaskAgent(supportSpec, { model }) } });
    try {
      const first = await app.run("Give customer CUS-1100 a $7 service credit");
      const second = await app.run("Give customer CUS-1100 another $7 service credit", { threadId: first.threadId });
      expect([first.status, second.status]).toEqual(["answered", "answered"]);
    } finally {
      await app.close();
    }
    expect(model.calls).toHaveLength(4);
    expect(count("credits", "reason")).toBe(2);
    expect(count("audit_log", "args")).toBe(2);
    expect(count("tool_ledger", "args")).toBe(2);
  });
});
