import { describe, expect, it } from "vitest";
import { AIMessage, HumanMessage, ToolMessage, type BaseMessage } from "@langchain/core/messages";
import { countTokens } from "../cost/tokens.js";
import { ScriptedChatModel } from "../models/scripted-model.js";
import { OfflineChatModel } from "../models/offline/offline-chat-model.js";
import { spotlight } from "../guardrails/spotlight.js";
import { extractiveSummarizer, extractiveSummary, idsIn, modelSummarizer, SUMMARY_HEADER } from "./summarizer.js";

function steps(count: number): BaseMessage[] {
  return Array.from({ length: count }, (_, n) => [
    new AIMessage({ content: "", tool_calls: [{ id: `c${n}`, name: n % 2 ? "get_payment" : "get_invoice", args: { id: `INV-${30000 + n}` }, type: "tool_call" as const }] }),
    new ToolMessage({ tool_call_id: `c${n}`, name: n % 2 ? "get_payment" : "get_invoice", content: spotlight(JSON.stringify({ ok: true, data: { invoice_id: `INV-${30000 + n}`, payment_id: `PAY-${40000 + n}`, amount: `$${n}.50` } })) }),
  ]).flat();
}

describe("extractiveSummary", () => {
  it("writes one line per tool call with its ids and amounts, and the user's words", () => {
    const text = extractiveSummary([new HumanMessage("check CUS-1042"), ...steps(3)], 1000);
    const lines = text.split("\n");
    expect(lines[0]).toBe(SUMMARY_HEADER);
    expect(lines[1]).toBe('- User: "check CUS-1042"');
    expect(lines.slice(2)).toHaveLength(3);
    expect(lines[3]).toContain("get_payment(id: INV-30001)");
    expect(lines[3]).toContain("PAY-40001");
    expect(lines[3]).toContain("$1.50");
    expect(text).not.toContain("<<DATA");
  });

  it.each([40, 80, 200, 600])("stays within %i tokens, folding the oldest calls into counts", (maxTokens) => {
    const text = extractiveSummary(steps(60), maxTokens);
    expect(countTokens(text)).toBeLessThanOrEqual(maxTokens);
    // The newest call survives verbatim whenever there is room for any line.
    if (maxTokens >= 200) expect(text).toContain("INV-30059");
    if (maxTokens >= 80) expect(text).toMatch(/- Earlier: \d+ tool calls \(get_invoice x\d+, get_payment x\d+\)/);
  });

  it("keeps the count of calls when a summary is summarized again", () => {
    const first = extractiveSummary(steps(40), 300);
    const folded = Number(first.match(/Earlier: (\d+) tool calls/)![1]);
    const again = extractiveSummary([new AIMessage(first), ...steps(10)], 300);
    const refolded = Number(again.match(/Earlier: (\d+) tool calls/)![1]);
    const verbatim = again.split("\n").filter((l) => /^- get_(invoice|payment)\(/.test(l)).length;
    expect(folded).toBeGreaterThan(0);
    expect(refolded + verbatim).toBe(50);
  });

  it("is deterministic", () => {
    expect(extractiveSummary(steps(30), 250)).toBe(extractiveSummary(steps(30), 250));
  });

  it("finds record ids and not other capitalised words", () => {
    expect(idsIn("CUS-1042 paid INV-21042 via PAY-31043 (PAY-31043 again); see KB-12, the UTF-8 note and Wi-Fi")).toEqual(["CUS-1042", "INV-21042", "PAY-31043", "KB-12"]);
  });
});

describe("modelSummarizer", () => {
  it("uses the extractive summary for the offline stand-in", () => {
    expect(modelSummarizer(new OfflineChatModel({}))).toBe(extractiveSummarizer);
    expect(modelSummarizer(undefined)).toBe(extractiveSummarizer);
  });

  it("asks the model with the goal and the steps (tool outputs still marked as data), and cuts its reply to the allowance", async () => {
    const model = new ScriptedChatModel([{ text: "- looked up INV-30000 and INV-30001\n" + "- more detail ".repeat(200) }]);
    const text = await modelSummarizer(model)({ messages: steps(2), maxTokens: 50, goal: "audit CUS-1042" });
    const prompt = model.calls[0]!.messages.map((m) => String(m.content)).join("\n");
    expect(prompt).toContain("audit CUS-1042");
    expect(prompt).toContain("<<DATA ");
    expect(prompt).toContain("INV-30001");
    expect(text.startsWith(SUMMARY_HEADER)).toBe(true);
    expect(text).toContain("INV-30000");
    expect(countTokens(text)).toBeLessThanOrEqual(50);
  });

  it("falls back to the extractive summary when the model fails", async () => {
    const model = new ScriptedChatModel([]); // no turns: the call throws
    const text = await modelSummarizer(model)({ messages: steps(3), maxTokens: 400 });
    expect(text).toBe(extractiveSummary(steps(3), 400));
  });
});
