/**
 * PII detection bench: precision and recall of `detectPii` per type, and its speed.
 *
 *   npm run bench -- pii --data rows.jsonl [--split all|dev|test] [--out report.json]
 *   npm run bench -- pii --dataset presidio [--data-dir DIR] [--split test|dev|all] [--out report.json]
 *
 * Rows: `{"id", "text", "spans": [{"type", "start", "end"}]}` (character offsets, end exclusive).
 *
 * Matching (span level, the headline `precision` / `recall` / `f1`): a gold span counts as found when predicted
 * spans of the same type cover at least half of its non-space characters; a predicted span counts as correct
 * when gold spans of the same type cover at least half of its non-space characters. So an address predicted as
 * one span where the gold has it in pieces (or the other way round) still counts, and a name found as only its
 * first name of two long words does not. `token_precision` / `token_recall` / `token_f1` score the same data per
 * word token (a token is of a type when it overlaps a span of that type), as a finer view.
 *
 * `--dataset presidio` reads presidio/synth_dataset_v2.json under KEEL_BENCHMARKS_DIR (or ../shared/benchmarks, or
 * --data-dir). Its types map by name to ours (EMAIL_ADDRESS, PHONE_NUMBER, CREDIT_CARD, IBAN_CODE, US_SSN,
 * IP_ADDRESS, PERSON, STREET_ADDRESS); the others (GPE, ORGANIZATION, DATE_TIME, TITLE, AGE, NRP, ZIP_CODE,
 * DOMAIN_NAME, US_DRIVER_LICENSE) are not scored, and a prediction on them counts as a false positive. The
 * split is by template: dev = templates whose sha1("template:<id>") starts with a byte divisible by 3, test =
 * the rest, so no sentence pattern is in both. Rules were tuned on dev only; report test.
 *
 * Latency: `detectPii` on each text of the split, one by one after a warm-up (p50_ms / p95_ms per text), and on
 * texts of about 1 KB made by joining consecutive texts (p50_ms_1kb / p95_ms_1kb), the unit of the guard budget.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { detectPii } from "../src/guardrails/pii/index.js";
import { BenchInputError, parseBenchOptions, type BenchReport, quantile } from "./report.js";

export const usage = "npm run bench -- pii (--data rows.jsonl | --dataset presidio [--data-dir DIR]) [--split test|dev|all] [--out FILE]";

export interface GoldSpan {
  type: string;
  start: number;
  end: number;
}

export interface PiiRow {
  id: string;
  text: string;
  spans: GoldSpan[];
  split: "dev" | "test";
}

export interface PiiDataset {
  name: string;
  rows: PiiRow[];
  notes: string[];
}

export interface PiiArgs {
  data?: string;
  dataset?: "presidio";
  dataDir?: string;
  split: "test" | "dev" | "all";
}

const SCORED_TYPES = ["EMAIL_ADDRESS", "PHONE_NUMBER", "CREDIT_CARD", "IBAN_CODE", "US_SSN", "IP_ADDRESS", "PERSON", "STREET_ADDRESS"];
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

export function parsePiiArgs(argv: string[]): PiiArgs {
  const values = parseBenchOptions(argv, { data: { type: "string" }, dataset: { type: "string" }, "data-dir": { type: "string" }, split: { type: "string" } }, usage);
  if (values.dataset !== undefined && values.dataset !== "presidio") throw new BenchInputError(`Unknown --dataset "${values.dataset}": use presidio.`);
  if (!values.dataset === !values.data) throw new BenchInputError(`Give either --data FILE or --dataset presidio. Usage: ${usage}`);
  const split = (values.split ?? (values.dataset ? "test" : "all")) as PiiArgs["split"];
  if (!["test", "dev", "all"].includes(split)) throw new BenchInputError(`--split "${values.split}": use test, dev or all.`);
  return {
    ...(values.data ? { data: values.data } : {}),
    ...(values.dataset ? { dataset: "presidio" as const } : {}),
    ...(values["data-dir"] ? { dataDir: values["data-dir"] } : {}),
    split,
  };
}

export function benchmarksDir(flag?: string, env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(flag ?? env.KEEL_BENCHMARKS_DIR ?? path.join(repoRoot, "..", "shared", "benchmarks"));
}

const hashByte = (s: string) => createHash("sha1").update(s).digest()[0]!;
/** dev for about one key in three, test otherwise; stable across runs and machines. */
export const splitOf = (key: string): "dev" | "test" => (hashByte(key) % 3 === 0 ? "dev" : "test");

function readText(file: string, what: string): string {
  try {
    return fs.readFileSync(file, "utf8");
  } catch (error) {
    throw new BenchInputError(`Cannot read the ${what} ${file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`);
  }
}

function checkSpans(where: string, text: string, spans: unknown): GoldSpan[] {
  if (!Array.isArray(spans)) throw new BenchInputError(`${where}: "spans" must be an array.`);
  return spans.map((s, k) => {
    const { type, start, end } = (s ?? {}) as Record<string, unknown>;
    if (typeof type !== "string" || !Number.isInteger(start) || !Number.isInteger(end) || (start as number) < 0 || (end as number) <= (start as number) || (end as number) > text.length) {
      throw new BenchInputError(`${where}: span ${k} needs a "type" and integer "start" < "end" within the text.`);
    }
    return { type, start: start as number, end: end as number };
  });
}

/** Rows of a JSONL file `{"id", "text", "spans": [{"type", "start", "end"}]}`; split by a hash of the id. */
export function fileDataset(file: string): PiiDataset {
  const rows: PiiRow[] = [];
  const ids = new Set<string>();
  readText(file, "data file")
    .split("\n")
    .forEach((line, i) => {
      if (!line.trim()) return;
      const where = `${file}:${i + 1}`;
      let row: Record<string, unknown>;
      try {
        row = JSON.parse(line) as Record<string, unknown>;
      } catch (error) {
        throw new BenchInputError(`${where}: malformed JSON (${(error as Error).message}).`);
      }
      if (!row || typeof row !== "object" || typeof row.text !== "string") throw new BenchInputError(`${where}: a row needs "id", "text" and "spans".`);
      const id = typeof row.id === "string" || typeof row.id === "number" ? String(row.id) : undefined;
      if (id === undefined) throw new BenchInputError(`${where}: a row needs an "id".`);
      if (ids.has(id)) throw new BenchInputError(`${where}: duplicate id "${id}".`);
      ids.add(id);
      rows.push({ id, text: row.text, spans: checkSpans(where, row.text, row.spans), split: splitOf(`id:${id}`) });
    });
  if (rows.length === 0) throw new BenchInputError(`${file} has no rows.`);
  return { name: path.basename(file), rows, notes: [`rows from ${path.basename(file)}; split by sha1 of the id (dev ~1/3).`] };
}

/** Presidio research's synthetic set, mapped to our types; dev/test split by template. */
export function presidioDataset(dir: string): PiiDataset {
  const file = path.join(dir, "presidio", "synth_dataset_v2.json");
  let data: unknown;
  try {
    data = JSON.parse(readText(file, "Presidio dataset"));
  } catch (error) {
    if (error instanceof BenchInputError) throw error;
    throw new BenchInputError(`${file}: malformed JSON (${(error as Error).message}).`);
  }
  if (!Array.isArray(data)) throw new BenchInputError(`${file}: expected an array of samples.`);
  const dropped = new Map<string, number>();
  const rows = data.map((sample, i): PiiRow => {
    const s = sample as { full_text?: unknown; spans?: unknown; template_id?: unknown };
    if (typeof s.full_text !== "string" || !Array.isArray(s.spans)) throw new BenchInputError(`${file}: sample ${i} needs full_text and spans.`);
    const spans: GoldSpan[] = [];
    for (const sp of s.spans as { entity_type?: unknown; start_position?: unknown; end_position?: unknown }[]) {
      const type = String(sp.entity_type);
      if (!SCORED_TYPES.includes(type)) {
        dropped.set(type, (dropped.get(type) ?? 0) + 1);
        continue;
      }
      spans.push(...checkSpans(`${file}: sample ${i}`, s.full_text, [{ type, start: sp.start_position, end: sp.end_position }]));
    }
    return { id: `presidio-${i}`, text: s.full_text, spans, split: splitOf(`template:${String(s.template_id ?? i)}`) };
  });
  const droppedText = [...dropped].sort((a, b) => b[1] - a[1]).map(([t, n]) => `${t} ${n}`).join(", ");
  return {
    name: "presidio",
    rows,
    notes: [
      "presidio-research synth_dataset_v2.json (1,500 synthetic sentences); dev/test split by template id (sha1 byte % 3 == 0 -> dev).",
      `not scored (no such detector): ${droppedText}; predictions on them count as false positives.`,
    ],
  };
}

// -----------------------------------------------------------------------------------------------------------------
// Scoring
// -----------------------------------------------------------------------------------------------------------------

export interface Counts {
  gold: number;
  goldFound: number;
  predicted: number;
  predictedCorrect: number;
  goldTokens: number;
  predictedTokens: number;
  tokenHits: number;
}

const emptyCounts = (): Counts => ({ gold: 0, goldFound: 0, predicted: 0, predictedCorrect: 0, goldTokens: 0, predictedTokens: 0, tokenHits: 0 });

/** Share of the non-space characters of [start, end) that the ranges cover. */
export function coverage(text: string, start: number, end: number, ranges: { start: number; end: number }[]): number {
  let total = 0;
  let covered = 0;
  for (let i = start; i < end; i++) {
    if (/\s/.test(text[i]!)) continue;
    total++;
    if (ranges.some((r) => i >= r.start && i < r.end)) covered++;
  }
  return total === 0 ? 0 : covered / total;
}

const TOKEN_RE = /[\p{L}\p{N}]+|[^\s\p{L}\p{N}]/gu;

/** Adds one text's outcome to the per-type counts. */
export function scoreText(text: string, gold: GoldSpan[], predicted: GoldSpan[], counts: Map<string, Counts>): void {
  const types = new Set([...gold.map((s) => s.type), ...predicted.map((s) => s.type)]);
  const tokens = types.size ? [...text.matchAll(TOKEN_RE)].map((m) => ({ start: m.index, end: m.index + m[0].length })) : [];
  for (const type of types) {
    const g = gold.filter((s) => s.type === type);
    const p = predicted.filter((s) => s.type === type);
    const c = counts.get(type) ?? emptyCounts();
    counts.set(type, c);
    c.gold += g.length;
    c.predicted += p.length;
    c.goldFound += g.filter((s) => coverage(text, s.start, s.end, p) >= 0.5).length;
    c.predictedCorrect += p.filter((s) => coverage(text, s.start, s.end, g) >= 0.5).length;
    for (const t of tokens) {
      const inGold = g.some((s) => t.start < s.end && s.start < t.end);
      const inPred = p.some((s) => t.start < s.end && s.start < t.end);
      if (inGold) c.goldTokens++;
      if (inPred) c.predictedTokens++;
      if (inGold && inPred) c.tokenHits++;
    }
  }
}

const ratio = (a: number, b: number, empty: number) => (b === 0 ? empty : a / b);
const f1 = (p: number, r: number) => (p + r === 0 ? 0 : (2 * p * r) / (p + r));

export function metricsOf(c: Counts): Record<string, number> {
  const precision = ratio(c.predictedCorrect, c.predicted, c.gold === 0 ? 1 : 0);
  const recall = ratio(c.goldFound, c.gold, 1);
  const tokenPrecision = ratio(c.tokenHits, c.predictedTokens, c.goldTokens === 0 ? 1 : 0);
  const tokenRecall = ratio(c.tokenHits, c.goldTokens, 1);
  return {
    precision,
    recall,
    f1: f1(precision, recall),
    gold: c.gold,
    predicted: c.predicted,
    token_precision: tokenPrecision,
    token_recall: tokenRecall,
    token_f1: f1(tokenPrecision, tokenRecall),
  };
}

function sum(list: Counts[]): Counts {
  const out = emptyCounts();
  for (const c of list) for (const k of Object.keys(out) as (keyof Counts)[]) out[k] += c[k];
  return out;
}


function timeEach(texts: string[]): number[] {
  for (const t of texts) detectPii(t); // warm-up: one untimed pass (JIT, regex compilation)
  return texts.map((t) => {
    const start = performance.now();
    detectPii(t);
    return performance.now() - start;
  });
}

/** Consecutive texts joined (blank line between) until each reaches about 1 KB. */
export function kilobyteTexts(texts: string[]): string[] {
  const out: string[] = [];
  let cur = "";
  for (const t of texts) {
    cur = cur ? `${cur}\n\n${t}` : t;
    if (cur.length >= 1000) {
      out.push(cur);
      cur = "";
    }
  }
  return out;
}

export async function run(argv: string[]): Promise<BenchReport> {
  const args = parsePiiArgs(argv);
  const data = args.dataset === "presidio" ? presidioDataset(benchmarksDir(args.dataDir)) : fileDataset(args.data!);
  const rows = args.split === "all" ? data.rows : data.rows.filter((r) => r.split === args.split);
  if (rows.length === 0) throw new BenchInputError(`No ${args.split} rows in ${data.name}.`);

  const counts = new Map<string, Counts>();
  for (const row of rows) {
    const predicted = detectPii(row.text).map((s) => ({ type: s.type as string, start: s.start, end: s.end }));
    scoreText(row.text, row.spans, predicted, counts);
  }
  const times = timeEach(rows.map((r) => r.text));
  const kb = kilobyteTexts(rows.map((r) => r.text));
  // Five rounds over the ~1 KB texts, so their quantiles rest on a few hundred timings.
  const kbTimes = kb.length ? Array.from({ length: 5 }, () => timeEach(kb)).flat() : [];

  const order = [...SCORED_TYPES, ...[...counts.keys()].filter((t) => !SCORED_TYPES.includes(t)).sort()];
  const groups: Record<string, Record<string, number>> = {};
  for (const type of order) {
    const c = counts.get(type);
    if (c && (c.gold > 0 || c.predicted > 0)) groups[type] = metricsOf(c);
  }
  const structured = ["EMAIL_ADDRESS", "PHONE_NUMBER", "CREDIT_CARD", "IBAN_CODE", "US_SSN", "IP_ADDRESS"];
  const structuredCounts = sum(structured.map((t) => counts.get(t) ?? emptyCounts()));
  if (structuredCounts.gold + structuredCounts.predicted > 0) groups.structured = metricsOf(structuredCounts);

  const metrics: Record<string, number> = {
    ...metricsOf(sum([...counts.values()])),
    texts: rows.length,
    p50_ms: quantile(times, 0.5),
    p95_ms: quantile(times, 0.95),
    ...(kbTimes.length ? { p50_ms_1kb: quantile(kbTimes, 0.5), p95_ms_1kb: quantile(kbTimes, 0.95), texts_1kb: kb.length } : {}),
  };
  return {
    bench: "pii",
    dataset: data.name,
    metrics,
    groups,
    notes: [
      ...data.notes,
      `split: ${args.split} (${rows.length} texts).${data.name === "presidio" ? " Rules were tuned on the dev split only." : ""}`,
      "span match: same type and >= 50% of the other span's non-space characters covered, counted from each side (gold for recall, prediction for precision); token_* = per word token.",
      "overall metrics are micro-averaged over all types; 'structured' = email, phone, card, IBAN, SSN, IP.",
      `latency: detectPii per text, one by one after an untimed warm-up pass over the same texts; *_1kb: 5 rounds over ${kb.length} texts of ~1 KB (consecutive texts joined).`,
    ],
  };
}
