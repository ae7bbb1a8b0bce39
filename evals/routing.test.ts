import { describe, it, expect } from "vitest";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { evaluateRouting, readRows } from "./routing.js";
import { ROUTES } from "../graphs/meta/directory.js";

const DATASET = "evals/datasets/routing.jsonl";

describe("routing eval", () => {
  it("the dataset names only real routes and covers every route and the clarify case", () => {
    const rows = readRows(DATASET);
    const expected = new Set(rows.flatMap((r) => r.expected_routes));
    for (const route of expected) expect(ROUTES).toContain(route);
    for (const route of ROUTES) expect(expected.has(route), route).toBe(true);
    expect(rows.some((r) => r.expected_routes.length === 0)).toBe(true);
    expect(new Set(rows.map((r) => r.id)).size).toBe(rows.length);
  });

  it("a malformed row is refused with its line number", () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "keel-eval-")), "rows.jsonl");
    fs.writeFileSync(file, '{"id":"a","request":"x","expected_routes":[]}\n{"id":"b","request":""}\n');
    expect(() => readRows(file)).toThrow(/rows\.jsonl:2: request/);
  });

  it("the offline router keeps its accuracy on the routing set (regression gate)", async () => {
    const report = await evaluateRouting(readRows(DATASET));
    expect(report.metrics.examples).toBe(readRows(DATASET).length);
    expect(report.metrics.routing_accuracy).toBeGreaterThanOrEqual(0.85);
    expect(report.groups.clarify?.routing_accuracy).toBe(1);
  });
});
