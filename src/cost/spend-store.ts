/**
 * Spend of model calls, kept in the company database (`model_spend`) so request, thread and tenant budgets hold
 * across restarts and across processes that share the database.
 */
import { companyDb } from "../db/index.js";

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
  companyDb()
    .sql.prepare(
      `INSERT INTO model_spend (request_id, thread_id, tenant_id, agent, node, model, input_tokens, output_tokens, cost_usd, cached, approved, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(row.requestId, row.threadId, row.tenantId, row.agent, row.node, row.model, row.inputTokens, row.outputTokens, row.costUsd ?? null, row.cached ? 1 : 0, row.approved ? 1 : 0, at.toISOString());
}

const COLUMN = { request: "request_id", thread: "thread_id", tenant: "tenant_id" } as const;

/** Totals of one request, thread or tenant; `since` (ISO 8601) limits them to calls from then on. */
export function spendTotals(scope: keyof typeof COLUMN, id: string, since?: string): SpendTotals {
  const row = companyDb()
    .sql.prepare(
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
  return companyDb().sql.prepare("SELECT request_id FROM model_spend WHERE thread_id = ? ORDER BY id DESC LIMIT 1").pluck().get(threadId) as string | undefined;
}

/** Spend of a request by agent and node, for the summary of a turn. */
export function requestBreakdown(requestId: string): { agent: string; node: string; model: string; calls: number; costUsd: number }[] {
  return companyDb()
    .sql.prepare(
      `SELECT agent, node, model, COUNT(*) AS calls, COALESCE(SUM(cost_usd), 0) AS costUsd
         FROM model_spend WHERE request_id = ? GROUP BY agent, node, model ORDER BY MIN(id)`,
    )
    .all(requestId) as { agent: string; node: string; model: string; calls: number; costUsd: number }[];
}
