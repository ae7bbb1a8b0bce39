import { describe, expect, it } from "vitest";
import { fuse, type FusionOptions } from "./fusion.js";

const weighted: FusionOptions = { method: "weighted", denseWeight: 0.6, keywordWeight: 0.4 };
const rrf: FusionOptions = { method: "rrf", denseWeight: 1, keywordWeight: 1, rrfK: 60 };

describe("fuse", () => {
  it.each([
    // dense, keyword (ceiling 10), expected order
    ["dense decides when keywords tie", [0.9, 0.2, 0.5], [0, 0, 0], [0, 2, 1]],
    ["keywords decide when dense ties", [0.5, 0.5, 0.5], [1, 8, 4], [1, 2, 0]],
    ["a strong keyword match outweighs a small dense lead", [0.5, 0.45, 0.1], [0, 10, 0], [1, 0, 2]],
  ])("weighted: %s", (_label, dense, keyword, order) => {
    const out = fuse({ candidates: [0, 1, 2], dense, keyword, keywordCeiling: 10 }, weighted);
    expect(out.map((f) => f.index)).toEqual(order);
  });

  it("weighted scores are absolute: 0.6 * cosine + 0.4 * bm25 / ceiling", () => {
    const [top] = fuse({ candidates: [0], dense: [0.5], keyword: [5], keywordCeiling: 10 }, weighted);
    expect(top!.score).toBeCloseTo(0.6 * 0.5 + 0.4 * 0.5);
    expect(top!.dense).toBe(0.5);
    expect(top!.keyword).toBeCloseTo(0.5);
  });

  it("negative cosines count as zero", () => {
    const [top] = fuse({ candidates: [0], dense: [-0.3], keyword: [0], keywordCeiling: 1 }, weighted);
    expect(top!.score).toBe(0);
  });

  it.each([
    ["rrf", rrf],
    ["weighted", weighted],
  ])("%s ranks only the candidates it is given", (_m, options) => {
    const out = fuse({ candidates: [2, 0], dense: [0.1, 0.99, 0.5], keyword: [1, 9, 1], keywordCeiling: 10 }, options);
    expect(out.map((f) => f.index).sort()).toEqual([0, 2]);
  });

  it("rrf: agreement of both rankers wins; scores are 1/(k + rank) sums", () => {
    const out = fuse({ candidates: [0, 1, 2], dense: [0.9, 0.8, 0.1], keyword: [1, 5, 0], keywordCeiling: 10 }, rrf);
    // 1st dense + 2nd keyword ties with 2nd dense + 1st keyword; the keyword score breaks the tie.
    expect(out[0]!.index).toBe(1);
    expect(out[0]!.score).toBeCloseTo(1 / 62 + 1 / 61);
    expect(out[2]!.index).toBe(2);
    expect(out[2]!.score).toBeCloseTo(1 / 63); // no keyword match: dense part only
  });

  it("without dense scores (NaN) the keyword part ranks alone", () => {
    const out = fuse({ candidates: [0, 1], dense: [Number.NaN, Number.NaN], keyword: [2, 6], keywordCeiling: 10 }, weighted);
    expect(out.map((f) => f.index)).toEqual([1, 0]);
    expect(out[0]!.score).toBeCloseTo(0.6);
    expect(out[0]!.dense).toBeUndefined();
  });

  it("ties keep catalogue order", () => {
    const out = fuse({ candidates: [3, 1, 2], keyword: [0, 0, 0, 0], keywordCeiling: 0 }, weighted);
    expect(out.map((f) => f.index)).toEqual([1, 2, 3]);
  });
});
