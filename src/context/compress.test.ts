import { describe, expect, it } from "vitest";
import { AIMessage, HumanMessage, SystemMessage, ToolMessage, type BaseMessage } from "@langchain/core/messages";
import { compressContext } from "./compress.js";
import { orphanedToolMessages, unansweredToolCalls } from "./steps.js";
import { callTokens } from "./tokens.js";
import { isSummaryMessage, SUMMARY_HEADER } from "./summarizer.js";
import { textOf } from "../models/offline/planner.js";

const GOAL = "Audit every invoice of customer CUS-1042 and never issue a credit above $50.";
const SYSTEM = "You are the finance agent. Use the tools; never invent ids.";
const SCHEMAS = [{ name: "get_invoice", description: "Look up one invoice by id.", parameters: { type: "object", properties: { invoice_id: { type: "string" } } } }];

/** A tool step: an AI call of get_invoice and its result (about 120 tokens). */
function step(n: number, calls = 1): BaseMessage[] {
  const ids = Array.from({ length: calls }, (_, c) => `call_${n}_${c}`);
  const ai = new AIMessage({ content: "", tool_calls: ids.map((id, c) => ({ id, name: "get_invoice", args: { invoice_id: `INV-${20000 + n * 10 + c}` }, type: "tool_call" as const })) });
  const results = ids.map(
    (id, c) =>
      new ToolMessage({
        tool_call_id: id,
        name: "get_invoice",
        content: JSON.stringify({ ok: true, data: { invoice_id: `INV-${20000 + n * 10 + c}`, customer_id: "CUS-1042", amount: `$${100 + n}.00`, status: "paid", lines: Array.from({ length: 8 }, (_, l) => `line ${l} of invoice ${n}: service fee`) } }),
      }),
  );
  return [ai, ...results];
}

function conversation(steps: number, calls = 1): BaseMessage[] {
  return [new HumanMessage(GOAL), ...Array.from({ length: steps }, (_, i) => step(i, calls)).flat()];
}

describe("compressContext", () => {
  it("returns the messages untouched when the call fits", async () => {
    const messages = conversation(3);
    const result = await compressContext(messages, 100_000, { system: SYSTEM, toolSchemas: SCHEMAS });
    expect(result.changed).toBe(false);
    expect(result.messages).toBe(messages);
    expect(result.tokens).toBe(callTokens(new SystemMessage(SYSTEM), messages, SCHEMAS));
  });

  it.each([
    { budget: 1500, calls: 1 },
    { budget: 2500, calls: 1 },
    { budget: 1500, calls: 3 },
    { budget: 4000, calls: 2 },
  ])("fits $budget tokens (system and tool schemas counted), keeps the goal first and every tool step whole ($calls calls per step)", async ({ budget, calls }) => {
    const messages = conversation(40, calls);
    expect(callTokens(new SystemMessage(SYSTEM), messages, SCHEMAS)).toBeGreaterThan(budget);
    const result = await compressContext(messages, budget, { system: SYSTEM, toolSchemas: SCHEMAS });
    expect(result.fits).toBe(true);
    expect(result.tokens).toBe(callTokens(new SystemMessage(SYSTEM), result.messages, SCHEMAS));
    expect(result.tokens).toBeLessThanOrEqual(budget);
    expect(textOf(result.messages[0]!)).toBe(GOAL);
    expect(orphanedToolMessages(result.messages)).toEqual([]);
    expect(unansweredToolCalls(result.messages)).toEqual([]);
    // The newest step is kept verbatim; the summary stands between the goal and the kept steps.
    expect(result.messages.at(-1)).toBe(messages.at(-1));
    expect(isSummaryMessage(result.messages[1]!)).toBe(true);
    expect(result.restarted).toBe(false);
    expect(result.summarizedMessages).toBe(messages.length - result.messages.length + 1);
  });

  it("counts the tool schemas: the same history needs more compression with a large schema bound", async () => {
    const messages = conversation(20);
    const bigSchemas = Array.from({ length: 12 }, (_, i) => ({ ...SCHEMAS[0], name: `tool_${i}`, description: "A tool with a long description. ".repeat(10) }));
    const small = await compressContext(messages, 3000, { system: SYSTEM, toolSchemas: SCHEMAS });
    const big = await compressContext(messages, 3000, { system: SYSTEM, toolSchemas: bigSchemas });
    expect(big.tokens).toBeLessThanOrEqual(3000);
    expect(big.messages.length).toBeLessThan(small.messages.length);
  });

  it("keeps the latest human message in place and summarizes each stretch on its own side of it", async () => {
    const later = new HumanMessage("Now also check invoice INV-20391 for a duplicate charge.");
    const messages = [...conversation(15), later, ...Array.from({ length: 15 }, (_, i) => step(100 + i)).flat()];
    const result = await compressContext(messages, 2500, { system: SYSTEM, toolSchemas: SCHEMAS });
    expect(result.fits).toBe(true);
    expect(result.messages).toContain(later);
    const at = result.messages.indexOf(later);
    expect(isSummaryMessage(result.messages[at - 1]!)).toBe(true);
    expect(isSummaryMessage(result.messages[at + 1]!)).toBe(true);
    expect(result.summaries).toHaveLength(2);
    // The stretch before the later request mentions only the early invoices, the one after only the later ones.
    expect(textOf(result.messages[at - 1]!)).toContain("INV-20010");
    expect(textOf(result.messages[at - 1]!)).not.toContain("INV-21000");
    expect(textOf(result.messages[at + 1]!)).toContain("INV-21000");
  });

  it("restarts from the summary when not even the latest step fits beside the goal", async () => {
    const huge = new ToolMessage({ tool_call_id: "call_big", name: "get_invoice", content: JSON.stringify({ ok: true, data: { invoice_id: "INV-99999", rows: Array.from({ length: 400 }, (_, i) => `row ${i} amount $${i}.00`) } }) });
    const messages = [...conversation(5), new AIMessage({ content: "", tool_calls: [{ id: "call_big", name: "get_invoice", args: { invoice_id: "INV-99999" }, type: "tool_call" }] }), huge];
    const result = await compressContext(messages, 1200, { system: SYSTEM, toolSchemas: SCHEMAS });
    expect(result.fits).toBe(true);
    expect(result.restarted).toBe(true);
    expect(result.messages).toHaveLength(2);
    expect(textOf(result.messages[0]!)).toBe(GOAL);
    expect(textOf(result.messages[1]!)).toContain(SUMMARY_HEADER);
    expect(textOf(result.messages[1]!)).toContain("INV-99999");
    expect(result.tokens).toBeLessThanOrEqual(1200);
  });

  it("keeps the latest step verbatim past the target when the budget allows, rather than restarting", async () => {
    const messages = conversation(30);
    const result = await compressContext(messages, 1500, { system: SYSTEM, toolSchemas: SCHEMAS, target: 200 });
    expect(result.restarted).toBe(false);
    expect(result.messages.at(-1)).toBe(messages.at(-1));
    expect(isSummaryMessage(result.messages[1]!)).toBe(true);
    expect(result.tokens).toBeLessThanOrEqual(1500);
  });

  it("folds an earlier summary into the next one and keeps the count of calls", async () => {
    let messages = conversation(30);
    const first = await compressContext(messages, 2000, { system: SYSTEM, toolSchemas: SCHEMAS });
    const before = first.summaries[0]!.additional_kwargs.keel_context as { callCount: number };
    messages = [...first.messages, ...Array.from({ length: 30 }, (_, i) => step(200 + i)).flat()];
    const second = await compressContext(messages, 2000, { system: SYSTEM, toolSchemas: SCHEMAS });
    expect(second.fits).toBe(true);
    expect(second.messages.filter(isSummaryMessage)).toHaveLength(1);
    const after = second.summaries[0]!.additional_kwargs.keel_context as { callCount: number; calls: unknown[] };
    const keptCalls = second.messages.filter((m) => m.getType() === "tool").length;
    expect(after.callCount + keptCalls).toBe(60);
    expect(after.callCount).toBeGreaterThan(before.callCount);
  });

  it("never keeps an orphaned tool message or a step cut short", async () => {
    const orphan = new ToolMessage({ tool_call_id: "nobody_asked", name: "get_invoice", content: '{"ok":true,"data":"INV-77777"}' });
    const cut = new AIMessage({ content: "", tool_calls: [{ id: "a", name: "get_invoice", args: {}, type: "tool_call" }, { id: "b", name: "get_invoice", args: {}, type: "tool_call" }] });
    const half = new ToolMessage({ tool_call_id: "a", name: "get_invoice", content: '{"ok":true,"data":"x"}' });
    const messages = [new HumanMessage(GOAL), ...step(1), orphan, cut, half, ...step(2), ...step(3)];
    const result = await compressContext(messages, 10_000, { system: SYSTEM, force: true, target: 10_000 });
    expect(orphanedToolMessages(messages)).toHaveLength(1);
    expect(orphanedToolMessages(result.messages)).toEqual([]);
    expect(unansweredToolCalls(result.messages)).toEqual([]);
    expect(textOf(result.summaries[0]!)).toContain("INV-77777");
  });

  it("reports that the budget cannot be met when system, tools and goal alone exceed it", async () => {
    const result = await compressContext(conversation(10), 40, { system: SYSTEM, toolSchemas: SCHEMAS });
    expect(result.fits).toBe(false);
    expect(result.changed).toBe(false);
  });

  it("uses the summarizer it is given, within the allowance it is told", async () => {
    const asked: number[] = [];
    const result = await compressContext(conversation(30), 2000, {
      system: SYSTEM,
      summarizer: async ({ maxTokens }) => {
        asked.push(maxTokens);
        return "custom summary of INV-20000";
      },
    });
    expect(asked).toHaveLength(1);
    expect(asked[0]).toBeGreaterThan(0);
    expect(asked[0]).toBeLessThanOrEqual(Math.floor(2000 * 0.3));
    expect(textOf(result.messages[1]!)).toBe("custom summary of INV-20000");
  });
});
