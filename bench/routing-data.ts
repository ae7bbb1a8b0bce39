/**
 * Reading routing rows for the routing and cost benches: JSONL, one `{"id", "request", "expected_agents"}` per
 * line (`expected_routes` is read when `expected_agents` is absent: the eval's older name). `[]` means a
 * clarifying question is expected. A malformed row stops the bench naming the file and line (exit 2).
 */
import fs from "node:fs";
import { createHash } from "node:crypto";
import { BenchInputError } from "./report.js";
import { ROUTES } from "../graphs/meta/directory.js";

export interface RoutingRow {
  id: string;
  request: string;
  /** Sorted route names. */
  expected: string[];
  split: "dev" | "test";
}

/** A row's split when it names none: about one in three rows is dev, by a hash of its id. */
export function splitOfId(id: string): "dev" | "test" {
  return createHash("sha1").update(id).digest()[0]! % 3 === 0 ? "dev" : "test";
}

export function readJsonl(file: string): { line: number; value: unknown }[] {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    throw new BenchInputError(`Cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`);
  }
  const out: { line: number; value: unknown }[] = [];
  text.split("\n").forEach((raw, i) => {
    if (!raw.trim()) return;
    try {
      out.push({ line: i + 1, value: JSON.parse(raw) });
    } catch (error) {
      throw new BenchInputError(`${file}:${i + 1}: not valid JSON (${(error as Error).message}).`);
    }
  });
  if (out.length === 0) throw new BenchInputError(`${file} has no rows.`);
  return out;
}

export function readRoutingRows(file: string): RoutingRow[] {
  const seen = new Set<string>();
  return readJsonl(file).map(({ line, value }) => {
    const where = `${file}:${line}`;
    if (!value || typeof value !== "object" || Array.isArray(value)) throw new BenchInputError(`${where}: a row must be a JSON object.`);
    const row = value as Record<string, unknown>;
    const id = row.id === undefined ? `line-${line}` : row.id;
    if (typeof id !== "string" || !id) throw new BenchInputError(`${where}: "id" must be a non-empty string.`);
    if (seen.has(id)) throw new BenchInputError(`${where}: duplicate id "${id}".`);
    seen.add(id);
    if (typeof row.request !== "string" || !row.request.trim()) throw new BenchInputError(`${where}: "request" must be a non-empty string.`);
    const expected = row.expected_agents ?? row.expected_routes;
    if (!Array.isArray(expected) || expected.some((a) => typeof a !== "string")) {
      throw new BenchInputError(`${where}: "expected_agents" must be an array of agent names ([] when a clarifying question is expected).`);
    }
    const unknown = expected.filter((a) => !(ROUTES as readonly string[]).includes(a));
    if (unknown.length > 0) throw new BenchInputError(`${where}: unknown agent "${unknown[0]}"; use ${ROUTES.join(", ")}.`);
    if (row.split !== undefined && row.split !== "dev" && row.split !== "test") throw new BenchInputError(`${where}: "split" must be "dev" or "test".`);
    return { id, request: row.request, expected: [...new Set(expected as string[])].sort(), split: (row.split as "dev" | "test" | undefined) ?? splitOfId(id) };
  });
}
