import { describe, it, expect } from "vitest";
import { AIMessageChunk, ToolMessage } from "@langchain/core/messages";
import { TokenStreamer, partialJsonString } from "./progress.js";

describe("partialJsonString", () => {
  it.each([
    ['{"outcome":"completed","answer":"Order ORD-1 ', "Order ORD-1 "],
    ['{"answer":"line one\\nline', "line one\nline"],
    ['{"answer":"a \\"quoted\\" word", "evidence":[]}', 'a "quoted" word'],
    ['{"answer":"cut escape \\', "cut escape "],
    ['{"answer":"caf\\u00e9', "café"],
    ['{"answer":"caf\\u00', "caf"],
    ['{"outcome":"comp', ""],
  ])("%j -> %j", (json, expected) => expect(partialJsonString(json, "answer")).toBe(expected));
});

describe("TokenStreamer", () => {
  const chunk = (args: string, name?: string) =>
    new AIMessageChunk({ id: "run-1", content: "", tool_call_chunks: [{ index: 0, args, ...(name ? { name, id: "call-1" } : {}), type: "tool_call_chunk" }] });

  it("streams the task_result answer as its JSON arrives, each piece once", () => {
    const streamer = new TokenStreamer();
    const ns = ["finance:abc", "model_request:def"];
    const pieces = [chunk('{"outcome":"completed","ans', "task_result"), chunk('wer":"Duplicate char'), chunk('ge on PAY-31043."'), chunk(',"evidence":["PAY-31043"]}')];
    const text = pieces.flatMap((p) => streamer.events(ns, p)).map((e) => e.text);
    expect(text).toEqual(["Duplicate char", "ge on PAY-31043."]);
  });

  it("skips other tool calls, tool results, the router and root nodes; takes a whole message from a model that does not stream", () => {
    const streamer = new TokenStreamer();
    expect(streamer.events(["finance:a"], chunk('{"customer_id":"CUS-1"}', "list_payments"))).toEqual([]);
    expect(streamer.events(["finance:a"], new ToolMessage({ content: "result", tool_call_id: "x", name: "list_payments" }))).toEqual([]);
    expect(streamer.events(["route:a"], new AIMessageChunk({ content: "routing text" }))).toEqual([]);
    expect(streamer.events(["merge:a"], new AIMessageChunk({ content: "merged" }))).toEqual([]);
    const whole = new AIMessageChunk({ content: "", tool_calls: [{ id: "c", name: "task_result", args: { answer: "All good." }, type: "tool_call" }] });
    expect(streamer.events(["shipping:b"], whole)).toEqual([{ agent: "shipping", text: "All good." }]);
    expect(streamer.events(["incidents:c"], new AIMessageChunk({ content: "Checking" }))).toEqual([{ agent: "incidents", text: "Checking" }]);
    // A node's own output message (no chat-model metadata) is not model text.
    expect(streamer.events(["finance:d"], new AIMessageChunk({ content: "Returning structured response" }), { langgraph_node: "tools" })).toEqual([]);
    expect(streamer.events(["finance:d"], new AIMessageChunk({ content: "Looking" }), { langgraph_node: "model_request", ls_provider: "openai" })).toEqual([{ agent: "finance", text: "Looking" }]);
  });
});
