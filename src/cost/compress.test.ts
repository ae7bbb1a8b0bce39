import { describe, expect, it } from "vitest";
import { AIMessage, HumanMessage, ToolMessage, type BaseMessage } from "@langchain/core/messages";
import { compressSteps } from "./compress.js";

const step = (id: string, result = `result of ${id} `.repeat(40)): BaseMessage[] => [
  new AIMessage({ content: "", tool_calls: [{ id, name: "lookup", args: { id }, type: "tool_call" }] }),
  new ToolMessage({ content: result, tool_call_id: id, name: "lookup" }),
];

describe("compressSteps", () => {
  it("keeps the objective and the latest steps, and replaces older completed steps by one note", () => {
    const messages = [new HumanMessage("check A, B, C, D"), ...step("A"), ...step("B"), ...step("C"), ...step("D")];
    const out = compressSteps(messages, { keepRecent: 2, excerptChars: 20 });
    expect(out[0]).toBe(messages[0]);
    expect(out.slice(-4)).toEqual(messages.slice(-4)); // C and D verbatim
    const note = out[1]!;
    expect(note.getType()).toBe("ai");
    expect(String(note.content)).toMatch(/^Earlier steps, shortened to stay within budget:\n- lookup\(\{"id":"A"\}\) -> result of A result o\n- lookup\(\{"id":"B"\}\)/);
    expect(out).toHaveLength(6);
  });

  it("never keeps a tool result without its call, nor a call without its results", () => {
    const unanswered = new AIMessage({ content: "", tool_calls: [{ id: "X", name: "lookup", args: {}, type: "tool_call" }] });
    const messages = [new HumanMessage("go"), ...step("A"), unanswered, ...step("B"), ...step("C")];
    const out = compressSteps(messages, { keepRecent: 1 });
    const asked = new Set<string>();
    for (const m of out) {
      for (const c of (m as AIMessage).tool_calls ?? []) asked.add(c.id!);
      if (m.getType() === "tool") expect(asked.has((m as ToolMessage).tool_call_id)).toBe(true);
    }
    // The step with an unanswered call is not summarized (it is not complete): it stays as it was.
    expect(out).toContain(unanswered);
  });

  it("returns the same array when there is nothing older than the latest steps", () => {
    const messages = [new HumanMessage("go"), ...step("A")];
    expect(compressSteps(messages)).toBe(messages);
  });
});
