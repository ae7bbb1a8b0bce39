/**
 * What every bench returns and how it is printed and written: one JSON shape for all benches, so reports can be
 * compared and gated the same way.
 *
 *   { "bench": "retrieval", "dataset": "bfcl", "metrics": { "recall@5": 0.91, ... },
 *     "groups": { "multiple+parallel_multiple": { "recall@5": 0.93, ... }, ... }, "notes": [...] }
 */
import fs from "node:fs";
import { parseArgs, type ParseArgsConfig } from "node:util";

export interface BenchReport {
  bench: string;
  dataset: string;
  metrics: Record<string, number>;
  groups: Record<string, Record<string, number>>;
  /** How the figures were made (sample sizes, splits, thresholds), printed under the table. */
  notes?: string[];
}

/** Bad input (unreadable file, malformed row, unknown option): the bench exits with code 2. */
export class BenchInputError extends Error {
  override name = "BenchInputError";
}

/**
 * A bench's options, strictly: an unknown option or a positional argument is a `BenchInputError` with the usage.
 * @example const values = parseBenchOptions(argv, { data: { type: "string" } }, usage);
 */
export function parseBenchOptions<V = Record<string, string | undefined>>(argv: string[], options: NonNullable<ParseArgsConfig["options"]>, usage: string): V {
  try {
    return parseArgs({ args: argv, strict: true, allowPositionals: false, options }).values as V;
  } catch (error) {
    throw new BenchInputError(`${(error as Error).message}. Usage: ${usage}`);
  }
}

/** A bench module: `bench/<name>.ts` exports `run` (and optionally `usage`). */
export interface BenchModule {
  run(argv: string[]): Promise<BenchReport>;
  usage?: string;
}

/** The report as aligned text: metrics, then one block per group. */
export function formatReport(report: BenchReport): string {
  const lines = [`${report.bench} on ${report.dataset}`];
  const block = (metrics: Record<string, number>, indent: string) => {
    for (const [name, value] of Object.entries(metrics)) lines.push(`${indent}${name.padEnd(24)} ${formatNumber(value)}`);
  };
  block(report.metrics, "  ");
  for (const [group, metrics] of Object.entries(report.groups)) {
    lines.push(`  [${group}]`);
    block(metrics, "    ");
  }
  for (const note of report.notes ?? []) lines.push(`  note: ${note}`);
  return lines.join("\n");
}

export function formatNumber(value: number): string {
  if (Number.isInteger(value)) return String(value);
  return Math.abs(value) >= 100 ? value.toFixed(0) : Math.abs(value) >= 1 ? value.toFixed(2) : value.toFixed(3);
}

/** Writes the report as JSON (to a temporary file renamed into place). */
export function writeReport(file: string, report: BenchReport): void {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    fs.writeFileSync(tmp, `${JSON.stringify(report, null, 2)}\n`);
    fs.renameSync(tmp, file);
  } catch (error) {
    fs.rmSync(tmp, { force: true });
    throw new BenchInputError(`Cannot write the report to ${file}: ${(error as Error).message}`);
  }
}

/** Rounds every figure to 4 decimals (ms figures to 0.1), for stable, readable JSON. */
export function roundReport(report: BenchReport): BenchReport {
  const round = (metrics: Record<string, number>) =>
    Object.fromEntries(Object.entries(metrics).map(([k, v]) => [k, Number.isInteger(v) ? v : Number(v.toFixed(k.endsWith("_ms") || k.startsWith("build_ms") ? 1 : 4))]));
  return { ...report, metrics: round(report.metrics), groups: Object.fromEntries(Object.entries(report.groups).map(([g, m]) => [g, round(m)])) };
}

/** The q-quantile (0..1) of the values, linearly interpolated; 0 for none. */
export function quantile(values: number[], q: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}
