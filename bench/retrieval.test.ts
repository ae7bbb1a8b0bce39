import { describe, expect, it } from "vitest";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { availableBenches, runBench } from "./main.js";
import { BenchInputError } from "./report.js";
import { parseRetrievalArgs } from "./retrieval.js";
import { splitOf } from "./retrieval-data.js";
import { rankingMetrics } from "./retrieval-metrics.js";

const tools = [
  { name: "get_weather", description: "Current weather and forecast for a city.", parameters: { type: "object", properties: { city: { type: "string", description: "City name" } } } },
  { name: "convert_currency", description: "Converts an amount between two currencies at today's rate." },
  { name: "book_flight", description: "Books a flight between two airports on a date." },
  { name: "translate_text", description: "Translates text into another language." },
];
const queries = [
  { id: "q1", query: "will it rain in Paris tomorrow?", gold_tools: ["get_weather"] },
  { id: "q2", query: "how many euros is 100 dollars", gold_tools: ["convert_currency"] },
  { id: "q3", query: "get me a plane ticket from JFK to LHR on May 3 and the weather there", gold_tools: ["book_flight", "get_weather"] },
  { id: "q4", query: "say hello in Japanese", gold_tools: ["translate_text"] },
  { id: "q5", query: "write a poem about autumn", gold_tools: [] },
];

function fixture(catalogRows: unknown[] = tools, queryRows: unknown[] = queries) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "keel-bench-"));
  const catalog = path.join(dir, "tools.jsonl");
  const qfile = path.join(dir, "queries.jsonl");
  fs.writeFileSync(catalog, catalogRows.map((r) => (typeof r === "string" ? r : JSON.stringify(r))).join("\n") + "\n");
  fs.writeFileSync(qfile, queryRows.map((r) => (typeof r === "string" ? r : JSON.stringify(r))).join("\n") + "\n");
  return { dir, catalog, queries: qfile, out: path.join(dir, "report.json") };
}

const quiet = () => {
  const lines: string[] = [];
  return { io: { log: (t: string) => lines.push(t), error: (t: string) => lines.push(t) }, lines };
};

describe("parseRetrievalArgs", () => {
  it.each([
    [["--dataset", "bfcl"], { dataset: "bfcl", ks: [1, 3, 5, 10], split: "test", sample: 2000 }],
    [["--catalog", "a.jsonl", "--queries", "b.jsonl", "--k", "5,1"], { catalog: "a.jsonl", queries: "b.jsonl", ks: [1, 5] }],
    [["--dataset", "metatool", "--split", "dev", "--sample", "500"], { split: "dev", sample: 500 }],
    [["--dataset", "app", "--fusion", "rrf"], { fusion: { method: "rrf", denseWeight: 1, keywordWeight: 1, rrfK: 60 } }],
    [["--dataset", "bfcl", "--data-dir", "/data", "--no-tool-threshold", "0.4"], { dataDir: "/data", noToolThreshold: 0.4, rerank: false }],
    [["--dataset", "bfcl", "--rerank"], { rerank: true }],
  ])("%j", (argv, expected) => {
    expect(parseRetrievalArgs(argv)).toMatchObject(expected);
  });

  it.each([
    [[], /Give --dataset, or both --catalog and --queries/],
    [["--catalog", "a.jsonl"], /both --catalog and --queries/],
    [["--dataset", "imagenet"], /Unknown --dataset "imagenet"/],
    [["--dataset", "bfcl", "--k", "0,5"], /--k "0,5"/],
    [["--dataset", "bfcl", "--split", "train"], /--split "train"/],
    [["--dataset", "bfcl", "--verbose"], /Unknown option '--verbose'/],
    [["--dataset", "bfcl", "--catalog", "x"], /cannot be combined/],
    [["--dataset", "bfcl", "--fusion", "max"], /--fusion "max"/],
    [["--dataset", "bfcl", "--sample", "0"], /--sample "0"/],
  ])("%j -> BenchInputError", (argv, message) => {
    expect(() => parseRetrievalArgs(argv)).toThrow(BenchInputError);
    expect(() => parseRetrievalArgs(argv)).toThrow(message);
  });
});

describe("npm run bench -- retrieval", () => {
  it("writes and prints the report: bench, dataset, metrics, groups with a bm25 floor", async () => {
    const f = fixture();
    const { io, lines } = quiet();
    const { code } = await runBench(["--", "retrieval", "--catalog", f.catalog, "--queries", f.queries, "--split", "all", "--out", f.out], io);
    expect(code).toBe(0);
    const report = JSON.parse(fs.readFileSync(f.out, "utf8"));
    expect(Object.keys(report).slice(0, 4)).toEqual(["bench", "dataset", "metrics", "groups"]);
    expect(report.bench).toBe("retrieval");
    expect(report.dataset).toBe("tools.jsonl");
    for (const name of ["recall@1", "recall@3", "recall@5", "recall@10", "mrr", "all_gold@5", "no_tool_precision", "no_tool_recall", "build_ms_cold", "build_ms_warm", "p50_ms", "p95_ms", "p50_cpu_ms", "build_cpu_ms_cold", "build_cpu_ms_warm", "load_average_1m", "schema_tokens_selected", "schema_tokens_all"]) {
      expect(typeof report.metrics[name], name).toBe("number");
    }
    expect(report.metrics.p50_cpu_ms).toBeGreaterThan(0);
    expect(report.metrics.queries).toBe(5);
    expect(report.metrics.tools).toBe(4);
    expect(report.metrics.warm_build_embed_calls).toBe(0);
    expect(report.metrics["recall@10"]).toBe(1); // 4 tools: everything is in the top 10
    expect(Object.keys(report.groups)).toEqual(expect.arrayContaining(["all", "no-tool", "bm25", "bm25/all"]));
    expect(typeof report.groups.bm25["recall@5"]).toBe("number");
    const printed = lines.join("\n");
    expect(printed).toContain("retrieval on tools.jsonl");
    expect(printed).toMatch(/recall@5\s+\d/);
    expect(printed).toContain("[bm25]");
  });

  it.each([
    ["a malformed JSONL row", () => fixture([tools[0], "{not json", tools[1]]), (f: ReturnType<typeof fixture>) => `${f.catalog}:2: malformed JSON`],
    ["a duplicate tool name", () => fixture([tools[0], tools[1], tools[0]]), (f: ReturnType<typeof fixture>) => `${f.catalog}:3 repeats the name "get_weather" of ${f.catalog}:1`],
    ["an empty tool name", () => fixture([{ name: " ", description: "x" }]), (f: ReturnType<typeof fixture>) => `${f.catalog}:1 has an empty name`],
    ["a missing description", () => fixture([{ name: "a" }]), (f: ReturnType<typeof fixture>) => `${f.catalog}:1 ("a") has no description`],
    ["a query row without gold_tools", () => fixture(tools, [{ id: "x", query: "hi" }]), (f: ReturnType<typeof fixture>) => `${f.queries}:1: gold_tools must be a list`],
    ["a gold tool not in the catalogue", () => fixture(tools, [{ id: "x", query: "hi", gold_tools: ["nope"] }]), (f: ReturnType<typeof fixture>) => `${f.queries}:1: gold tool "nope" is not in the catalogue`],
    ["a malformed query row", () => fixture(tools, [queries[0], "[1,"]), (f: ReturnType<typeof fixture>) => `${f.queries}:2: malformed JSON`],
  ])("%s: clear error naming the file and line, exit code 2", async (_label, make, expected) => {
    const f = make();
    const { io, lines } = quiet();
    const { code } = await runBench(["retrieval", "--catalog", f.catalog, "--queries", f.queries, "--split", "all"], io);
    expect(code).toBe(2);
    expect(lines.join("\n")).toContain(expected(f));
  });

  it("an unreadable catalogue: exit code 2", async () => {
    const f = fixture();
    const { io, lines } = quiet();
    const { code } = await runBench(["retrieval", "--catalog", path.join(f.dir, "missing.jsonl"), "--queries", f.queries], io);
    expect(code).toBe(2);
    expect(lines.join("\n")).toMatch(/Cannot read the tool catalogue .*missing\.jsonl \(ENOENT\)/);
  });

  it.each([
    [[], /Usage: npm run bench -- <name>/],
    [["nosuchbench"], /Unknown bench "nosuchbench"/],
    [["retrieval", "--out"], /--out needs a file name/],
  ])("main %j: usage error, exit code 2", async (argv, message) => {
    const { io, lines } = quiet();
    expect((await runBench(argv, io)).code).toBe(2);
    expect(lines.join("\n")).toMatch(message);
  });

  it("lists benches by file: retrieval, not its helpers or tests", () => {
    expect(availableBenches()).toContain("retrieval");
    expect(availableBenches().some((b) => b.includes("-") || b === "main" || b === "report")).toBe(false);
  });
});

describe("metrics", () => {
  it("recall@k, mrr, all_gold@5 and the no-tool decision", () => {
    const m = rankingMetrics(
      [
        { group: "g", gold: ["a"], ranked: ["a", "b"], noTool: false },
        { group: "g", gold: ["a", "b"], ranked: ["c", "a", "d", "e", "f", "b"], noTool: false },
        { group: "g", gold: [], ranked: ["a"], noTool: true },
        { group: "g", gold: ["x"], ranked: ["y"], noTool: true },
      ],
      [1, 5],
    );
    expect(m["recall@1"]).toBeCloseTo((1 + 0 + 0) / 3);
    expect(m["recall@5"]).toBeCloseTo((1 + 0.5 + 0) / 3);
    expect(m.mrr).toBeCloseTo((1 + 0.5 + 0) / 3);
    expect(m["all_gold@5"]).toBeCloseTo(1 / 3);
    expect(m.no_tool_precision).toBe(0.5);
    expect(m.no_tool_recall).toBe(1);
  });

  it("the dev/test split is stable and about one in five", () => {
    const ids = Array.from({ length: 1000 }, (_, i) => `id-${i}`);
    const dev = ids.filter((id) => splitOf(id) === "dev").length;
    expect(dev).toBeGreaterThan(150);
    expect(dev).toBeLessThan(250);
    expect(ids.map(splitOf)).toEqual(ids.map(splitOf));
  });
});
