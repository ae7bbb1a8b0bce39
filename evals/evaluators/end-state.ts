/**
 * End-state match: the rows a run changed against the change the example expects. Every expected change must
 * be found (same table and operation, same key when given, every expected value present in the row after),
 * and no other row of the company's data may change. Only the company tables count as "other": the app's own
 * bookkeeping (audit log, exactly-once ledger, spend ledger, approval feedback, and whatever such tables come
 * next) records every write or model call by design; an example may still expect a row there, e.g. the audit
 * entry of an email that changes nothing else. An example that expects no change passes only when nothing changed.
 *
 * A value may be `{ "contains": "text" }` for free text the agent words itself (reasons, notes).
 *
 * @example
 * endStateMatch(changes, [{ table: "orders", op: "update", key: "ORD-10500", values: { status: "cancelled" } }]);
 * // { score: 1, missing: [], unexpected: [] }
 */
import type { RowChange } from "../lib/db-changes.js";

export interface ExpectedChange {
  table: string;
  op: "insert" | "update" | "delete";
  /** The row's id; omit for inserts whose new id is not known in advance. */
  key?: string;
  values?: Record<string, unknown>;
}

/** The company's data (src/db/schema.ts): a change to any of these rows is part of a task's end state. */
export const COMPANY_TABLES = [
  "plans", "customers", "tickets", "ticket_messages", "credits", "invoices", "payments", "refunds", "carriers", "orders", "shipments",
  "shipment_events", "services", "incidents", "incident_updates", "pages", "metrics", "logs", "channel_messages", "kb_articles",
];

function valueMatches(expected: unknown, actual: unknown): boolean {
  if (expected && typeof expected === "object" && !Array.isArray(expected) && "contains" in expected) {
    return typeof actual === "string" && actual.toLowerCase().includes(String((expected as { contains: unknown }).contains).toLowerCase());
  }
  return JSON.stringify(expected) === JSON.stringify(actual);
}

function changeMatches(expected: ExpectedChange, actual: RowChange): boolean {
  if (expected.table !== actual.table || expected.op !== actual.op) return false;
  if (expected.key !== undefined && expected.key !== actual.key) return false;
  const row = actual.after ?? actual.before ?? {};
  return Object.entries(expected.values ?? {}).every(([column, value]) => valueMatches(value, row[column]));
}

const describe = (c: { table: string; op: string; key?: string }) => `${c.op} ${c.table}${c.key ? ` ${c.key}` : ""}`;

export function endStateMatch(changes: readonly RowChange[], expected: readonly ExpectedChange[], watched: readonly string[] = COMPANY_TABLES) {
  const used = new Set<number>();
  const missing: string[] = [];
  for (const want of expected) {
    const i = changes.findIndex((c, j) => !used.has(j) && changeMatches(want, c));
    if (i < 0) missing.push(`${describe(want)}${want.values ? ` ${JSON.stringify(want.values)}` : ""}`);
    else used.add(i);
  }
  const unexpected = changes.filter((c, j) => !used.has(j) && watched.includes(c.table)).map(describe);
  return { score: missing.length === 0 && unexpected.length === 0 ? 1 : 0, missing, unexpected };
}
