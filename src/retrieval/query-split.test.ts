import { describe, expect, it } from "vitest";
import { coverRankings, interleave, MAX_PARTS, splitQuery } from "./query-split.js";

describe("splitQuery", () => {
  it.each([
    [
      "First, calculate the area of a triangle with base 12 and height 15. Second, find the inventor of the telephone. Lastly, get driving directions from Boston to New York.",
      ["calculate the area of a triangle with base 12 and height 15.", "find the inventor of the telephone.", "get driving directions from Boston to New York."],
    ],
    [
      "Can you provide me with the current exchange rate between USD and EUR? Also, can you tell me which airlines offer flights from New York to London?",
      ["Can you provide me with the current exchange rate between USD and EUR?", "can you tell me which airlines offer flights from New York to London?"],
    ],
    ["refund the duplicate payment PAY-31043; then email the customer the updated invoice INV-21042", ["refund the duplicate payment PAY-31043", "email the customer the updated invoice INV-21042"]],
  ])("splits a multi-task request: %j", (query, parts) => {
    expect(splitQuery(query)).toEqual(parts);
  });

  it.each([
    ["Find the area of a triangle with a base of 10 units and height of 5 units."],
    ["Give me the schedule of Manchester United for the next 6 games in Premier League."],
    ["Who discovered the neutron? Give me detail information."], // the second sentence says nothing on its own
    ["Could you help me with the following tasks? Find me a hotel in Rome for three nights."],
    ["refund it"],
  ])("leaves a single intent whole: %j", (query) => {
    expect(splitQuery(query)).toEqual([]);
  });

  it("ranks at most MAX_PARTS parts", () => {
    const query = Array.from({ length: MAX_PARTS + 3 }, (_, i) => `Find the weather forecast for city number ${i} tomorrow morning.`).join(" ");
    expect(splitQuery(query)).toHaveLength(MAX_PARTS);
  });
});

describe("interleave", () => {
  it.each([
    [[["a", "b", "c"], ["d", "e"], ["f"]], 10, ["a", "d", "f", "b", "e", "c"]],
    [[["a", "b", "c"], ["a", "d"], ["b", "e"]], 4, ["a", "b", "d", "e"]],
    [[["a", "b"], []], 5, ["a", "b"]],
    [[["a", "b", "c"]], 2, ["a", "b"]],
  ])("%j (limit %d) -> %j", (lists, limit, expected) => {
    expect(interleave(lists, (x) => x, limit)).toEqual(expected);
  });
});

describe("coverRankings", () => {
  const r = (spec: string) => spec.split(" ").map((t) => ({ key: t.split(":")[0]!, score: Number(t.split(":")[1]) }));
  const keys = (items: { key: string }[]) => items.map((i) => i.key);
  it.each([
    // whole request, then parts; decay 0.5
    ["a task's strong second tool beats a story sentence's weak best", ["a:0.9 b:0.8", "a:0.9 b:0.85", "c:0.7 d:0.6", "s:0.3"], 4, ["a", "b", "c", "d"]],
    ["every part that matches well gets a slot before the whole request's runners-up", ["a:0.8 b:0.79 c:0.78", "a:0.8", "x:0.6", "y:0.55"], 3, ["a", "x", "y"]],
    ["a single ranking stays as it is", ["a:0.5 b:0.4 c:0.3"], 2, ["a", "b"]],
    ["items taken from one ranking are skipped in the others", ["a:0.9 b:0.5", "a:0.8 c:0.7", "b:0.6"], 3, ["a", "c", "b"]],
  ])("%s", (_, specs, limit, expected) => {
    expect(keys(coverRankings(specs.map(r), (i) => i.key, limit))).toEqual(expected);
  });

  it("past depth, the rest follows in interleaved order, each item once", () => {
    const lists = [r("a:0.9 b:0.8 c:0.7"), r("d:0.6 a:0.5 e:0.4")];
    expect(keys(coverRankings(lists, (i) => i.key, 10, { depth: 1 }))).toEqual(["a", "d", "b", "c", "e"]);
  });
});
