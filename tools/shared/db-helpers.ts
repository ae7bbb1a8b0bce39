/**
 * Helpers shared by the primitive tools of every domain: money formatting, dollar-to-cent conversion, the
 * audited transaction every write tool runs in, deterministic id allocation and the lookup-or-`not_found` of a record
 * by id. Keep this API small.
 */
import type { CompanyDb } from "../../src/db/index.js";
import type { ToolContext } from "../../src/toolkit/define-tool.js";
import { notFound } from "../../src/toolkit/tool-result.js";

const usd = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD" });

/** Integer cents as a dollar string. @example formatUsd(9900) === "$99.00" */
export function formatUsd(cents: number): string {
  return usd.format(cents / 100);
}

/** Dollars (as the model passes them) to integer cents, rounded to the nearest cent. @example toCents(12.5) === 1250 */
export function toCents(amountUsd: number): number {
  return Math.round(amountUsd * 100);
}

/** What `auditedWrite`'s change returns when it modified nothing: the answer, with no audit row. */
class NoChange<T> {
  constructor(readonly result: T) {}
}

/** Marks a write tool's answer as "nothing was modified" (e.g. the status was already set), so it is not audited. */
export function noChange<T>(result: T): NoChange<T> {
  return new NoChange(result);
}

/**
 * Runs a write, destructive or egress tool's `change` and the `audit_log` insert for it in one transaction, so
 * both commit or both roll back, and returns the change's result. The audit row names the running tool
 * (`ctx.toolName`), the caller (`ctx.actor`), `args` and the result; a change that returns `noChange(result)`
 * writes no audit row. A `ToolError` thrown by `change` rolls everything back. With an idempotency key the
 * result is also recorded in `tool_ledger`, and a repeated call returns it without changing anything again.
 * @example return auditedWrite(ctx, args, (db) => { db.sql.prepare("UPDATE ...").run(...); return { changed: true }; });
 */
export function auditedWrite<T>(
  ctx: Pick<ToolContext, "db" | "actor" | "toolName" | "idempotencyKey">,
  args: unknown,
  change: (db: CompanyDb) => T | NoChange<T>,
): T {
  return ctx.db.sql.transaction(() => {
    // Exactly once: a call already made (a retry, or a resume after a crash) gets its recorded result back.
    if (ctx.idempotencyKey) {
      const recorded = ctx.db.sql.prepare("SELECT result FROM tool_ledger WHERE key = ?").pluck().get(ctx.idempotencyKey) as string | undefined;
      if (recorded !== undefined) return JSON.parse(recorded) as T;
    }
    const outcome = change(ctx.db);
    const result = outcome instanceof NoChange ? outcome.result : outcome;
    if (!(outcome instanceof NoChange)) {
      writeAudit(ctx, args, result);
      bumpRecordVersions(ctx.db, args, result);
    }
    if (ctx.idempotencyKey) {
      ctx.db.sql
        .prepare("INSERT INTO tool_ledger (key, tool, args, result, created_at) VALUES (?, ?, ?, ?, ?)")
        .run(ctx.idempotencyKey, ctx.toolName, JSON.stringify(args ?? {}), JSON.stringify(result ?? null), new Date().toISOString());
    }
    return result;
  })();
}

function writeAudit(ctx: Pick<ToolContext, "db" | "actor" | "toolName">, args: unknown, result: unknown): void {
  ctx.db.sql
    .prepare("INSERT INTO audit_log (actor, tool, args, result, created_at) VALUES (?, ?, ?, ?, ?)")
    .run(ctx.actor, ctx.toolName, JSON.stringify(args ?? {}), JSON.stringify(result ?? null), new Date().toISOString());
}

/**
 * The next id of a table whose ids are `PREFIX-<number>`: the largest existing number plus one, zero-padded to
 * the width of the existing ids (at least 4 digits). Deterministic for a given database state.
 * @example nextId(db, "credits", "CRD") === "CRD-0007"
 */
export function nextId(db: CompanyDb, table: string, prefix: string): string {
  assertTableName(table);
  const stem = prefix.endsWith("-") ? prefix : `${prefix}-`;
  const row = db.sql
    .prepare(
      `SELECT MAX(CAST(substr(id, ?) AS INTEGER)) AS n, MAX(length(id) - ?) AS width
         FROM ${table} WHERE id LIKE ? || '%' AND substr(id, ?) GLOB '[0-9]*'`,
    )
    .get(stem.length + 1, stem.length, stem, stem.length + 1) as { n: number | null; width: number | null };
  const next = (row.n ?? 0) + 1;
  // Keep the width of the ids already there (INC-760 after INC-759); new tables start at 4 digits.
  return `${stem}${String(next).padStart(row.width ?? 4, "0")}`;
}

/**
 * The row of `table` with primary key `id`, or a `not_found` tool error naming `field`.
 * @example requireRow<Customer>(ctx.db, "customers", "CUS-1042", "customer", "customer_id")
 */
export function requireRow<T>(db: CompanyDb, table: string, id: string, what: string, field: string): T {
  assertTableName(table);
  const row = db.sql.prepare(`SELECT * FROM ${table} WHERE id = ?`).get(id) as T | undefined;
  if (!row) throw notFound(what, id, field);
  return row;
}

function assertTableName(table: string): void {
  if (!/^[a-z_]+$/.test(table)) throw new Error(`Invalid table name ${table}`);
}

/**
 * Record versions: a write bumps the version of every record it names (ids in its arguments and result, and
 * `*_id` argument values such as a service id) and of each record kind (`kind:ORD`, `kind:service_id`), in the
 * same transaction. Answers cached from reads (src/cache/semantic-cache.ts) keep the versions they saw and are
 * dropped when one has moved. The table is created on first use, so databases seeded before it work unchanged.
 */
const versioned = new WeakSet<CompanyDb>();

function ensureVersionTable(db: CompanyDb): void {
  if (versioned.has(db)) return;
  db.sql.exec("CREATE TABLE IF NOT EXISTS record_versions (key TEXT PRIMARY KEY, version INTEGER NOT NULL)");
  versioned.add(db);
}

/** The version keys a write touches: record ids, `*_id` argument values, and their kinds. */
export function recordKeysOf(args: unknown, result?: unknown): string[] {
  const keys = new Set<string>();
  for (const id of JSON.stringify([args ?? null, result ?? null]).match(/\b[A-Z]{2,4}-\d+\b/g) ?? []) {
    keys.add(id);
    keys.add(`kind:${id.split("-")[0]}`);
  }
  if (args && typeof args === "object") {
    for (const [field, value] of Object.entries(args as Record<string, unknown>)) {
      if (field.endsWith("_id") && typeof value === "string" && value && !/^[A-Z]{2,4}-\d+$/.test(value)) {
        keys.add(value);
        keys.add(`kind:${field}`);
      }
    }
  }
  return [...keys];
}

function bumpRecordVersions(db: CompanyDb, args: unknown, result: unknown): void {
  const keys = recordKeysOf(args, result);
  if (keys.length === 0) return;
  ensureVersionTable(db);
  const bump = db.sql.prepare("INSERT INTO record_versions (key, version) VALUES (?, 1) ON CONFLICT(key) DO UPDATE SET version = version + 1");
  for (const key of keys) bump.run(key);
}

/** Current versions of `keys` (0 for a record never written). @example recordVersions(db, ["ORD-10233"]) */
export function recordVersions(db: CompanyDb, keys: readonly string[]): Record<string, number> {
  ensureVersionTable(db);
  const get = db.sql.prepare("SELECT version FROM record_versions WHERE key = ?").pluck();
  return Object.fromEntries(keys.map((key) => [key, (get.get(key) as number | undefined) ?? 0]));
}
