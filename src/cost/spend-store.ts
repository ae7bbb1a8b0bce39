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
  estimate_usd  REAL,                          -- the governor's estimate before the call
  created_at    TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS idx_spend_request ON model_spend(request_id);
CREATE INDEX IF NOT EXISTS idx_spend_thread  ON model_spend(thread_id);
CREATE INDEX IF NOT EXISTS idx_spend_tenant  ON model_spend(tenant_id, created_at);
-- Running totals, so a budget check reads one row instead of summing a tenant's month. window: '' (all time),
-- 'm:YYYY-MM' or 'd:YYYY-MM-DD' (UTC; tenants only).
CREATE TABLE IF NOT EXISTS spend_totals (
  kind      TEXT NOT NULL CHECK (kind IN ('request','thread','tenant')),
  id        TEXT NOT NULL,
  window    TEXT NOT NULL,
  cost_usd  REAL NOT NULL,
  calls     INTEGER NOT NULL,
  PRIMARY KEY (kind, id, window)
);
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
    // WAL with NORMAL sync survives a process crash (not a power loss) and keeps each record to ~0.1 ms.
    db.pragma("synchronous = NORMAL");
    db.exec(SPEND_SCHEMA);
    // Additive columns for files created before them.
    const columns = new Set((db.prepare("PRAGMA table_info(model_spend)").all() as { name: string }[]).map((c) => c.name));
    if (!columns.has("estimate_usd")) db.exec("ALTER TABLE model_spend ADD COLUMN estimate_usd REAL");
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
  /** What the governor estimated before the call. */
  estimateUsd?: number | undefined;
}

export interface SpendTotals {
  modelCalls: number;
  cachedCalls: number;
  inputTokens: number;
  outputTokens: number;
  /** USD of priced calls. */
  costUsd: number;
}

/** The windows a tenant's spend counts in at `at`: all time, its UTC month and its UTC day. */
export function tenantWindows(at: Date): string[] {
  const iso = at.toISOString();
  return ["", `m:${iso.slice(0, 7)}`, `d:${iso.slice(0, 10)}`];
}

export function recordSpend(row: SpendRow, at = new Date()): void {
  const db = spendDb();
  const cost = row.costUsd ?? 0;
  db.transaction(() => {
    db.prepare(
      `INSERT INTO model_spend (request_id, thread_id, tenant_id, agent, node, model, input_tokens, output_tokens, cost_usd, cached, approved, estimate_usd, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(row.requestId, row.threadId, row.tenantId, row.agent, row.node, row.model, row.inputTokens, row.outputTokens, row.costUsd ?? null, row.cached ? 1 : 0, row.approved ? 1 : 0, row.estimateUsd ?? null, at.toISOString());
    const total = db.prepare(
      `INSERT INTO spend_totals (kind, id, window, cost_usd, calls) VALUES (?, ?, ?, ?, 1)
       ON CONFLICT (kind, id, window) DO UPDATE SET cost_usd = cost_usd + excluded.cost_usd, calls = calls + 1`,
    );
    total.run("request", row.requestId, "", cost);
    total.run("thread", row.threadId, "", cost);
    for (const window of tenantWindows(at)) total.run("tenant", row.tenantId, window, cost);
  })();
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

/** USD spent by one request, thread or tenant in a window ('' all time; tenants also 'm:YYYY-MM', 'd:YYYY-MM-DD'). */
export function spentUsd(scope: keyof typeof COLUMN, id: string, window = ""): number {
  const cost = spendDb().prepare("SELECT cost_usd FROM spend_totals WHERE kind = ? AND id = ? AND window = ?").pluck().get(scope, id, window) as number | undefined;
  return cost ?? 0;
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

/** A scope whose recorded spend went past its budget by more than the estimate of the call that took it there. */
export interface BudgetOverrun {
  scope: "request" | "thread" | "tenant";
  id: string;
  budgetUsd: number;
  /** Spend after the call that overran. */
  spentUsd: number;
  /** That call's estimate. */
  estimateUsd: number;
}

/**
 * Audits the spend records against budgets (independently of the governor's own counter): walks each scope's calls
 * in order and reports every call, not approved by a human, after which the scope's spend exceeded its budget by
 * more than the call's estimate. `budgetOf` gives the budget of a scope (undefined: none). Tenant budgets are
 * audited over all time, so use it for runs within one budget period.
 */
export function auditOverruns(budgetOf: (scope: BudgetOverrun["scope"], id: string, tenantId: string) => number | undefined): BudgetOverrun[] {
  const rows = spendDb().prepare("SELECT request_id, thread_id, tenant_id, cost_usd, approved, estimate_usd FROM model_spend ORDER BY id").all() as {
    request_id: string;
    thread_id: string;
    tenant_id: string;
    cost_usd: number | null;
    approved: number;
    estimate_usd: number | null;
  }[];
  const spent = new Map<string, number>();
  const overruns: BudgetOverrun[] = [];
  for (const row of rows) {
    for (const [scope, id] of [["request", row.request_id], ["thread", row.thread_id], ["tenant", row.tenant_id]] as const) {
      const key = `${scope}\u0000${id}`;
      const before = spent.get(key) ?? 0;
      const after = before + (row.cost_usd ?? 0);
      spent.set(key, after);
      const budget = budgetOf(scope, id, row.tenant_id);
      if (budget === undefined || row.approved) continue;
      const estimate = row.estimate_usd ?? 0;
      if (after > Math.max(budget, before) + estimate + 1e-12) overruns.push({ scope, id, budgetUsd: budget, spentUsd: after, estimateUsd: estimate });
    }
  }
  return overruns;
}
