/**
 * Reading an eval dataset (JSONL, one example a line). A malformed row (bad JSON, or a row its schema refuses)
 * is reported with its file and line and skipped: it never runs, so it can never be counted as a pass. Blank
 * lines are allowed; a duplicate id is a malformed row too (the second one is skipped).
 *
 * @example
 * const { rows, skipped } = loadDataset("evals/datasets/grounding.jsonl", GroundingRow);
 * for (const s of skipped) console.warn(`${s.file}:${s.line}: ${s.error}`);
 */
import fs from "node:fs";
import path from "node:path";
import type { z } from "zod";

/** A row that was not run: where it is and why. */
export interface SkippedRow {
  file: string;
  line: number;
  error: string;
}

export interface LoadedDataset<T> {
  file: string;
  rows: (T & { line: number })[];
  skipped: SkippedRow[];
}

/** Repository-relative path when inside the repository, so reports name files the same on every machine. */
export function displayPath(file: string): string {
  const rel = path.relative(process.cwd(), file);
  return rel.startsWith("..") ? file : rel;
}

export function loadDataset<S extends z.ZodType<{ id: string }>>(file: string, schema: S): LoadedDataset<z.infer<S>> {
  const shown = displayPath(file);
  const text = fs.readFileSync(file, "utf8");
  const rows: (z.infer<S> & { line: number })[] = [];
  const skipped: SkippedRow[] = [];
  const seen = new Map<string, number>();
  text.split("\n").forEach((raw, i) => {
    const line = i + 1;
    if (!raw.trim()) return;
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch (error) {
      skipped.push({ file: shown, line, error: `not valid JSON (${(error as Error).message})` });
      return;
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      skipped.push({ file: shown, line, error: parsed.error.issues.map((x) => `${x.path.join(".") || "row"}: ${x.message}`).join("; ") });
      return;
    }
    const row = parsed.data as z.infer<S>;
    const first = seen.get(row.id);
    if (first !== undefined) {
      skipped.push({ file: shown, line, error: `id "${row.id}" repeats line ${first}` });
      return;
    }
    seen.set(row.id, line);
    rows.push({ ...row, line });
  });
  return { file: shown, rows, skipped };
}

/** One line per skipped row, as printed by the runner. */
export function formatSkipped(skipped: SkippedRow[]): string[] {
  return skipped.map((s) => `${s.file}:${s.line}: skipped: ${s.error}`);
}
