import { describe, it, expect } from "vitest";
import { HumanMessage } from "@langchain/core/messages";
import { createTaskAgent } from "../../graphs/agents/task-agent.js";
import { supportSpec } from "../../graphs/agents/support.js";
import { ScriptedChatModel } from "../models/scripted-model.js";
import { guardrailEvents } from "./events.js";
import { companyDb } from "../db/index.js";
import { unspotlight } from "./spotlight.js";

describe("least privilege at tool execution", () => {
  it("refuses a call the tenant is not granted, even named directly by the model, with an audit record", async () => {
    const credits = () => companyDb().sql.prepare("SELECT COUNT(*) FROM credits").pluck().get();
    const before = credits();
    const model = new ScriptedChatModel([
      { toolCalls: [{ name: "issue_credit", args: { customer_id: "CUS-1042", amount_usd: 10, reason: "goodwill" } }] },
      { toolCalls: [{ name: "task_result", args: { outcome: "failed", answer: "not permitted", evidence: [], confidence: 0.9, needs_human_review: false } }] },
    ]);
    const agent = createTaskAgent(supportSpec, { model });
    const out = await agent.invoke({ messages: [new HumanMessage("Give CUS-1042 a $10 credit")] }, { configurable: { tenant_id: "readonly-demo" } });
    const reply = out.messages.find((m) => m.getType() === "tool" && m.name === "issue_credit");
    expect(JSON.parse(unspotlight(String(reply?.content)))).toMatchObject({ ok: false, error: { code: "forbidden" } });
    expect(credits()).toBe(before);
    const [event] = guardrailEvents("capability_refused");
    expect(event).toMatchObject({ tool: "issue_credit", result: { tenant: "readonly-demo" } });
    expect(event?.result.reason).toMatch(/readonly-demo is not granted support:write/);
  });
});
