import { describe, expect, it } from "vitest";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { availableBenches, runBench } from "./main.js";
import { coverage, kilobyteTexts, parsePiiArgs, presidioDataset, scoreText, metricsOf, type Counts } from "./pii.js";
import { BenchInputError } from "./report.js";

const rows = [
  { id: "r1", text: "Mail marta.lindqvist@fjordanalytics.example or call +1 415-555-0132.", spans: [{ type: "EMAIL_ADDRESS", start: 5, end: 43 }, { type: "PHONE_NUMBER", start: 52, end: 67 }] },
  { id: "r2", text: "Card 4111 1111 1111 1111, SSN 123-45-6789.", spans: [{ type: "CREDIT_CARD", start: 5, end: 24 }, { type: "US_SSN", start: 30, end: 41 }] },
  { id: "r3", text: "CUS-1042 paid $99.00 on 2026-11-01.", spans: [] },
  { id: "r4", text: "Login from 10.0.0.7", spans: [{ type: "IP_ADDRESS", start: 11, end: 19 }] },
];

function fixture(lines: unknown[] = rows) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "keel-bench-pii-"));
  const data = path.join(dir, "rows.jsonl");
  fs.writeFileSync(data, lines.map((r) => (typeof r === "string" ? r : JSON.stringify(r))).join("\n") + "\n");
  return { dir, data, out: path.join(dir, "report.json") };
}

const quiet = () => {
  const lines: string[] = [];
  return { io: { log: (t: string) => lines.push(t), error: (t: string) => lines.push(t) }, lines };
};

describe("parsePiiArgs", () => {
  it.each([
    [["--data", "rows.jsonl"], { data: "rows.jsonl", split: "all" }],
    [["--dataset", "presidio"], { dataset: "presidio", split: "test" }],
    [["--dataset", "presidio", "--split", "dev", "--data-dir", "/d"], { dataset: "presidio", split: "dev", dataDir: "/d" }],
  ])("%j", (argv, expected) => {
    expect(parsePiiArgs(argv)).toEqual(expected);
  });

  it.each([
    [[], /either --data FILE or --dataset presidio/],
    [["--data", "a", "--dataset", "presidio"], /either --data/],
    [["--dataset", "conll"], /Unknown --dataset "conll"/],
    [["--data", "a", "--split", "train"], /--split "train"/],
    [["--data", "a", "--verbose"], /Unknown option '--verbose'/],
  ])("%j -> BenchInputError", (argv, message) => {
    expect(() => parsePiiArgs(argv)).toThrow(BenchInputError);
    expect(() => parsePiiArgs(argv)).toThrow(message);
  });
});

describe("scoring", () => {
  it.each([
    ["whole gold covered", "ab cd", 0, 5, [{ start: 0, end: 5 }], 1],
    ["half, spaces not counted", "ab cd", 0, 5, [{ start: 0, end: 2 }], 0.5],
    ["nothing", "ab cd", 0, 5, [], 0],
  ])("coverage: %s", (_name, text, start, end, ranges, expected) => {
    expect(coverage(text, start, end, ranges)).toBe(expected);
  });

  it("counts a split gold address as found by one predicted span, and a mostly-outside prediction as wrong", () => {
    const text = "4844 Søndergade 52 Apt. 656 Denmark";
    const gold = [
      { type: "STREET_ADDRESS", start: 0, end: 4 },
      { type: "STREET_ADDRESS", start: 5, end: 18 },
      { type: "STREET_ADDRESS", start: 19, end: 27 },
    ];
    const counts = new Map<string, Counts>();
    scoreText(text, gold, [{ type: "STREET_ADDRESS", start: 0, end: 35 }, { type: "PERSON", start: 28, end: 35 }], counts);
    const address = metricsOf(counts.get("STREET_ADDRESS")!);
    expect(address).toMatchObject({ precision: 1, recall: 1, gold: 3, predicted: 1 });
    expect(metricsOf(counts.get("PERSON")!)).toMatchObject({ precision: 0, predicted: 1, gold: 0 });
  });

  it("joins texts into ~1 KB units", () => {
    const units = kilobyteTexts(Array.from({ length: 30 }, () => "x".repeat(100)));
    expect(units.length).toBe(3);
    expect(units.every((u) => u.length >= 1000)).toBe(true);
  });
});

describe("npm run bench -- pii", () => {
  it("is listed", () => {
    expect(availableBenches()).toContain("pii");
  });

  it("writes and prints the report: metrics, one group per type, notes", async () => {
    const f = fixture();
    const { io, lines } = quiet();
    const { code } = await runBench(["--", "pii", "--data", f.data, "--out", f.out], io);
    expect(code).toBe(0);
    const report = JSON.parse(fs.readFileSync(f.out, "utf8"));
    expect(Object.keys(report).slice(0, 4)).toEqual(["bench", "dataset", "metrics", "groups"]);
    expect(report).toMatchObject({ bench: "pii", dataset: "rows.jsonl" });
    for (const name of ["precision", "recall", "f1", "token_precision", "token_recall", "token_f1", "p50_ms", "p95_ms"]) {
      expect(typeof report.metrics[name], name).toBe("number");
    }
    expect(report.metrics.texts).toBe(4);
    expect(Object.keys(report.groups)).toEqual(["EMAIL_ADDRESS", "PHONE_NUMBER", "CREDIT_CARD", "US_SSN", "IP_ADDRESS", "structured"]);
    for (const g of Object.values(report.groups) as Record<string, number>[]) {
      expect(g).toMatchObject({ precision: 1, recall: 1, f1: 1 });
    }
    expect(report.notes.join("\n")).toMatch(/>= 50%/);
    expect(lines.join("\n")).toContain("pii on rows.jsonl");
  });

  it.each([
    [["not json"], /rows.jsonl:1: malformed JSON/],
    [[{ id: "a", text: "x" }], /"spans" must be an array/],
    [[{ id: "a", text: "abc", spans: [{ type: "PERSON", start: 2, end: 9 }] }], /span 0 needs/],
    [[{ id: "a", text: "x", spans: [] }, { id: "a", text: "y", spans: [] }], /duplicate id "a"/],
    [[{ text: "x", spans: [] }], /needs an "id"/],
  ])("bad rows %j exit with code 2", async (lines, message) => {
    const f = fixture(lines);
    const { io, lines: out } = quiet();
    const { code } = await runBench(["pii", "--data", f.data], io);
    expect(code).toBe(2);
    expect(out.join("\n")).toMatch(message);
  });

  it("reads the Presidio layout: mapped types, unscored types dropped, template split", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "keel-bench-presidio-"));
    fs.mkdirSync(path.join(dir, "presidio"));
    const samples = [
      { full_text: "Call 415-555-0132, Acme", spans: [{ entity_type: "PHONE_NUMBER", start_position: 5, end_position: 17 }, { entity_type: "ORGANIZATION", start_position: 19, end_position: 23 }], template_id: 1 },
      { full_text: "Hi Anna", spans: [{ entity_type: "PERSON", start_position: 3, end_position: 7 }], template_id: 2 },
    ];
    fs.writeFileSync(path.join(dir, "presidio", "synth_dataset_v2.json"), JSON.stringify(samples));
    const data = presidioDataset(dir);
    expect(data.rows.map((r) => r.spans.map((s) => s.type))).toEqual([["PHONE_NUMBER"], ["PERSON"]]);
    expect(data.rows.every((r) => r.split === "dev" || r.split === "test")).toBe(true);
    expect(data.notes.join(" ")).toContain("ORGANIZATION 1");
    expect(() => presidioDataset(path.join(dir, "missing"))).toThrow(BenchInputError);
  });
});
