/**
 * Every Prometheus metric of Keel, in one registry (prom-client), served at `GET /metrics` by the LangGraph
 * server's custom HTTP app (src/server/http-app.ts) and by the CLI with `--metrics-port`.
 *
 * Model calls, tokens, cost, node latency and tool outcomes are counted by `MetricsCallbackHandler`
 * (metrics-handler.ts) from LangChain callbacks; the rest is recorded where it happens through the `record*`
 * functions below, which the cost, cache, reliability, routing and serving code call. Labels stay low in
 * cardinality: tenant, agent, model, node, tool, cache name, breaker name — never thread or user ids.
 *
 * @example
 * import { recordCacheLookup, setBreakerState } from "../observability/metrics.js";
 * recordCacheLookup("exact", true);
 * setBreakerState("openai", "open");
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

/** The registry every Keel metric lives in (not prom-client's global one, so embedding apps keep theirs). */
export const registry = new Registry();
collectDefaultMetrics({ register: registry, prefix: "keel_process_" });

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];

export const metrics = {
  requests: new Counter({ name: "keel_requests_total", help: "Turns handled (run or resume), by tenant and outcome (answered, needs_approval, clarifying, stopped, error).", labelNames: ["tenant", "status"] as const, registers: [registry] }),
  modelCalls: new Counter({ name: "keel_model_calls_total", help: "Model calls, by tenant, agent and model.", labelNames: ["tenant", "agent", "model"] as const, registers: [registry] }),
  tokens: new Counter({ name: "keel_tokens_total", help: "Tokens of model calls, by tenant, agent, model and direction (input, output).", labelNames: ["tenant", "agent", "model", "direction"] as const, registers: [registry] }),
  costUsd: new Counter({ name: "keel_cost_usd_total", help: "Cost of model calls in USD, by tenant, agent and model (models without a price add nothing).", labelNames: ["tenant", "agent", "model"] as const, registers: [registry] }),
  modelLatency: new Histogram({ name: "keel_model_call_duration_seconds", help: "Latency of one model call, by agent and model.", labelNames: ["agent", "model"] as const, buckets: LATENCY_BUCKETS, registers: [registry] }),
  nodeLatency: new Histogram({ name: "keel_node_duration_seconds", help: "Latency of a graph node (LangGraph node runs), by agent and node.", labelNames: ["agent", "node"] as const, buckets: LATENCY_BUCKETS, registers: [registry] }),
  toolCalls: new Counter({ name: "keel_tool_calls_total", help: "Tool calls, by agent, tool and status (ok, error, timeout).", labelNames: ["agent", "tool", "status"] as const, registers: [registry] }),
  toolErrors: new Counter({ name: "keel_tool_errors_total", help: "Tool calls that failed or timed out, by agent, tool and kind (error, timeout).", labelNames: ["agent", "tool", "kind"] as const, registers: [registry] }),
  retrievals: new Counter({ name: "keel_tool_retrievals_total", help: "Tool retrievals before a model call, by agent and outcome (tools, no_tool, keyword_fallback).", labelNames: ["agent", "outcome"] as const, registers: [registry] }),
  retrievedTools: new Histogram({ name: "keel_tool_retrieval_results", help: "Number of tools retrieval bound for one model call, by agent.", labelNames: ["agent"] as const, buckets: [0, 1, 2, 3, 4, 5, 6, 8, 10, 15, 20], registers: [registry] }),
  retrievalTopScore: new Histogram({ name: "keel_tool_retrieval_top_score", help: "Best fused score of a tool retrieval, by agent.", labelNames: ["agent"] as const, buckets: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1], registers: [registry] }),
  cacheLookups: new Counter({ name: "keel_cache_lookups_total", help: "Cache lookups, by cache (e.g. exact, semantic, routing) and result (hit, miss); hit rate = hit / all.", labelNames: ["cache", "result"] as const, registers: [registry] }),
  guardrailEvents: new Counter({ name: "keel_guardrail_events_total", help: "Guardrail decisions, by kind and agent.", labelNames: ["kind", "agent"] as const, registers: [registry] }),
  guardrailBlocks: new Counter({ name: "keel_guardrail_blocks_total", help: "Guardrail decisions that blocked or stripped something, by kind and agent.", labelNames: ["kind", "agent"] as const, registers: [registry] }),
  approvalsRequested: new Counter({ name: "keel_approvals_requested_total", help: "Approvals asked of a human, by kind (action, review, budget) and tool.", labelNames: ["kind", "tool"] as const, registers: [registry] }),
  approvalDecisions: new Counter({ name: "keel_approval_decisions_total", help: "Human decisions on approvals, by kind (action, review, budget) and decision (approve, edit, reject).", labelNames: ["kind", "decision"] as const, registers: [registry] }),
  approvalsPending: new Gauge({ name: "keel_approvals_pending", help: "Approvals waiting for a human now (threads this process has seen).", registers: [registry] }),
  humanOverrideRate: new Gauge({ name: "keel_human_override_rate", help: "Edits and rejections over approvals asked (0 when none asked).", registers: [registry] }),
  agentReports: new Counter({ name: "keel_agent_reports_total", help: "Task agent results, by route.", labelNames: ["route"] as const, registers: [registry] }),
  escalations: new Counter({ name: "keel_escalations_total", help: "Results sent to a human's review before the user sees them, by route.", labelNames: ["route"] as const, registers: [registry] }),
  escalationRate: new Gauge({ name: "keel_escalation_rate", help: "Escalations over task agent results (0 when none).", registers: [registry] }),
  budgetStops: new Counter({ name: "keel_budget_stops_total", help: "Runs or calls stopped by the cost governor, by tenant and scope (e.g. request, tenant_daily).", labelNames: ["tenant", "scope"] as const, registers: [registry] }),
  breakerState: new Gauge({ name: "keel_circuit_breaker_state", help: "Circuit breaker state by breaker: 0 closed, 1 half-open, 2 open.", labelNames: ["breaker"] as const, registers: [registry] }),
  rateLimited: new Counter({ name: "keel_rate_limited_total", help: "Requests refused by a rate limit, by tenant and limit.", labelNames: ["tenant", "limit"] as const, registers: [registry] }),
  traceUploadFailures: new Counter({ name: "keel_trace_upload_failures_total", help: "LangSmith uploads that failed (traces kept in the local log).", registers: [registry] }),
};

/** Tenant label of a run: `tenant_id` from its metadata or configurable, else "default". */
export function tenantLabel(source: Record<string, unknown> | undefined): string {
  const tenant = source?.tenant_id;
  return typeof tenant === "string" && tenant ? tenant : "default";
}

// Cache lookups: counted here by `recordCacheLookup`, or read at scrape time from caches that keep their own
// totals (`addCacheSource`); the counter is rebuilt from both on each scrape.
const cacheCounts = new Map<string, { hit: number; miss: number }>();
const cacheSources = new Map<string, () => { hits: number; misses: number }>();

/** A cache lookup of any of Keel's caches (exact model cache, semantic cache, routing fast path). */
export function recordCacheLookup(cache: string, hit: boolean): void {
  const counts = cacheCounts.get(cache) ?? { hit: 0, miss: 0 };
  if (hit) counts.hit += 1;
  else counts.miss += 1;
  cacheCounts.set(cache, counts);
}

/** A cache that counts its own hits and misses, read at each scrape. @example addCacheSource("exact", exactCacheStats) */
export function addCacheSource(cache: string, read: () => { hits: number; misses: number }): void {
  cacheSources.set(cache, read);
}

function refreshCacheLookups(): void {
  metrics.cacheLookups.reset();
  const totals = new Map<string, { hit: number; miss: number }>();
  for (const [cache, counts] of cacheCounts) totals.set(cache, { ...counts });
  for (const [cache, read] of cacheSources) {
    try {
      const { hits, misses } = read();
      const t = totals.get(cache) ?? { hit: 0, miss: 0 };
      totals.set(cache, { hit: t.hit + hits, miss: t.miss + misses });
    } catch {
      // a cache that cannot report is left out of this scrape
    }
  }
  for (const [cache, t] of totals) {
    metrics.cacheLookups.inc({ cache, result: "hit" }, t.hit);
    metrics.cacheLookups.inc({ cache, result: "miss" }, t.miss);
  }
}

/** Circuit breakers read at scrape time (e.g. the reliability layer's `breakerStates()`). */
let breakerSource: (() => Record<string, string>) | undefined;
export function setBreakerSource(read: () => Record<string, string>): void {
  breakerSource = read;
}

function refreshBreakers(): void {
  if (!breakerSource) return;
  try {
    for (const [breaker, state] of Object.entries(breakerSource())) {
      metrics.breakerState.set({ breaker }, state === "open" || state === "isolated" ? 2 : state === "half-open" || state === "half_open" ? 1 : 0);
    }
  } catch {
    // left as last seen
  }
}

/** The cost governor stopped a call or run. @example recordBudgetStop("acme", "tenant_daily") */
export function recordBudgetStop(tenant: string | undefined, scope: string): void {
  metrics.budgetStops.inc({ tenant: tenant || "default", scope });
}

export type BreakerState = "closed" | "half_open" | "open";
const BREAKER_VALUE: Record<BreakerState, number> = { closed: 0, half_open: 1, open: 2 };

/** A circuit breaker's current state. @example setBreakerState("model:gpt-4o", "open") */
export function setBreakerState(breaker: string, state: BreakerState): void {
  metrics.breakerState.set({ breaker }, BREAKER_VALUE[state]);
}

/** A request refused by a rate limit. @example recordRateLimited("acme", "requests_per_minute") */
export function recordRateLimited(tenant: string | undefined, limit: string): void {
  metrics.rateLimited.inc({ tenant: tenant || "default", limit });
}

/** A guardrail decision; `blocked` when it refused or stripped something (not a flag or a question). */
export function recordGuardrailMetric(kind: string, agent: string, blocked: boolean): void {
  metrics.guardrailEvents.inc({ kind, agent });
  if (blocked) metrics.guardrailBlocks.inc({ kind, agent });
}

/** One tool retrieval before a model call. */
export function recordRetrieval(agent: string, selection: { bound: number; topScore?: number; noTool?: boolean; fallback?: string }): void {
  const outcome = selection.fallback ? "keyword_fallback" : selection.noTool ? "no_tool" : "tools";
  metrics.retrievals.inc({ agent, outcome });
  metrics.retrievedTools.observe({ agent }, selection.bound);
  if (selection.topScore !== undefined) metrics.retrievalTopScore.observe({ agent }, selection.topScore);
}

// Approvals, decisions and escalations feed two rates; the counts behind them are kept here so the gauges are
// exact ratios of this process's counters.
let approvalsAsked = 0;
let overrides = 0;
let reportsSeen = 0;
let escalated = 0;
const pendingByThread = new Map<string, number>();

/** Approvals now pending on a thread (replaces the thread's previous count). */
export function setPendingApprovals(threadId: string, count: number): void {
  if (count > 0) pendingByThread.set(threadId, count);
  else pendingByThread.delete(threadId);
  let total = 0;
  for (const n of pendingByThread.values()) total += n;
  metrics.approvalsPending.set(total);
}

/** An approval newly asked of a human. */
export function recordApprovalRequested(kind: "action" | "review" | "budget", tool: string): void {
  metrics.approvalsRequested.inc({ kind, tool });
  approvalsAsked += 1;
  if (kind === "review") {
    escalated += 1;
    metrics.escalations.inc({ route: tool.replace(/^review:/, "") });
  }
  updateRates();
}

/** A human's decision on an approval. */
export function recordApprovalDecision(kind: "action" | "review" | "budget", decision: "approve" | "edit" | "reject"): void {
  metrics.approvalDecisions.inc({ kind, decision });
  if (decision !== "approve") overrides += 1;
  updateRates();
}

/** Task agent results of a turn (the denominator of the escalation rate). */
export function recordAgentReports(routes: string[]): void {
  for (const route of routes) metrics.agentReports.inc({ route });
  reportsSeen += routes.length;
  updateRates();
}

function updateRates(): void {
  metrics.humanOverrideRate.set(approvalsAsked > 0 ? overrides / approvalsAsked : 0);
  metrics.escalationRate.set(reportsSeen > 0 ? escalated / reportsSeen : 0);
}

/** The exposition text (what `GET /metrics` returns) and its content type. */
export async function scrapeMetrics(): Promise<{ body: string; contentType: string }> {
  refreshCacheLookups();
  refreshBreakers();
  return { body: await registry.metrics(), contentType: registry.contentType };
}
