/**
 * Prompt-injection detector bench: detection and false-positive rates, latency, per group, plus checks that
 * the detector does not simply key on text length.
 *
 *   npm run bench -- injection --dataset agentdojo [--data-dir DIR] [--split test|dev|all]
 *   npm run bench -- injection --dataset heldout
 *   npm run bench -- injection --data rows.jsonl      rows: {"id", "text", "label": "injected" | "benign", "group"?, "source"?}
 *   options: [--no-embeddings] [--out report.json]
 *
 * - detection_rate / false_positive_rate count a text as flagged when its verdict is not `clean` (suspicious
 *   or injected); the `*_injected_verdict` figures count only `injected` (what `strip`/`block` act on).
 * - AgentDojo (`<benchmarks>/agentdojo`, from --data-dir, KEEL_BENCHMARKS_DIR or ../shared/benchmarks):
 *   the TEST split by default (see `src/guardrails/injection/datasets.ts`: hash of suite + injection task for
 *   injected rows, of the text for benign rows; weights were fitted on dev only). Groups: `attack:<type>`,
 *   `suite:<suite>`, length buckets, `padded_benign`, the hand-written held-out set as `heldout`, and
 *   `benign:<set>` false-positive checks on other shared benchmarks (none of these extra groups is part of the
 *   overall figures).
 * - Length checks: `length:<bucket>` groups give both rates within character-length buckets; `padded_benign`
 *   is every benign row padded with other benign rows of the same set to the length of an injected row (one per
 *   injected row), so its length distribution matches the injected one.
 * - Latency: `scan()` per text, one by one, after a warm-up; `p50_ms_1kb` over texts of 0.5-2 KB.
 */
import { createHash } from "node:crypto";
import { agentDojoRows, benchmarksDir, benignStressRows, DatasetError, heldoutRows, readRowsFile, type LabelledText } from "../src/guardrails/injection/datasets.js";
import { createInjectionDetector, type InjectionDetector, type ScanResult } from "../src/guardrails/injection/detector.js";
import { BenchInputError, parseBenchOptions, type BenchReport, quantile } from "./report.js";

export const usage = "npm run bench -- injection (--dataset agentdojo|heldout | --data rows.jsonl) [--data-dir DIR] [--split test|dev|all] [--no-embeddings] [--out FILE]";

export interface InjectionArgs {
  dataset?: "agentdojo" | "heldout";
  data?: string;
  dataDir?: string;
  split: "test" | "dev" | "all";
  embeddings: boolean;
}

export function parseInjectionArgs(argv: string[]): InjectionArgs {
  const values = parseBenchOptions<Record<string, string | boolean | undefined>>(argv, {
        dataset: { type: "string" },
        data: { type: "string" },
        "data-dir": { type: "string" },
        split: { type: "string" },
        "no-embeddings": { type: "boolean" },
      }, usage);
  const dataset = values.dataset as string | undefined;
  if (dataset !== undefined && dataset !== "agentdojo" && dataset !== "heldout") throw new BenchInputError(`Unknown --dataset "${dataset}": use agentdojo or heldout.`);
  if (!dataset && !values.data) throw new BenchInputError(`Give --dataset agentdojo|heldout or --data rows.jsonl. Usage: ${usage}`);
  if (dataset && values.data) throw new BenchInputError("Give either --dataset or --data, not both.");
  const split = (values.split ?? "test") as string;
  if (!["test", "dev", "all"].includes(split)) throw new BenchInputError(`--split "${split}": use test, dev or all.`);
  if (split !== "test" && dataset !== "agentdojo") throw new BenchInputError("--split only applies to --dataset agentdojo.");
  return {
    ...(dataset ? { dataset } : {}),
    ...(typeof values.data === "string" ? { data: values.data } : {}),
    ...(typeof values["data-dir"] === "string" ? { dataDir: values["data-dir"] } : {}),
    split: split as InjectionArgs["split"],
    embeddings: !values["no-embeddings"],
  };
}

/** The rows to score: `primary` make the overall figures, `extra` only their own groups. */
export interface BenchRows {
  name: string;
  primary: LabelledText[];
  extra: LabelledText[];
  notes: string[];
}

export function loadRows(args: InjectionArgs): BenchRows {
  try {
    if (args.data) return { name: args.data, primary: readRowsFile(args.data), extra: [], notes: [] };
    if (args.dataset === "heldout") {
      return { name: "heldout (hand-written, in the repository)", primary: heldoutRows(), extra: [], notes: ["held-out rows are never used for fitting"] };
    }
    const dir = benchmarksDir(args.dataDir);
    const all = agentDojoRows(dir);
    const inSplit = (r: LabelledText) => args.split === "all" || r.split === args.split;
    const primary = all.filter(inSplit);
    const dev = all.filter((r) => r.split === "dev");
    const stress = benignStressRows(dir);
    return {
      name: `agentdojo (${args.split} split)`,
      primary,
      extra: [...heldoutRows(), ...stress.rows.filter(inSplit)],
      notes: [
        `benign:* groups: texts of other shared benchmarks that contain no injection (tau-bench retail tool outputs and Presidio sentences scanned as tool output, MetaTool and BFCL queries as user input), same split rule by id, up to 1500 per set before the split${stress.missing.length ? `; missing here: ${stress.missing.join(", ")}` : ""}`,
        `split: ${args.split}; dev = sha1("keel-injection-split:" + key)[0] % 5 == 0 with key = suite/injection task (injected) or alphanumeric text (benign); dev has ${dev.length} rows (${dev.filter((r) => r.label === "injected").length} injected), the weights were fitted on dev only`,
        "AgentDojo attacks are templated; the rules were written knowing the attack templates listed in its README, so read the held-out group for generalisation",
      ],
    };
  } catch (error) {
    if (error instanceof DatasetError) throw new BenchInputError(error.message);
    throw error;
  }
}

export const LENGTH_BUCKETS: [string, number, number][] = [
  ["length:<300", 0, 300],
  ["length:300-600", 300, 600],
  ["length:600-1200", 600, 1200],
  ["length:1200-2400", 1200, 2400],
  ["length:>=2400", 2400, Infinity],
];

export function lengthBucket(length: number): string {
  return LENGTH_BUCKETS.find(([, lo, hi]) => length >= lo && length < hi)![0];
}

const hash = (s: string) => createHash("sha1").update(s).digest("hex");

/**
 * Benign texts padded to injected lengths: for each injected row, a benign row (in a fixed hash order) is
 * extended with further benign rows of the same set (same suite when known) until it reaches that length, then
 * cut at the last line break before it.
 */
export function paddedBenign(rows: LabelledText[]): LabelledText[] {
  const benign = [...rows.filter((r) => r.label === "benign")].sort((a, b) => (hash(a.id) < hash(b.id) ? -1 : 1));
  const injected = rows.filter((r) => r.label === "injected");
  if (benign.length < 2 || injected.length === 0) return [];
  const out: LabelledText[] = [];
  injected.forEach((inj, i) => {
    const pool = benign.filter((b) => !inj.suite || b.suite === inj.suite);
    const list = pool.length >= 2 ? pool : benign;
    const base = list[i % list.length]!;
    let text = base.text;
    for (let k = 1; text.length < inj.text.length && k < list.length * 4; k++) text += `\n${list[(i + k) % list.length]!.text}`;
    if (text.length > inj.text.length) {
      const cut = text.lastIndexOf("\n", inj.text.length);
      text = text.slice(0, cut > inj.text.length * 0.8 ? cut : inj.text.length);
    }
    out.push({ ...base, id: `${base.id}+pad-${inj.id}`, text, groups: ["padded_benign"] });
  });
  return out;
}

export interface Scored {
  row: LabelledText;
  result: ScanResult;
  ms: number;
}


/** Detection and false-positive figures (and latency) for a set of scored rows. */
export function rates(scored: Scored[], withLatency = true): Record<string, number> {
  const inj = scored.filter((s) => s.row.label === "injected");
  const ben = scored.filter((s) => s.row.label === "benign");
  const share = (list: Scored[], ok: (s: Scored) => boolean) => (list.length === 0 ? 0 : list.filter(ok).length / list.length);
  const flagged = (s: Scored) => s.result.verdict !== "clean";
  const blocked = (s: Scored) => s.result.verdict === "injected";
  const m: Record<string, number> = { n_injected: inj.length, n_benign: ben.length };
  if (inj.length > 0) {
    m.detection_rate = share(inj, flagged);
    m.detection_rate_injected_verdict = share(inj, blocked);
  }
  if (ben.length > 0) {
    m.false_positive_rate = share(ben, flagged);
    m.false_positive_rate_injected_verdict = share(ben, blocked);
  }
  if (withLatency) {
    const times = scored.map((s) => s.ms);
    m.p50_ms = quantile(times, 0.5);
    m.p95_ms = quantile(times, 0.95);
  }
  return m;
}

async function scoreAll(detector: InjectionDetector, rows: LabelledText[]): Promise<Scored[]> {
  const out: Scored[] = [];
  for (const row of rows) {
    const t = performance.now();
    const result = await detector.scan(row.text, { source: row.source });
    out.push({ row, result, ms: performance.now() - t });
  }
  return out;
}

/** The report from scored rows (exported for tests). */
export function buildReport(name: string, primary: Scored[], extra: Scored[], padded: Scored[], notes: string[], embeddedScans: number): BenchReport {
  const metrics = rates(primary);
  const mid = primary.filter((s) => s.row.text.length >= 512 && s.row.text.length < 2048).map((s) => s.ms);
  if (mid.length > 0) metrics.p50_ms_1kb = quantile(mid, 0.5);
  metrics.embedded_scan_share = primary.length === 0 ? 0 : embeddedScans / primary.length;
  const groups: Record<string, Record<string, number>> = {};
  const byGroup = new Map<string, Scored[]>();
  const add = (g: string, s: Scored) => {
    const list = byGroup.get(g);
    if (list) list.push(s);
    else byGroup.set(g, [s]);
  };
  for (const s of primary) {
    for (const g of s.row.groups) add(g, s);
    add(lengthBucket(s.row.text.length), s);
  }
  for (const s of [...extra, ...padded]) for (const g of s.row.groups) add(g, s);
  const order = (g: string) => (g.startsWith("attack:") ? 0 : g.startsWith("suite:") ? 1 : g.startsWith("length:") ? 2 : g === "padded_benign" ? 3 : g.startsWith("heldout") ? 4 : 5);
  const names = [...byGroup.keys()].sort((a, b) => order(a) - order(b) || (a.startsWith("length:") && b.startsWith("length:") ? LENGTH_BUCKETS.findIndex((x) => x[0] === a) - LENGTH_BUCKETS.findIndex((x) => x[0] === b) : a.localeCompare(b)));
  for (const g of names) groups[g] = rates(byGroup.get(g)!, false);
  if (padded.length > 0) {
    groups.padded_benign!.median_chars = quantile(padded.map((s) => s.row.text.length), 0.5);
    const inj = primary.filter((s) => s.row.label === "injected").map((s) => s.row.text.length);
    groups.padded_benign!.median_chars_injected = quantile(inj, 0.5);
  }
  return { bench: "injection", dataset: name, metrics, groups, notes };
}

export async function run(argv: string[]): Promise<BenchReport> {
  const args = parseInjectionArgs(argv);
  const data = loadRows(args);
  if (data.primary.length === 0) throw new BenchInputError(`No rows in ${data.name}.`);
  const detector = await createInjectionDetector(args.embeddings ? {} : { embeddings: false });
  for (const row of data.primary.slice(0, 5)) await detector.scan(`${row.text} (warm-up)`, { source: row.source });
  const before = detector.stats.embeddingCalls;
  const primary = await scoreAll(detector, data.primary);
  const embeddedScans = detector.stats.embeddingCalls - before;
  const extra = await scoreAll(detector, data.extra);
  const padded = await scoreAll(detector, paddedBenign(data.primary));
  const w = detector.weights;
  const notes = [
    ...data.notes,
    `verdicts: suspicious >= ${w.thresholds.suspicious}, injected >= ${w.thresholds.injected}; detection/false-positive rates count suspicious or injected, *_injected_verdict only injected`,
    args.embeddings ? `embedding layer on (USE-Lite, at most ${w.embedding.maxSentences} sentences per scan, only for windows scoring ${w.embedding.floor}..${w.thresholds.injected})` : "embedding layer off (--no-embeddings)",
    "latency: one scan at a time in this process, after a warm-up; includes embedding calls when made",
  ];
  return buildReport(data.name, primary, extra, padded, notes, embeddedScans);
}
