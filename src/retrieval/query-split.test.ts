import { describe, expect, it } from "vitest";
import { interleave, MAX_PARTS, splitQuery } from "./query-split.js";

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
    const query = Array.from({ length: 8 }, (_, i) => `Find the weather forecast for city number ${i} tomorrow morning.`).join(" ");
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
