/**
 * Writes the offline model's answers from tool results: a short sentence per tool naming what it found, the
 * key fields of each record, and the ids it rests on. It states nothing the results do not contain.
 */
import { parseToolResult } from "../../toolkit/tool-result.js";

export interface ToolOutcome {
  tool: string;
  content: string;
}

const ID = /\b(?:CUS|TCK|INV|PAY|ORD|SHP|INC|KB|CRD|RFD|PGE|PLAN|CAR)-[A-Z0-9]+\b/g;

/** Every record or article id mentioned in the results, in order of first appearance. */
export function evidenceIds(outcomes: ToolOutcome[]): string[] {
  const ids = new Set<string>();
  for (const outcome of outcomes) {
    const result = parseToolResult(outcome.content);
    if (!result.ok) continue;
    for (const id of JSON.stringify(result.data).match(ID) ?? []) ids.add(id);
  }
  return [...ids];
}

export function describeOutcome(outcome: ToolOutcome): string {
  const result = parseToolResult(outcome.content);
  if (!result.ok) {
    const { field, message, next_step } = result.error;
    return `${outcome.tool} could not complete${field ? ` (field ${field})` : ""}: ${message} ${next_step}`;
  }
  return `${outcome.tool}: ${renderData(result.data)}`;
}

/** Compact, readable rendering of JSON data: scalars inline, arrays counted with their first items. */
export function renderData(data: unknown, depth = 0): string {
  if (data === null || data === undefined) return "nothing";
  if (typeof data !== "object") return String(data);
  if (Array.isArray(data)) {
    if (data.length === 0) return "none found";
    const shown = data.slice(0, 3).map((item) => renderData(item, depth + 1));
    return `${data.length} found: ${shown.join("; ")}${data.length > 3 ? "; ..." : ""}`;
  }
  const entries = Object.entries(data as Record<string, unknown>).filter(([, v]) => v !== null && v !== undefined && v !== "");
  if (depth >= 2) return entries.filter(([, v]) => typeof v !== "object").slice(0, 4).map(([k, v]) => `${k} ${v}`).join(", ");
  const parts = entries.slice(0, 10).map(([k, v]) => `${k.replace(/_/g, " ")}: ${typeof v === "object" ? `(${renderData(v, depth + 1)})` : String(v)}`);
  return parts.join(", ");
}

/** Summary of a flat or nested JSON document (the weekly figures) when the model has no tools. */
export function summarizeDocument(text: string): string | undefined {
  const json = text.match(/\{[\s\S]*\}/)?.[0];
  if (!json) return undefined;
  try {
    const data = JSON.parse(json) as Record<string, unknown>;
    return Object.entries(data)
      .map(([section, value]) => `${section.replace(/_/g, " ")}: ${renderData(value, 1)}.`)
      .join(" ");
  } catch {
    return undefined;
  }
}
