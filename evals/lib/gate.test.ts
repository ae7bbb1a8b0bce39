import { describe, it, expect } from "vitest";
import { compareWithBaseline } from "./gate.js";
import type { Baseline } from "./report.js";
import type { ExampleResult } from "./results.js";

const result = (id: string, score: number, hash = `h-${id}`, suite = "end_state"): ExampleResult => ({
  suite,
  id,
  source: `x.jsonl:${id}`,
  hash,
  scores: { end_state_match: score },
  primary: "end_state_match",
  passed: score === 1,
});

function baselineOf(results: ExampleResult[]): Baseline {
  const suites: Baseline["suites"] = {};
  for (const r of results) {
    suites[r.suite] ??= { metrics: {}, examples: {} };
    suites[r.suite]!.examples[r.id] = { hash: r.hash, scores: r.scores };
  }
  return { generated_at: "t", model: "m", suites };
}

const base = baselineOf(Array.from({ length: 10 }, (_, i) => result(`es-${i}`, 1)));

describe("regression gate", () => {
  it("passes when nothing dropped", () => {
    const gate = compareWithBaseline(Array.from({ length: 10 }, (_, i) => result(`es-${i}`, 1)), base, { tolerance: 0.02 });
    expect(gate.ok).toBe(true);
    expect(gate.checks).toEqual([expect.objectContaining({ suite: "end_state", metric: "end_state_match", compared: 10, baseline: 1, current: 1, ok: true, regressed: [] })]);
  });

  it("fails when a score drops beyond the tolerance, naming the examples that regressed", () => {
    const now = Array.from({ length: 10 }, (_, i) => result(`es-${i}`, i === 3 || i === 7 ? 0 : 1));
    const gate = compareWithBaseline(now, base, { tolerance: 0.05 });
    expect(gate.ok).toBe(false);
    expect(gate.checks[0]!.regressed.map((r) => r.id)).toEqual(["es-3", "es-7"]);
    expect(gate.failures).toHaveLength(1);
    expect(gate.failures[0]).toMatch(/end_state end_state_match dropped from 1\.000 to 0\.800 \(tolerance 0\.05\).*es-3 \(1 -> 0\), es-7 \(1 -> 0\)/);
  });

  it("a drop within the tolerance passes but still lists the example", () => {
    const now = Array.from({ length: 10 }, (_, i) => result(`es-${i}`, i === 3 ? 0 : 1));
    const gate = compareWithBaseline(now, base, { tolerance: 0.1 });
    expect(gate.ok).toBe(true);
    expect(gate.checks[0]!.regressed.map((r) => r.id)).toEqual(["es-3"]);
  });

  it("new examples and changed examples are reported, not compared", () => {
    const now = [...Array.from({ length: 10 }, (_, i) => result(`es-${i}`, 1, i === 0 ? "changed" : `h-es-${i}`)), result("es-new", 0)];
    const gate = compareWithBaseline(now.map((r) => (r.id === "es-0" ? { ...r, scores: { end_state_match: 0 } } : r)), base, { tolerance: 0 });
    expect(gate.ok).toBe(true);
    expect(gate.added).toEqual({ end_state: 2 });
    expect(gate.checks[0]!.compared).toBe(9);
  });

  it("a baseline example missing from a full run fails the gate; a limited run ignores it", () => {
    const now = Array.from({ length: 9 }, (_, i) => result(`es-${i}`, 1));
    const full = compareWithBaseline(now, base, { tolerance: 0.02 });
    expect(full.ok).toBe(false);
    expect(full.missing).toEqual({ end_state: ["es-9"] });
    expect(full.failures[0]).toMatch(/es-9/);
    expect(compareWithBaseline(now, base, { tolerance: 0.02, partial: true }).ok).toBe(true);
  });

  it("suites the baseline does not know are not gated", () => {
    const gate = compareWithBaseline([result("r1", 0, "h", "routing")], base, { tolerance: 0 });
    expect(gate.ok).toBe(true);
    expect(gate.checks).toEqual([]);
  });
});
