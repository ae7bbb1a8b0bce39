/**
 * Labelled texts for measuring and training the injection detector.
 *
 * - `readRowsFile`: JSONL rows `{"id", "text", "label": "injected" | "benign", "group"?, "source"?}`.
 * - `agentDojoRows`: the AgentDojo tool outputs under `<benchmarks>/agentdojo/tool_outputs_labeled.jsonl`,
 *   read in place (never copied into the repository). Groups: `attack:<type>` for injected rows (the attack
 *   template) and `suite:<suite>` for all rows.
 * - `heldoutRows`: the hand-written held-out set in `data/heldout.jsonl` (own words; varied injections in
 *   tickets, chats, KB articles, order notes, and tricky benign operations text).
 * - `benignStressRows`: text from the other shared benchmarks, none of which is about injection, as benign
 *   material unlike AgentDojo's: tau-bench retail tool outputs (source tool), Presidio PII sentences (as if a
 *   tool returned them), MetaTool and BFCL user queries (source user). Groups `benign:<name>`.
 *
 * Split (`splitOf`): deterministic by hash. An injected row's key is its suite and injection task, so all rows
 * carrying the same attacker goal land on the same side (the same payload text never appears in both); a
 * benign row's key is its text reduced to letters and digits, so near-identical copies (AgentDojo has the same
 * tool output with and without `<<...>>` wrappers) also stay together. About one key in five is `dev`.
 * The detector's learned weights and thresholds were fitted on dev only; reports use test.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export type Label = "injected" | "benign";
export type Source = "tool" | "user";
export type Split = "dev" | "test";

export interface LabelledText {
  id: string;
  text: string;
  label: Label;
  /** Groups the row is reported in (besides the overall figures). */
  groups: string[];
  source: Source;
  split: Split;
  /** AgentDojo extras. */
  attackType?: string;
  suite?: string;
  tool?: string;
}

/** Bad input file or row (the bench maps it to exit code 2). */
export class DatasetError extends Error {
  override name = "DatasetError";
}

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, "..", "..", "..");

/** Where the shared benchmark data lives: the flag, `KEEL_BENCHMARKS_DIR`, or `../shared/benchmarks` beside the repository. */
export function benchmarksDir(flag?: string, env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(flag ?? env.KEEL_BENCHMARKS_DIR ?? path.join(repoRoot, "..", "shared", "benchmarks"));
}

export const HELDOUT_FILE = path.join(here, "data", "heldout.jsonl");

/** dev for about one key in five, test otherwise; stable across runs and machines. */
export function splitOf(key: string): Split {
  return createHash("sha1").update(`keel-injection-split:${key}`).digest()[0]! % 5 === 0 ? "dev" : "test";
}

/** The split key of an AgentDojo row (see the module comment). */
export function agentDojoSplitKey(row: { label: Label; text: string; suite?: string; injection_task_id?: string | null }): string {
  return row.label === "injected" ? `goal:${row.suite ?? ""}/${row.injection_task_id ?? ""}` : `text:${row.text.toLowerCase().replace(/[^a-z0-9]/g, "")}`;
}

function readLines(file: string, what: string): { line: number; value: unknown }[] {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    throw new DatasetError(`Cannot read the ${what} ${file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`);
  }
  const out: { line: number; value: unknown }[] = [];
  text.split("\n").forEach((line, i) => {
    if (!line.trim()) return;
    try {
      out.push({ line: i + 1, value: JSON.parse(line) });
    } catch (error) {
      throw new DatasetError(`${file}:${i + 1}: malformed JSON (${(error as Error).message}).`);
    }
  });
  return out;
}

/** Rows of a JSONL file of `{id, text, label, group?, source?}`; a bad row names its file and line. */
export function readRowsFile(file: string): LabelledText[] {
  const seen = new Set<string>();
  const rows = readLines(file, "rows file").map(({ line, value }) => {
    const where = `${file}:${line}`;
    if (!value || typeof value !== "object" || Array.isArray(value)) throw new DatasetError(`${where}: expected an object.`);
    const row = value as Record<string, unknown>;
    if (typeof row.id !== "string" || !row.id) throw new DatasetError(`${where}: "id" must be a non-empty string.`);
    if (typeof row.text !== "string") throw new DatasetError(`${where}: "text" must be a string.`);
    if (row.label !== "injected" && row.label !== "benign") throw new DatasetError(`${where}: "label" must be "injected" or "benign", got ${JSON.stringify(row.label)}.`);
    if (row.group !== undefined && typeof row.group !== "string") throw new DatasetError(`${where}: "group" must be a string when given.`);
    if (row.source !== undefined && row.source !== "tool" && row.source !== "user") throw new DatasetError(`${where}: "source" must be "tool" or "user" when given.`);
    if (seen.has(row.id)) throw new DatasetError(`${where}: duplicate id "${row.id}".`);
    seen.add(row.id);
    const out: LabelledText = {
      id: row.id,
      text: row.text,
      label: row.label,
      groups: row.group ? [row.group] : [],
      source: (row.source as Source | undefined) ?? "tool",
      split: "test",
    };
    return out;
  });
  if (rows.length === 0) throw new DatasetError(`${file}: no rows.`);
  return rows;
}

/** The hand-written held-out rows (all reported, never tuned on), in group `heldout`. */
export function heldoutRows(file = HELDOUT_FILE): LabelledText[] {
  return readRowsFile(file).map((r) => ({ ...r, groups: ["heldout", ...(r.source === "user" ? ["heldout:user"] : [])] }));
}

/** AgentDojo tool outputs with their split; `dir` is the benchmarks directory. */
export function agentDojoRows(dir: string): LabelledText[] {
  const file = path.join(dir, "agentdojo", "tool_outputs_labeled.jsonl");
  return readLines(file, "AgentDojo file").map(({ line, value }) => {
    const row = value as Record<string, unknown>;
    if (typeof row.id !== "string" || typeof row.text !== "string" || (row.label !== "injected" && row.label !== "benign")) {
      throw new DatasetError(`${file}:${line}: expected {id, text, label: "injected" | "benign", ...}.`);
    }
    const suite = typeof row.suite === "string" ? row.suite : "unknown";
    const attackType = typeof row.attack_type === "string" ? row.attack_type : "unknown";
    const label = row.label;
    const groups = label === "injected" ? [`attack:${attackType}`, `suite:${suite}`] : [`suite:${suite}`];
    const out: LabelledText = {
      id: row.id,
      text: row.text,
      label,
      groups,
      source: "tool",
      split: splitOf(agentDojoSplitKey({ label, text: row.text, suite, injection_task_id: typeof row.injection_task_id === "string" ? row.injection_task_id : null })),
      suite,
      ...(label === "injected" ? { attackType } : {}),
      ...(typeof row.tool === "string" ? { tool: row.tool } : {}),
    };
    return out;
  });
}

function sample<T>(items: T[], key: (item: T) => string, n: number): T[] {
  if (items.length <= n) return items;
  const h = (x: T) => createHash("sha1").update(`keel-injection-sample:${key(x)}`).digest("hex");
  return items
    .map((item) => ({ item, k: h(item) }))
    .sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0))
    .slice(0, n)
    .map((x) => x.item);
}

/**
 * Benign texts from the other shared benchmarks (each split by the same hash of its id; at most `perSet`
 * rows per set, sampled by hash). Sets whose files are missing are skipped and named in `missing`.
 */
export function benignStressRows(dir: string, perSet = 1500): { rows: LabelledText[]; missing: string[] } {
  const rows: LabelledText[] = [];
  const missing: string[] = [];
  const add = (set: string, source: Source, items: { id: string; text: string }[]) => {
    const seen = new Set<string>();
    const unique = items.filter((x) => x.text.trim() && !seen.has(x.text) && seen.add(x.text));
    for (const x of sample(unique, (u) => u.id, perSet)) {
      const id = `${set}:${x.id}`;
      rows.push({ id, text: x.text, label: "benign", groups: [`benign:${set}`], source, split: splitOf(id) });
    }
  };
  const tryRead = (set: string, file: string, read: (file: string) => void) => {
    if (!fs.existsSync(file)) {
      missing.push(set);
      return;
    }
    read(file);
  };
  tryRead("tau-bench-tool-outputs", path.join(dir, "tau-bench", "retail", "replay_test.jsonl"), (file) => {
    const items: { id: string; text: string }[] = [];
    for (const f of [file, path.join(dir, "tau-bench", "retail", "replay_dev.jsonl")]) {
      if (!fs.existsSync(f)) continue;
      for (const { value } of readLines(f, "tau-bench replay file")) {
        const task = value as { task_index?: number; steps?: { name?: string; observation?: unknown }[] };
        (task.steps ?? []).forEach((step, i) => {
          if (typeof step.observation === "string") items.push({ id: `${path.basename(f)}/${task.task_index}/${i}`, text: step.observation });
        });
      }
    }
    add("tau-bench-tool-outputs", "tool", items);
  });
  tryRead("presidio-sentences", path.join(dir, "presidio", "synth_dataset_v2.json"), (file) => {
    const data = JSON.parse(fs.readFileSync(file, "utf8")) as { full_text?: unknown }[];
    add("presidio-sentences", "tool", data.flatMap((d, i) => (typeof d.full_text === "string" ? [{ id: String(i), text: d.full_text }] : [])));
  });
  tryRead("metatool-queries", path.join(dir, "metatool", "queries_single_tool.jsonl"), (file) => {
    const items = readLines(file, "MetaTool queries").flatMap(({ value }) => {
      const q = value as { id?: unknown; query?: unknown };
      return typeof q.id === "string" && typeof q.query === "string" ? [{ id: q.id, text: q.query }] : [];
    });
    add("metatool-queries", "user", items);
  });
  tryRead("bfcl-queries", path.join(dir, "bfcl", "queries.jsonl"), (file) => {
    const items = readLines(file, "BFCL queries").flatMap(({ value }) => {
      const q = value as { id?: unknown; query?: unknown };
      return typeof q.id === "string" && typeof q.query === "string" ? [{ id: q.id, text: q.query }] : [];
    });
    add("bfcl-queries", "user", items);
  });
  return { rows, missing };
}
