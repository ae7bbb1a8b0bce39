import { describe, expect, it } from "vitest";
import { Bm25Index, stem, tokenize } from "./bm25.js";

describe("tokenize", () => {
  it.each([
    ["get_customer_by_email", ["customer", "email"]],
    ["GroupsApi.create_group_mapping", ["group", "api", "creat", "group", "map"]],
    ["Weather_1_GetWeather", ["weather", "weather"]],
    ["HTTPServerStatus", ["http", "server", "statu"]],
    ["math.factorial", ["math", "factorial"]],
    ["Find the area of a triangle", ["find", "area", "triangl"]],
    ["Refunds for duplicate charges!", ["refund", "duplic", "charg"]],
    ["", []],
  ])("%j -> %j", (text, expected) => {
    expect(tokenize(text)).toEqual(expected);
  });
});

describe("stem (Porter steps 1, 2, 3 and 5)", () => {
  it.each([
    ["caresses", "caress"],
    ["ponies", "poni"],
    ["cats", "cat"],
    ["hopping", "hop"],
    ["filing", "file"],
    ["agreed", "agre"],
    ["relational", "relat"],
    ["conditional", "condition"],
    ["generalization", "general"],
    ["invoices", "invoic"],
    ["invoice", "invoic"],
    ["calculation", "calculat"],
    ["bus", "bus"],
  ])("%s -> %s", (word, expected) => {
    expect(stem(word)).toBe(expected);
  });

  it("merges inflections of the same word", () => {
    expect(stem("refunds")).toBe(stem("refunded"));
    expect(stem("refunding")).toBe(stem("refund"));
    expect(stem("shipments")).toBe(stem("shipment"));
    expect(stem("charged")).toBe(stem("charges"));
    expect(stem("calculator")).toBe(stem("calculate"));
  });
});

describe("Bm25Index", () => {
  const docs = [
    { fields: { name: "get invoice", description: "Reads one invoice by id with its payments." } },
    { fields: { name: "issue refund", description: "Refunds a successful payment to the customer." } },
    { fields: { name: "track shipment", description: "Tracking events of a shipment from the carrier." } },
    { fields: { name: "list payments", description: "Lists payments of a customer, including refunded ones." } },
  ];
  const index = new Bm25Index(docs, { name: 2, description: 1 });

  it.each([
    ["refund the payment", 1],
    ["where is my shipment", 2],
    ["show invoice INV-1", 0],
  ])("ranks the matching tool first for %j", (query, best) => {
    expect(index.top(query, 4)[0]!.doc).toBe(best);
  });

  it("a match in the weighted name field beats the same word in a description", () => {
    // "refund" is in the name of doc 1 and only in the description of doc 3.
    const scores = index.scores("refund");
    expect(scores[1]!).toBeGreaterThan(scores[3]!);
  });

  it("scores only allowed documents", () => {
    const scores = index.scores("refund payment", (doc) => doc !== 1);
    expect(scores[1]).toBe(0);
    expect(scores[3]!).toBeGreaterThan(0);
  });

  it("gives nothing for unknown words, and the ceiling bounds every score", () => {
    expect(index.top("zebra xylophone", 3)).toEqual([]);
    const query = "refund payment customer";
    const ceiling = index.ceiling(query);
    for (const s of index.scores(query)) expect(s).toBeLessThanOrEqual(ceiling);
  });

  it.each([
    [{ k1: 1.2, b: 0 }],
    [{ k1: 2, b: 1 }],
  ])("tunable k1/b %j keeps a sane ranking", (options) => {
    const tuned = new Bm25Index(docs, { name: 2 }, options);
    expect(tuned.top("refund", 1)[0]!.doc).toBe(1);
  });
});
