/**
 * Per-example results: each suite (a vitest file run by the eval runner) appends one JSON line per example to
 * `<KEEL_EVAL_RESULTS_DIR>/<suite>.jsonl`, and its skipped rows to `<suite>.skipped.jsonl`; the runner reads
 * them back to build the report. Files, because vitest runs each suite in its own process.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { SkippedRow } from "./dataset.js";
import type { RunCost } from "../evaluators/cost-latency.js";

export interface ExampleResult {
  suite: string;
  id: string;
  /** `file:line` of the dataset row (or the scenario's origin). */
  source: string;
  /** sha256 of the example's inputs and reference, so the gate compares only examples that did not change. */
  hash: string;
  /** Metric name -> score in 0..1 (higher is better). */
  scores: Record<string, number>;
  /** The metric that decides `passed` (it must be 1). */
  primary: string;
  passed: boolean;
  /** Tokens, cost and wall time of the run (suites that run the app). */
  cost?: RunCost;
  /** Why it scored as it did: what was missing, unexpected, ungrounded, ... */
  details?: Record<string, unknown>;
  error?: string;
}

/** Where suites write results. @example KEEL_EVAL_RESULTS_DIR=/tmp/keel-eval/results */
export function resultsDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(env.KEEL_EVAL_RESULTS_DIR ?? path.join(os.tmpdir(), "keel-eval-results"));
}

export function exampleHash(value: unknown): string {
  return crypto.createHash("sha256").update(JSON.stringify(value)).digest("hex").slice(0, 16);
}

function append(file: string, value: unknown): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.appendFileSync(file, `${JSON.stringify(value)}\n`);
}

export function writeResult(result: ExampleResult, dir = resultsDir()): void {
  append(path.join(dir, `${result.suite}.jsonl`), result);
}

export function writeSkipped(suite: string, skipped: SkippedRow[], dir = resultsDir()): void {
  for (const s of skipped) append(path.join(dir, `${suite}.skipped.jsonl`), s);
}

function readLines<T>(file: string): T[] {
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, "utf8")
    .split("\n")
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as T);
}

/** Everything the suites wrote: results by suite, and the rows they skipped. */
export function readResults(dir = resultsDir()): { results: ExampleResult[]; skipped: (SkippedRow & { suite: string })[] } {
  if (!fs.existsSync(dir)) return { results: [], skipped: [] };
  const files = fs.readdirSync(dir).sort();
  const results = files.filter((f) => f.endsWith(".jsonl") && !f.endsWith(".skipped.jsonl")).flatMap((f) => readLines<ExampleResult>(path.join(dir, f)));
  const skipped = files
    .filter((f) => f.endsWith(".skipped.jsonl"))
    .flatMap((f) => readLines<SkippedRow>(path.join(dir, f)).map((s) => ({ ...s, suite: f.slice(0, -".skipped.jsonl".length) })));
  return { results, skipped };
}
