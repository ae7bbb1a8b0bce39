import { describe, expect, it } from "vitest";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { runBench } from "./main.js";
import { readRoutingRows } from "./routing-data.js";
import { readPairs } from "./cost.js";
import { sequentialCalls } from "./cost-model.js";

function file(lines: string[]): string {
  const f = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "keel-routing-bench-")), "rows.jsonl");
  fs.writeFileSync(f, lines.join("\n") + "\n");
  return f;
}

const quiet = () => {
  const lines: string[] = [];
  return { io: { log: (t: string) => lines.push(t), error: (t: string) => lines.push(t) }, lines };
};

describe("routing bench", () => {
  it.each([
    ['{"id":"a","request":"x","expected_agents":["finance"]}\n{"id":"b","request":"y"}', /rows\.jsonl:2: "expected_agents"/],
    ['{"id":"a","request":"x","expected_agents":["billing"]}', /rows\.jsonl:1: unknown agent "billing"/],
    ['{"id":"a","request":"","expected_agents":[]}', /rows\.jsonl:1: "request"/],
    ['{"id":"a","request":"x","expected_agents":[]}\n{"id":"a","request":"y","expected_agents":[]}', /rows\.jsonl:2: duplicate id "a"/],
    ['{"id":"a","request":"x","expected_agents":[]}\nnot json', /rows\.jsonl:2: not valid JSON/],
  ])("a malformed row names file and line, exit 2 (%#)", async (content, message) => {
    const data = file(content.split("\n"));
    const { io, lines } = quiet();
    const { code } = await runBench(["routing", "--data", data], io);
    expect(code).toBe(2);
    expect(lines.join("\n")).toMatch(message);
  });

  it("reads expected_agents, or the eval's expected_routes, sorted; ids default to the line", () => {
    const rows = readRoutingRows(file(['{"request":"x","expected_agents":["shipping","finance"]}', '{"id":"b","request":"y","expected_routes":[]}']));
    expect(rows.map((r) => [r.id, r.expected])).toEqual([["line-1", ["finance", "shipping"]], ["b", []]]);
  });

  it("scores a small set: the fast path decides confident rows without the model, and the figures add up", async () => {
    const data = file([
      '{"id":"f1","request":"Refund payment PAY-31043, it was a duplicate","expected_agents":["finance"]}',
      '{"id":"s1","request":"Track shipment SHP-40233","expected_agents":["shipping"]}',
      '{"id":"c1","request":"hmm","expected_agents":[]}',
    ]);
    const { io } = quiet();
    const { code, report } = await runBench(["routing", "--data", data], io);
    expect(code).toBe(0);
    const m = report!.metrics;
    expect(m.examples).toBe(3);
    // Report metrics carry 4 decimals (2/3 -> 0.6667).
    expect(m.routed_without_model_call! * 3).toBeCloseTo(m.fast_path_examples!, 3);
    expect(m.fast_path_examples).toBeGreaterThanOrEqual(2);
    expect(m.fast_path_accuracy).toBe(1);
    const off = await runBench(["routing", "--data", data, "--no-fast"], quiet().io);
    expect(off.report!.metrics.routed_without_model_call).toBe(0);
  });
});

describe("cost bench helpers", () => {
  it("a malformed pair names file and line", () => {
    const f = file(['{"id":"p1","request":"a","paraphrase":"b"}', '{"id":"p2","request":"a"}']);
    expect(() => readPairs(f, "paraphrase")).toThrow(/rows\.jsonl:2: "paraphrase"/);
    expect(() => readPairs(f, "near_miss")).toThrow(/rows\.jsonl:1: "near_miss"/);
  });

  it("bad options exit 2 before anything runs", async () => {
    const { io, lines } = quiet();
    expect((await runBench(["cost", "--latency-ms", "-5"], io)).code).toBe(2);
    expect((await runBench(["cost", "--data", "/nonexistent/rows.jsonl"], io)).code).toBe(2);
    expect(lines.join("\n")).toMatch(/latency-ms[\s\S]*Cannot read \/nonexistent\/rows\.jsonl/);
  });

  it.each([
    [[], 0],
    [[[0, 10]], 1],
    [[[0, 10], [10, 20], [20, 30]], 3],
    [[[0, 10], [1, 9], [2, 11]], 1],
    [[[0, 10], [0, 10], [10, 20], [11, 19]], 2],
  ])("sequential calls of %j: %i", (intervals, expected) => {
    expect(sequentialCalls((intervals as number[][]).map(([start, end]) => ({ start: start!, end: end!, inputTokens: 0, outputTokens: 0 })))).toBe(expected);
  });
});
