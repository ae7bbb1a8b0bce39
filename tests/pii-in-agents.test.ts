/**
 * Personal data in tool outputs and requests reaches the model only as vault placeholders; tools receive the
 * real values; the user gets them back in the answer.
 */
import { describe, it, expect } from "vitest";
import { HumanMessage } from "@langchain/core/messages";
import { MemorySaver } from "@langchain/langgraph";
import { createTaskAgent } from "../graphs/agents/task-agent.js";
import { supportSpec } from "../graphs/agents/support.js";
import { ScriptedChatModel } from "../src/models/scripted-model.js";
import { threadVault } from "../src/guardrails/pii/vault-store.js";
import { createKeelApp } from "../graphs/app.js";
import { companyDb } from "../src/db/index.js";

const customer = () => companyDb().sql.prepare("SELECT id, name, email FROM customers WHERE id = 'CUS-1042'").get() as { id: string; name: string; email: string };

describe("PII redaction in the agents", () => {
  it("the model sees placeholders, the tool gets the real email, the vault holds the value", async () => {
    const { email } = customer();
    const model = new ScriptedChatModel([
      (call) => {
        // The request's email arrives redacted: call the tool with the placeholder the model was shown.
        const placeholder = String(call.messages.at(-1)?.content).match(/<EMAIL_ADDRESS_\d+>/)?.[0];
        return { toolCalls: [{ name: "find_customer", args: { email: placeholder } }] };
      },
      { toolCalls: [{ name: "task_result", args: { outcome: "completed", answer: "found", evidence: [], confidence: 0.9, needs_human_review: false } }] },
    ]);
    const agent = createTaskAgent(supportSpec, { model, checkpointer: new MemorySaver() });
    const config = { configurable: { thread_id: "pii-thread-1" } };
    const out = await agent.invoke({ messages: [new HumanMessage(`Who is the customer with email ${email}?`)] }, config);
    for (const call of model.calls) for (const m of call.messages) expect(String(m.content)).not.toContain(email);
    const toolMessage = out.messages.find((m) => m.getType() === "tool" && m.name === "find_customer");
    // The tool found the customer (it got the real email), and its output was redacted before entering state.
    expect(String(toolMessage?.content)).toContain("CUS-1042");
    expect(String(toolMessage?.content)).not.toContain(email);
    const vault = await threadVault("pii-thread-1");
    expect(vault.restore(String(toolMessage?.content))).toContain(email);
  });

  it("the app's answer carries the real values back to the user", async () => {
    const { email } = customer();
    const app = await createKeelApp({ checkpointer: new MemorySaver() });
    try {
      const turn = await app.run("Show me customer CUS-1042's plan and contact details");
      expect(turn.answer).toContain("CUS-1042");
      expect(turn.answer).not.toMatch(/<EMAIL_ADDRESS_\d+>/);
      expect(turn.answer).toContain(email);
    } finally {
      await app.close();
    }
  });
});
