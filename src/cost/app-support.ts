/**
 * The cost pieces graphs/app.ts uses: start-up validation, the request scope of a turn, budget approvals and
 * turns stopped by a budget.
 */
import { randomUUID } from "node:crypto";
import { priceTable, requirePrices } from "./prices.js";
import { budgetConfig, tenantWindowStart } from "./budgets.js";
import { setActiveRequest } from "./governor.js";
import { latestRequestOf, spendTotals, type SpendTotals } from "./spend-store.js";
import { cacheSettings } from "../cache/settings.js";
import { modelSettings } from "../models/provider.js";
import { tenantOf } from "../guardrails/manifest.js";
import type { BudgetApprovalRequest } from "./governor-middleware.js";
import type { UsageTotals } from "./usage-tracker.js";

/**
 * Refuses a malformed `KEEL_PRICES`, `KEEL_BUDGETS` or cache setting at start-up, naming the field; with budgets,
 * a configured model without a price is refused too (its calls could not be governed).
 */
export function validateCostSettings(env: NodeJS.ProcessEnv = process.env): void {
  const table = priceTable(env);
  const budgets = budgetConfig(env);
  cacheSettings(env);
  const models = modelSettings(env);
  if (budgets && models.provider === "openai") requirePrices({ KEEL_MODEL_FAST: models.models.fast, KEEL_MODEL_STRONG: models.models.strong }, table);
}

/**
 * The scope of a turn, put in the run's `configurable`: a new request id for a new message, the thread's current
 * one for a resume (an approval continues the same request and its budget).
 */
export function beginRequest(threadId: string, resuming: boolean, tenantId?: string): { request_id: string; tenant_id: string } {
  const scope = {
    request_id: (resuming ? latestRequestOf(threadId) : undefined) ?? randomUUID(),
    tenant_id: tenantOf({ tenant_id: tenantId }),
  };
  setActiveRequest(threadId, scope);
  return scope;
}

/** Spend of the whole thread and of the tenant's current budget period, for a turn's summary. */
export function spendSummary(threadId: string, tenantId: string): { thread: SpendTotals; tenant: SpendTotals } {
  const period = budgetConfig()?.tenantPeriod ?? "month";
  return { thread: spendTotals("thread", threadId), tenant: spendTotals("tenant", tenantId, tenantWindowStart(period)) };
}

/** The request's usage from the spend records (for a turn that ended in a budget stop, whose tracker is gone). */
export function requestUsage(requestId: string): UsageTotals {
  const totals = spendTotals("request", requestId);
  return { modelCalls: totals.modelCalls, inputTokens: totals.inputTokens, outputTokens: totals.outputTokens, costUsd: totals.costUsd, byModel: {}, };
}

/** An interrupt value is a budget approval request (see governor-middleware.ts). */
export function isBudgetRequest(value: unknown): value is BudgetApprovalRequest {
  return (value as { type?: unknown } | undefined)?.type === "budget";
}
