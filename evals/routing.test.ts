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

  // Accuracy over the whole set is gated by `npm run eval` against evals/baseline.json (routing suite); here, on
  // a few rows, that the script scores, groups and names misses as it says.
  it("scores exact route sets, groups by expected route and names the misses", async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "keel-eval-")), "rows.jsonl");
    fs.writeFileSync(
      file,
      [
        '{"id":"a","request":"why was customer CUS-1042 charged twice?","expected_routes":["finance"]}',
        '{"id":"b","request":"why was customer CUS-1042 charged twice?","expected_routes":["shipping"]}',
        '{"id":"c","request":"hmm","expected_routes":[]}',
      ].join("\n"),
    );
    const report = await evaluateRouting(readRows(file));
    expect(report.metrics).toEqual({ routing_accuracy: 2 / 3, examples: 3 });
    expect(report.groups.finance).toEqual({ routing_accuracy: 1, examples: 1 });
    expect(report.groups.shipping).toEqual({ routing_accuracy: 0, examples: 1 });
    expect(report.groups.clarify).toEqual({ routing_accuracy: 1, examples: 1 });
    expect(report.misses).toEqual([{ id: "b", expected: ["shipping"], got: ["finance"] }]);
  });
});
