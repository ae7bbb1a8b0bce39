/**
 * Test helpers for primitive tools: call a tool the way an agent does, see exactly which rows a call changed,
 * and the assertions every domain's tests make (complete metadata, a refusal that changes nothing, the audit
 * row of a write). Used by the domain tool tests only.
 */
import { expect } from "vitest";
import { z } from "zod";
import type { CompanyDb } from "../../src/db/index.js";
import type { AuditRow } from "../../src/db/rows.js";
import type { Domain, KeelTool, SideEffect } from "../../src/toolkit/define-tool.js";
import type { ToolFailure, ToolResult } from "../../src/toolkit/tool-result.js";

/** What a tool answered: `{ok: true, data}` or a `ToolFailure`. `data` is loosely typed for assertions (undefined on a failure). */
export type CallResult<T = any> = ToolResult<T> & { data: T };

/** Tool names are snake_case. */
export const SNAKE_CASE = /^[a-z][a-z0-9]*(_[a-z0-9]+)*$/;

let calls = 0;

/** Invokes `tool` with a tool call, as `ToolNode` does, and parses the `{ok, ...}` JSON of the tool message. */
export async function callTool<T = any>(tool: KeelTool<any>, args: Record<string, unknown>): Promise<CallResult<T>> {
  const message = await tool.invoke({ type: "tool_call", id: `call_${++calls}`, name: tool.name, args });
  const content = typeof message === "string" ? message : (message as { content: unknown }).content;
  if (typeof content !== "string") throw new Error(`Tool ${tool.name} returned non-string content`);
  return JSON.parse(content) as CallResult<T>;
}

/** `data` of a successful call; fails the test with the tool's error otherwise. */
export async function callOk(tool: KeelTool<any>, args: Record<string, unknown>): Promise<any> {
  const result = await callTool(tool, args);
  if (!result.ok) throw new Error(`${tool.name} failed: ${JSON.stringify(result.error)}`);
  return result.data;
}

/** Keys (the `id`, the primary key, or the rowid) of the rows of one table a call inserted, updated and deleted. */
export interface TableChanges {
  inserted?: string[];
  updated?: string[];
  deleted?: string[];
}

/** Per changed table, the rows a call changed; tables without changes are absent, so "changed nothing" is `{}`. */
export type DbChanges = Record<string, TableChanges>;

const tracked = new WeakSet<object>();

/**
 * Installs connection-local (TEMP) triggers on every table that log each inserted, updated and deleted row
 * (by `id`, or the single-column primary key, or the rowid) into `temp.keel_changes`. Tools write through the
 * same connection (`companyDb()` is opened once per process), so every row they touch is logged, and a
 * rolled-back transaction rolls its log entries back too: the log shows exactly what a call committed.
 * Nothing is written to the database file.
 */
function trackChanges(db: CompanyDb): void {
  if (tracked.has(db.sql)) return;
  db.sql.exec("CREATE TEMP TABLE IF NOT EXISTS keel_changes (seq INTEGER PRIMARY KEY, tbl TEXT NOT NULL, kind TEXT NOT NULL, key TEXT NOT NULL)");
  const tables = db.sql.prepare("SELECT name FROM main.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").pluck().all() as string[];
  for (const table of tables) {
    const cols = db.sql.prepare(`PRAGMA main.table_info(${table})`).all() as { name: string; pk: number }[];
    const pk = cols.filter((c) => c.pk > 0);
    const keyCol = cols.some((c) => c.name === "id") ? "id" : pk.length === 1 ? pk[0]!.name : "rowid";
    for (const [event, kind, row] of [["INSERT", "inserted", "NEW"], ["UPDATE", "updated", "NEW"], ["DELETE", "deleted", "OLD"]] as const) {
      db.sql.exec(
        `CREATE TEMP TRIGGER IF NOT EXISTS keel_track_${table}_${kind} AFTER ${event} ON main.${table}
         BEGIN INSERT INTO temp.keel_changes (tbl, kind, key) VALUES ('${table}', '${kind}', CAST(${row}.${keyCol} AS TEXT)); END`,
      );
    }
  }
  tracked.add(db.sql);
}

/**
 * Runs `fn` and returns its result with every row it changed, by table. A row is listed once per kind of change,
 * in the order first changed; the updates of a row the call inserted count as part of the insert, and a row
 * inserted (or updated) and then deleted is listed under both.
 */
export async function withChanges<T>(db: CompanyDb, fn: () => Promise<T>): Promise<{ result: T; changes: DbChanges }> {
  trackChanges(db);
  db.sql.exec("DELETE FROM temp.keel_changes");
  const result = await fn();
  const log = db.sql.prepare("SELECT tbl, kind, key FROM temp.keel_changes ORDER BY seq").all() as { tbl: string; kind: keyof TableChanges; key: string }[];
  const changes: DbChanges = {};
  for (const { tbl, kind, key } of log) {
    const table = (changes[tbl] ??= {});
    if (kind === "updated" && table.inserted?.includes(key)) continue;
    const keys = (table[kind] ??= []);
    if (!keys.includes(key)) keys.push(key);
  }
  return { result, changes };
}

/**
 * Asserts what every tool promises in its metadata and schema: its domain and side effect, a boolean `idempotent`
 * (false for egress), `area:verb` scopes, 2-3 examples, a description of 60-500 characters, a snake_case name and
 * a description on every input field. Each domain's tests add their own rules (which scopes, ...).
 */
export function expectCompleteTool(tool: KeelTool<any>, domain: Domain, sideEffect: SideEffect): void {
  const m = tool.metadata;
  expect(tool.name).toMatch(SNAKE_CASE);
  expect(m).toMatchObject({ domain, sideEffect, idempotent: expect.any(Boolean) });
  if (sideEffect === "egress") expect(m.idempotent).toBe(false);
  expect(m.scopes.length).toBeGreaterThan(0);
  for (const scope of m.scopes) expect(scope).toMatch(/^[a-z]+:[a-z]+$/);
  expect(m.examples?.length).toBeGreaterThanOrEqual(2);
  expect(m.examples?.length).toBeLessThanOrEqual(3);
  expect(tool.description.length).toBeGreaterThan(60);
  expect(tool.description.length).toBeLessThan(500);
  for (const io of ["input", "output"] as const) {
    const schema = z.toJSONSchema(tool.inputSchema, { io }) as { properties?: Record<string, { description?: string }> };
    for (const [field, prop] of Object.entries(schema.properties ?? {})) expect(prop.description, `${tool.name}.${field} (${io})`).toBeTruthy();
  }
}

/**
 * Calls `tool` with `args` and asserts that it refuses with error `code` (on `field`, when given), says what to
 * do next, and changes no row. Returns the failure for further checks.
 */
export async function expectRefused(
  db: CompanyDb,
  tool: KeelTool<any>,
  args: Record<string, unknown>,
  code: ToolFailure["error"]["code"],
  field?: string,
): Promise<ToolFailure> {
  const { result, changes } = await withChanges(db, () => callTool(tool, args));
  expect(result).toMatchObject({ ok: false, error: { code, next_step: expect.stringMatching(/\S/), ...(field === undefined ? {} : { field }) } });
  expect(changes).toEqual({});
  return result as ToolFailure;
}

/** The entry of the one audit row a write adds, to spread into the expected `changes` of a write. */
export const ONE_AUDIT_ROW = { audit_log: { inserted: [expect.any(String)] } };

/**
 * Asserts that the newest audit row is `tool`'s, run by the default actor "agent", and, when given, that it
 * stored exactly `args` and `result` (compared as the JSON text of the row).
 */
export function expectLastAudit(db: CompanyDb, tool: string, stored: { args?: unknown; result?: unknown } = {}): void {
  const row = db.sql.prepare("SELECT * FROM audit_log ORDER BY id DESC LIMIT 1").get() as AuditRow;
  expect(row).toMatchObject({ tool, actor: "agent" });
  if ("args" in stored) expect(row.args).toBe(JSON.stringify(stored.args));
  if ("result" in stored) expect(row.result).toBe(JSON.stringify(stored.result));
}
