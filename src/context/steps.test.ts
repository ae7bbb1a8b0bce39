import { describe, expect, it } from "vitest";
import { AIMessage, HumanMessage, ToolMessage } from "@langchain/core/messages";
import { isComplete, orphanedToolMessages, toSteps, unansweredToolCalls } from "./steps.js";

const call = (...ids: string[]) => new AIMessage({ content: "", tool_calls: ids.map((id) => ({ id, name: "t", args: {}, type: "tool_call" as const })) });
const result = (id: string) => new ToolMessage({ tool_call_id: id, name: "t", content: "{}" });

describe("toSteps", () => {
  it("groups each AI tool call with its results; orphans stand apart; steps cut short are incomplete", () => {
    const messages = [new HumanMessage("goal"), call("a", "b"), result("a"), result("b"), result("x"), call("c", "d"), result("c"), new AIMessage("done")];
    const steps = toSteps(messages);
    expect(steps.map((s) => [s.kind, s.start, s.messages.length])).toEqual([
      ["human", 0, 1],
      ["tool_step", 1, 3],
      ["orphan", 4, 1],
      ["tool_step", 5, 2],
      ["ai", 7, 1],
    ]);
    expect(steps.map(isComplete)).toEqual([true, true, false, false, true]);
    expect(steps.flatMap((s) => s.messages)).toEqual(messages);
  });

  it("finds orphaned tool messages and unanswered calls", () => {
    expect(orphanedToolMessages([new HumanMessage("g"), result("x"), call("a"), result("a")]).map((m) => m.tool_call_id)).toEqual(["x"]);
    expect(orphanedToolMessages([call("a"), result("a")])).toEqual([]);
    expect(unansweredToolCalls([call("a", "b"), result("a"), new AIMessage("next")])).toEqual(["b"]);
    // The last message may still wait for its tools.
    expect(unansweredToolCalls([new HumanMessage("g"), call("a")])).toEqual([]);
  });
});
