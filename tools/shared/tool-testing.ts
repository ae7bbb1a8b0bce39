/**
 * Test helpers for primitive tools: call a tool the way an agent does, and see exactly which rows a call changed.
 * Used by the domain tool tests only.
 */
import type { ToolMessage } from "@langchain/core/messages";
import type { CompanyDb } from "../../src/db/index.js";
import type { KeelTool } from "../../src/toolkit/define-tool.js";
import type { ToolFailure } from "../../src/toolkit/tool-result.js";

/** What a tool answered: `{ok: true, data}` or a `ToolFailure`. `data` is loosely typed for assertions. */
export type CallResult = { ok: true; data: any } | ToolFailure;

let calls = 0;

/** Invokes `tool` with a tool call, as `ToolNode` does, and parses the tool message's JSON content. */
export async function callTool(tool: KeelTool, args: Record<string, unknown>): Promise<CallResult> {
  const message = (await tool.invoke({ type: "tool_call", id: `call_${++calls}`, name: tool.name, args })) as ToolMessage;
  return JSON.parse(String(message.content)) as CallResult;
}

/** `data` of a successful call; fails the test with the tool's error otherwise. */
export async function callOk(tool: KeelTool, args: Record<string, unknown>): Promise<any> {
  const result = await callTool(tool, args);
  if (!result.ok) throw new Error(`${tool.name} failed: ${JSON.stringify(result.error)}`);
  return result.data;
}

/** Per changed table: keys (id, or rowid for tables without one) of the rows added, changed and removed. */
export type DbDiff = Record<string, { added?: string[]; changed?: string[]; removed?: string[] }>;

const tracked = new WeakSet<object>();

/**
 * Puts temporary triggers on every table of `db`'s connection that log each inserted, updated and deleted row.
 * The tools run on the same connection (`companyDb()` is opened once per process), and a rolled-back transaction
 * rolls its log entries back too, so the log shows exactly what a call committed.
 */
function trackChanges(db: CompanyDb): void {
  if (tracked.has(db.sql)) return;
  db.sql.exec("CREATE TEMP TABLE IF NOT EXISTS keel_changes (seq INTEGER PRIMARY KEY, tbl TEXT NOT NULL, kind TEXT NOT NULL, key TEXT NOT NULL)");
  const tables = db.sql
    .prepare("SELECT name FROM main.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    .pluck()
    .all() as string[];
  for (const table of tables) {
    const hasId = (db.sql.prepare(`SELECT COUNT(*) FROM pragma_table_info('${table}') WHERE name = 'id'`).pluck().get() as number) > 0;
    const key = (row: "NEW" | "OLD") => (hasId ? `${row}.id` : `${row}.rowid`);
    for (const [event, kind, row] of [["INSERT", "added", "NEW"], ["UPDATE", "changed", "NEW"], ["DELETE", "removed", "OLD"]] as const) {
      db.sql.exec(
        `CREATE TEMP TRIGGER IF NOT EXISTS keel_track_${table}_${kind} AFTER ${event} ON main.${table}
         BEGIN INSERT INTO temp.keel_changes (tbl, kind, key) VALUES ('${table}', '${kind}', CAST(${key(row)} AS TEXT)); END`,
      );
    }
  }
  tracked.add(db.sql);
}

/** Runs `fn` and returns its result with every row it changed in the database, by table (unchanged tables left out). */
export async function withDiff<T>(db: CompanyDb, fn: () => Promise<T>): Promise<{ result: T; diff: DbDiff }> {
  trackChanges(db);
  db.sql.exec("DELETE FROM temp.keel_changes");
  const result = await fn();
  const rows = db.sql.prepare("SELECT tbl, kind, key FROM temp.keel_changes ORDER BY seq").all() as Array<{ tbl: string; kind: "added" | "changed" | "removed"; key: string }>;
  const diff: DbDiff = {};
  for (const { tbl, kind, key } of rows) {
    const entry = (diff[tbl] ??= {});
    if (kind === "changed" && entry.added?.includes(key)) continue;
    const keys = (entry[kind] ??= []);
    if (!keys.includes(key)) keys.push(key);
  }
  return { result, diff };
}
