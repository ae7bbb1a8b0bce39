/**
 * Spend of model calls, kept in `<KEEL_DATA_DIR>/spend.sqlite` (table `model_spend`) so request, thread and tenant
 * budgets hold across restarts and across processes that share the data directory. A file of its own rather than
 * a table of the company database: it is operational accounting, not company data, and writes to it must not
 * look like changes to the business records.
 */
import Database from "better-sqlite3";
import path from "node:path";
import { dataDir } from "../db/index.js";
import { makeDirs } from "../db/fs.js";

const SPEND_SCHEMA = `
CREATE TABLE IF NOT EXISTS model_spend (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  request_id    TEXT NOT NULL,
  thread_id     TEXT NOT NULL,
  tenant_id     TEXT NOT NULL,
  agent         TEXT NOT NULL,
  node          TEXT NOT NULL,
  model         TEXT NOT NULL,
  input_tokens  INTEGER NOT NULL,
  output_tokens INTEGER NOT NULL,
  cost_usd      REAL,                          -- NULL: the model has no price
  cached        INTEGER NOT NULL DEFAULT 0,    -- 1: a cache hit (costs nothing)
  approved      INTEGER NOT NULL DEFAULT 0,    -- 1: a human approved this call over budget
  created_at    TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS idx_spend_request ON model_spend(request_id);
CREATE INDEX IF NOT EXISTS idx_spend_thread  ON model_spend(thread_id);
CREATE INDEX IF NOT EXISTS idx_spend_tenant  ON model_spend(tenant_id, created_at);
`;

const open = new Map<string, Database.Database>();

/** The spend database of the current data directory, opened once per process. */
export function spendDb(): Database.Database {
  const file = path.join(dataDir(), "spend.sqlite");
  let db = open.get(file);
  if (!db) {
    makeDirs(path.dirname(file));
    db = new Database(file);
    db.pragma("journal_mode = WAL");
    db.pragma("busy_timeout = 5000");
    db.exec(SPEND_SCHEMA);
    open.set(file, db);
  }
  return db;
}

/** Closes the spend databases this process opened (they reopen on next use). */
export function closeSpendDbs(): void {
  for (const db of open.values()) db.close();
  open.clear();
}

export interface SpendRow {
  requestId: string;
  threadId: string;
  tenantId: string;
  agent: string;
  node: string;
  model: string;
  inputTokens: number;
  outputTokens: number;
  /** `undefined` when the model has no price. */
  costUsd: number | undefined;
  cached: boolean;
  /** A human approved this call over budget. */
  approved: boolean;
}

export interface SpendTotals {
  modelCalls: number;
  cachedCalls: number;
  inputTokens: number;
  outputTokens: number;
  /** USD of priced calls. */
  costUsd: number;
}

export function recordSpend(row: SpendRow, at = new Date()): void {
  spendDb()
    .prepare(
      `INSERT INTO model_spend (request_id, thread_id, tenant_id, agent, node, model, input_tokens, output_tokens, cost_usd, cached, approved, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(row.requestId, row.threadId, row.tenantId, row.agent, row.node, row.model, row.inputTokens, row.outputTokens, row.costUsd ?? null, row.cached ? 1 : 0, row.approved ? 1 : 0, at.toISOString());
}

const COLUMN = { request: "request_id", thread: "thread_id", tenant: "tenant_id" } as const;

/** Totals of one request, thread or tenant; `since` (ISO 8601) limits them to calls from then on. */
export function spendTotals(scope: keyof typeof COLUMN, id: string, since?: string): SpendTotals {
  const row = spendDb()
    .prepare(
      `SELECT COUNT(*) AS modelCalls, COALESCE(SUM(cached), 0) AS cachedCalls, COALESCE(SUM(input_tokens), 0) AS inputTokens,
              COALESCE(SUM(output_tokens), 0) AS outputTokens, COALESCE(SUM(cost_usd), 0) AS costUsd
         FROM model_spend WHERE ${COLUMN[scope]} = ? AND created_at >= ?`,
    )
    .get(id, since ?? "") as SpendTotals;
  return row;
}

/** USD spent by one request, thread or tenant (since `since`). */
export function spentUsd(scope: keyof typeof COLUMN, id: string, since?: string): number {
  return spendTotals(scope, id, since).costUsd;
}

/** The request the thread's latest model call belonged to (a resume continues it). */
export function latestRequestOf(threadId: string): string | undefined {
  return spendDb().prepare("SELECT request_id FROM model_spend WHERE thread_id = ? ORDER BY id DESC LIMIT 1").pluck().get(threadId) as string | undefined;
}

/** Spend of a request by agent and node, for the summary of a turn. */
export function requestBreakdown(requestId: string): { agent: string; node: string; model: string; calls: number; costUsd: number }[] {
  return spendDb()
    .prepare(
      `SELECT agent, node, model, COUNT(*) AS calls, COALESCE(SUM(cost_usd), 0) AS costUsd
         FROM model_spend WHERE request_id = ? GROUP BY agent, node, model ORDER BY MIN(id)`,
    )
    .all(requestId) as { agent: string; node: string; model: string; calls: number; costUsd: number }[];
}
