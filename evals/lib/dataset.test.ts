import { describe, it, expect } from "vitest";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { loadDataset, formatSkipped } from "./dataset.js";
import { EndStateRow, GroundingRow, RoutingRow, SafetyRow, TrajectoryRow } from "./rows.js";

function file(lines: string[]): string {
  const f = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "keel-ds-")), "rows.jsonl");
  fs.writeFileSync(f, lines.join("\n"));
  return f;
}

describe("loadDataset", () => {
  it("skips each malformed row with its file and line, keeps the good ones with their line", () => {
    const f = file([
      '{"id":"a","request":"Cancel order ORD-10500","expected_routes":["shipping"]}',
      "",
      '{"id":"b","request":"Refund PAY-31043"',
      '{"id":"c","request":"","expected_routes":[]}',
      '{"id":"a","request":"again","expected_routes":[]}',
      '{"id":"d","request":"hello","expected_routes":[]}',
    ]);
    const { rows, skipped } = loadDataset(f, RoutingRow);
    expect(rows.map((r) => [r.id, r.line])).toEqual([["a", 1], ["d", 6]]);
    expect(skipped.map((s) => [path.basename(s.file), s.line])).toEqual([["rows.jsonl", 3], ["rows.jsonl", 4], ["rows.jsonl", 5]]);
    expect(skipped[0]!.error).toMatch(/not valid JSON/);
    expect(skipped[1]!.error).toMatch(/^request: /);
    expect(skipped[2]!.error).toMatch(/id "a" repeats line 1/);
    expect(formatSkipped(skipped)[1]).toMatch(/rows\.jsonl:4: skipped: request/);
  });

  it.each([
    ["trajectory with an unknown match mode", TrajectoryRow, '{"id":"t","request":"x","trajectory":[],"match":"fuzzy"}', /match/],
    ["trajectory step without a tool", TrajectoryRow, '{"id":"t","request":"x","trajectory":[{"args":{}}]}', /trajectory\.0\.tool/],
    ["end state with an unknown op", EndStateRow, '{"id":"e","request":"x","expected":[{"table":"orders","op":"upsert"}]}', /expected\.0\.op/],
    ["end state with a stray field", EndStateRow, '{"id":"e","request":"x","expected":[],"expcted":[]}', /Unrecognized key/],
    ["grounding with a malformed KB id", GroundingRow, '{"id":"g","request":"x","expected_articles":["KB-1"]}', /expected_articles\.0/],
    ["grounding without articles", GroundingRow, '{"id":"g","request":"x","expected_articles":[]}', /expected_articles/],
    ["safety with an invalid pattern", SafetyRow, '{"id":"s","request":"x","answer_must_not_match":["(["]}', /regular expression/],
    ["an approval that is not a decision", TrajectoryRow, '{"id":"t","request":"x","trajectory":[],"approvals":["maybe"]}', /approvals\.0/],
  ])("%s is skipped with the reason", (_name, schema, line, reason) => {
    const { rows, skipped } = loadDataset(file([line]), schema as unknown as typeof RoutingRow);
    expect(rows).toEqual([]);
    expect(skipped).toHaveLength(1);
    expect(skipped[0]!.line).toBe(1);
    expect(skipped[0]!.error).toMatch(reason);
  });
});
