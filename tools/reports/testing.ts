/**
 * Test helpers for the incidents, shipping and reports tool tests: invoke a tool the way an agent does, and
 * diff the whole company database around a call to see exactly which rows it changed.
 */
import type { CompanyDb } from "../../src/db/index.js";
import type { KeelTool } from "../../src/toolkit/define-tool.js";
import type { ToolResult } from "../../src/toolkit/tool-result.js";

/** Calls `tool` with a tool call (as ToolNode does) and parses the `{ok, ...}` JSON of the ToolMessage. */
export async function callTool<T = any>(tool: KeelTool<any>, args: Record<string, unknown>): Promise<ToolResult<T> & { data: T }> {
  const message = await tool.invoke({ type: "tool_call", id: "call_1", name: tool.name, args });
  const content = typeof message === "string" ? message : (message as { content: unknown }).content;
  if (typeof content !== "string") throw new Error(`Tool ${tool.name} returned non-string content`);
  return JSON.parse(content);
}

export interface TableChanges {
  inserted?: string[];
  updated?: string[];
  deleted?: string[];
}

const tracked = new WeakSet<object>();

/**
 * Installs connection-local (TEMP) triggers on every table that log each inserted, updated and deleted row
 * (by `id`, or the primary key / rowid when there is none) into `temp.keel_changes`. Tools write through the same
 * connection (`companyDb()`), so every row they touch is logged; nothing is written to the database file.
 */
function trackChanges(db: CompanyDb): void {
  if (tracked.has(db.sql)) return;
  db.sql.exec("CREATE TEMP TABLE IF NOT EXISTS keel_changes (seq INTEGER PRIMARY KEY AUTOINCREMENT, tbl TEXT, key TEXT, op TEXT)");
  const tables = db.sql.prepare("SELECT name FROM main.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").pluck().all() as string[];
  for (const table of tables) {
    const cols = db.sql.prepare(`PRAGMA main.table_info(${table})`).all() as { name: string; pk: number }[];
    const keyCol = cols.some((c) => c.name === "id") ? "id" : cols.filter((c) => c.pk > 0).length === 1 ? cols.find((c) => c.pk > 0)!.name : "rowid";
    for (const [op, ref] of [["insert", "NEW"], ["update", "NEW"], ["delete", "OLD"]] as const) {
      db.sql.exec(
        `CREATE TEMP TRIGGER IF NOT EXISTS keel_track_${table}_${op} AFTER ${op.toUpperCase()} ON main.${table}
         BEGIN INSERT INTO temp.keel_changes (tbl, key, op) VALUES ('${table}', CAST(${ref}.${keyCol} AS TEXT), '${op}'); END`,
      );
    }
  }
  tracked.add(db.sql);
}

/**
 * Runs `fn` and returns its result with the rows it inserted, updated and deleted, per table (tables without
 * changes are absent, so "changed nothing" is `{}`).
 */
export async function withChanges<T>(db: CompanyDb, fn: () => Promise<T>): Promise<{ result: T; changes: Record<string, TableChanges> }> {
  trackChanges(db);
  db.sql.exec("DELETE FROM temp.keel_changes");
  const result = await fn();
  const log = db.sql.prepare("SELECT tbl, key, op FROM temp.keel_changes ORDER BY seq").all() as { tbl: string; key: string; op: "insert" | "update" | "delete" }[];
  const changes: Record<string, TableChanges> = {};
  const seen = new Map<string, "insert" | "update" | "delete">();
  for (const { tbl, key, op } of log) {
    const id = `${tbl}\u0000${key}`;
    const prev = seen.get(id);
    // An insert followed by updates is an insert; an insert followed by a delete leaves nothing.
    if (prev === "insert" && op === "update") continue;
    if (prev === "insert" && op === "delete") {
      seen.delete(id);
      continue;
    }
    if (prev === "update" && op === "update") continue;
    seen.set(id, op);
  }
  for (const [id, op] of seen) {
    const [tbl, key] = id.split("\u0000") as [string, string];
    const bucket = (changes[tbl] ??= {});
    const field = op === "insert" ? "inserted" : op === "update" ? "updated" : "deleted";
    (bucket[field] ??= []).push(key);
  }
  return { result, changes };
}

/** The newest audit row. */
export function lastAudit(db: CompanyDb): { id: number; actor: string; tool: string; args: any; result: any } {
  const row = db.sql.prepare("SELECT id, actor, tool, args, result FROM audit_log ORDER BY id DESC LIMIT 1").get() as {
    id: number;
    actor: string;
    tool: string;
    args: string;
    result: string;
  };
  return { ...row, args: JSON.parse(row.args), result: JSON.parse(row.result) };
}

/** Metadata checks shared by the domain index tests. */
export const SNAKE_CASE = /^[a-z][a-z0-9]*(_[a-z0-9]+)*$/;
