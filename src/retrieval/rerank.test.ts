import { describe, expect, it } from "vitest";
import type { Fused } from "./fusion.js";
import { RERANK_FEATURES, RERANK_WEIGHTS, RerankContext } from "./rerank.js";
import type { ToolDocument } from "./tool-document.js";

const docs: ToolDocument[] = [
  { name: "restaurant.find", description: "Find restaurants serving a cuisine in a city.", parameters: { type: "object", properties: { city: { type: "string" }, cuisine: { type: "string" } } } },
  {
    name: "restaurant.find_nearby",
    description: "Find restaurants in a city.",
    parameters: { type: "object", properties: { location: { type: "string" }, distance: { type: "number", description: "Radius in miles" } } },
  },
  { name: "weather.get", description: "Current weather of a city." },
];

const feature = (name: (typeof RERANK_FEATURES)[number]) => RERANK_FEATURES.indexOf(name);
const fused = (entries: [index: number, score: number, dense: number, keyword: number][]): Fused[] =>
  entries.map(([index, score, dense, keyword]) => ({ index, score, dense, keyword }));

describe("RerankContext.features", () => {
  const context = new RerankContext(docs);

  it("has one value per feature and weight", () => {
    const [row] = context.features("find restaurants nearby", fused([[1, 0.5, 0.6, 0.4]]));
    expect(row).toHaveLength(RERANK_FEATURES.length);
    expect(RERANK_WEIGHTS).toHaveLength(RERANK_FEATURES.length);
  });

  it.each([
    // query, tool, nameCover, nameMissing, parameterCover
    ["find restaurants nearby within a distance of 10 miles", 1, 1, 0, 0.5],
    ["find restaurants in Seattle", 1, 2 / 3, Math.log1p(1), 0],
    ["find restaurants in Seattle", 0, 1, 0, 0],
    ["is it raining", 2, 0, Math.log1p(1), 0],
  ])("%s -> tool %i: name cover %d", (query, index, nameCover, nameMissing, parameterCover) => {
    const [row] = context.features(query, fused([[index, 0.5, 0.5, 0.5]]));
    expect(row![feature("nameCover")]).toBeCloseTo(nameCover);
    expect(row![feature("nameMissing")]).toBeCloseTo(nameMissing);
    expect(row![feature("parameterCover")]).toBeCloseTo(parameterCover);
  });

  it("passes the fused scores through and ranks by position", () => {
    const rows = context.features("weather", fused([[2, 0.7, 0.8, 0.6], [0, 0.2, 0.3, 0]]));
    expect(rows[0]![feature("fused")]).toBe(0.7);
    expect(rows[0]![feature("dense")]).toBe(0.8);
    expect(rows[1]![feature("rankInverse")]).toBe(0.5);
    expect(rows[0]![feature("bm25Name")]).toBeGreaterThan(0);
    expect(rows[1]![feature("bm25Name")]).toBe(0);
  });
});

describe("RerankContext.rerank", () => {
  const context = new RerankContext(docs);

  it("lifts the near-duplicate whose name and parameters the request uses, keeping the fused scores per slot", () => {
    const ranking = fused([[0, 0.5, 0.6, 0.4], [1, 0.48, 0.58, 0.4], [2, 0.1, 0.2, 0]]);
    const out = context.rerank("restaurants nearby within a distance of 10 miles", ranking);
    expect(out.map((f) => f.index)).toEqual([1, 0, 2]);
    expect(out.map((f) => f.score)).toEqual([0.5, 0.48, 0.1]);
  });

  it("leaves a clear fused lead alone", () => {
    const ranking = fused([[0, 0.8, 0.8, 0.8], [1, 0.3, 0.4, 0.2], [2, 0.1, 0.2, 0]]);
    expect(context.rerank("find restaurants nearby", ranking).map((f) => f.index)).toEqual([0, 1, 2]);
  });

  it("only re-orders the first `depth` candidates", () => {
    const ranking = fused([[0, 0.5, 0.6, 0.4], [2, 0.45, 0.5, 0.4], [1, 0.44, 0.58, 0.4]]);
    const out = context.rerank("find restaurants nearby within a distance", ranking, RERANK_WEIGHTS, 2);
    expect(out[2]!.index).toBe(1);
    expect(out).toHaveLength(3);
  });

  it("with zero weights keeps the fused order (ties keep their place)", () => {
    const ranking = fused([[2, 0.5, 0.5, 0.5], [0, 0.5, 0.5, 0.5], [1, 0.5, 0.5, 0.5]]);
    expect(context.rerank("find restaurants nearby", ranking, RERANK_WEIGHTS.map(() => 0)).map((f) => f.index)).toEqual([2, 0, 1]);
  });
});
