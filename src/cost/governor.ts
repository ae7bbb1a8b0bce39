/**
 * The cost governor's core: before a model call it estimates the call's cost (prompt tokens with the bound tool
 * schemas, plus the expected output tokens, priced from the table) and admits it only when every budget of the
 * call's request, thread and tenant still has room for it. Admitted calls hold a reservation until they settle,
 * so calls running in parallel cannot together overshoot; a budget is therefore exceeded by at most the amount a
 * call's actual cost exceeds its estimate. Settled calls are recorded in `model_spend` (src/cost/spend-store.ts).
 *
 * Two doors lead here: the task agents' middleware (governor-middleware.ts: the ladder compress -> fast tier ->
 * approval or stop) and a callback on every model made by the provider layer (governor-callback.ts), which
 * governs the calls no middleware wraps (the router, the weekly brief) by stopping them, and records every call.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type { BaseMessage } from "@langchain/core/messages";
import { budgetConfig, limitsFor, tenantWindowKey, type BudgetConfig, type BudgetScope } from "./budgets.js";
import { costUsd, priceOf } from "./prices.js";
import { countPromptTokens, normalizedToolSchemas } from "./tokens.js";
import { recordSpend, spentUsd } from "./spend-store.js";
import { tenantOf } from "../guardrails/manifest.js";
import { findError, KeelError } from "../errors.js";

/** Who a model call spends for. */
export interface CallScope {
  requestId: string;
  threadId: string;
  tenantId: string;
  agent: string;
  node: string;
}

export interface CostEstimate {
  model: string;
  inputTokens: number;
  outputTokens: number;
  /** USD; `undefined` when the model has no price (such a call cannot be governed and counts as free). */
  usd: number | undefined;
}

export interface BudgetBreach {
  scope: BudgetScope;
  /** The id of the request, thread or tenant. */
  id: string;
  budgetUsd: number;
  /** Spent so far, including the reservations of calls in flight. */
  spentUsd: number;
  estimateUsd: number;
}

/** What a settled call cost; also put on the model's message (`response_metadata.keel_cost`). */
export interface CallCost {
  model: string;
  inputTokens: number;
  outputTokens: number;
  costUsd: number | undefined;
  cached: boolean;
  /** Estimated before the call. */
  estimateUsd: number | undefined;
}

export interface Reservation {
  readonly id: number;
  readonly scope: CallScope;
  readonly estimate: CostEstimate;
  /** A human approved the call over budget: it is not checked, and not counted as an overrun. */
  readonly approved: boolean;
  /** Spent per budgeted scope when the call was admitted, to detect overruns when it settles. */
  readonly spentBefore: Partial<Record<BudgetScope, number>>;
  settled?: CallCost;
  /** Its call failed and the reservation was freed (a retry is admitted on its own). */
  released?: boolean;
}

/** A model call refused because it would exceed a budget; the message says which, by how much and what to do. */
export class BudgetExceededError extends KeelError {
  constructor(
    readonly breach: BudgetBreach,
    readonly model: string,
    reason = "would exceed",
  ) {
    super(
      `Stopped: the next model call (${model}, estimated $${breach.estimateUsd.toFixed(4)}) ${reason} the ${breach.scope} budget of $${breach.budgetUsd.toFixed(4)} for ${breach.scope} ${breach.id} ($${breach.spentUsd.toFixed(4)} already spent).`,
      breach.scope === "request"
        ? "Ask a narrower question, or raise the request budget in KEEL_BUDGETS."
        : breach.scope === "thread"
          ? "Start a new conversation (thread), or raise the thread budget in KEEL_BUDGETS."
          : "Wait for the next budget period, or raise the tenant budget in KEEL_BUDGETS.",
    );
  }
}

/**
 * The budget stop behind an error: also when langchain's agent wrapped it (a `MiddlewareError` per middleware
 * layer, each with a `cause`) or LangGraph gathered it with others (an `AggregateError` when parallel agents fail
 * in the same step).
 */
export function budgetStopOf(error: unknown): BudgetExceededError | undefined {
  return findError(error, (e): e is BudgetExceededError => e instanceof BudgetExceededError);
}

/** Counters since the process started (or `resetStats`): what the ladder did and whether a budget was overrun. */
export interface GovernorStats {
  /** Calls admitted under budget. */
  admitted: number;
  /** Calls whose context was compressed to fit. */
  compressed: number;
  /** Calls moved to the fast tier to fit. */
  downgraded: number;
  approvalsRequested: number;
  approved: number;
  /** Calls refused (stopped or rejected). */
  stopped: number;
  /** Settled calls that left a budget exceeded by more than their own estimate (the target is 0). */
  overruns: number;
}

/** Marks a model call already admitted by the middleware, so the callback does not admit it a second time. */
export interface GovernedTicket {
  reservation: Reservation;
  used: boolean;
}
export const governedCall = new AsyncLocalStorage<GovernedTicket>();

const EPSILON = 1e-12;
const SCOPES: BudgetScope[] = ["request", "thread", "tenant"];

/**
 * The agent of a call from its checkpoint namespace: the outer node of a subgraph (`finance:<id>|model_request:<id>`
 * -> `finance`, `weekly_brief:<id>|summarize:<id>` -> `weekly_brief`); a node of the meta graph itself
 * (`route:<id>`) -> `meta`.
 */
export function agentOf(checkpointNs: unknown): string {
  const parts = typeof checkpointNs === "string" && checkpointNs ? checkpointNs.split("|") : [];
  return parts.length > 1 ? parts[0]!.split(":")[0] || "meta" : "meta";
}

/**
 * The scope of a call from a run's configurable values or callback metadata: `request_id` (set by the app per
 * turn; the LangGraph server's `run_id` otherwise), `thread_id`, `tenant_id`, `checkpoint_ns`, `langgraph_node`.
 */
export function scopeFrom(values: Record<string, unknown> | undefined, agent?: string): CallScope {
  const str = (v: unknown) => (typeof v === "string" && v ? v : undefined);
  const threadId = str(values?.thread_id) ?? "no-thread";
  return {
    requestId: str(values?.request_id) ?? str(values?.run_id) ?? threadId,
    threadId,
    tenantId: tenantOf(values),
    agent: agent ?? agentOf(values?.langgraph_checkpoint_ns ?? values?.checkpoint_ns),
    node: str(values?.langgraph_node) ?? "model",
  };
}

/** Request and tenant of the turn the app drives on each thread: the callback sees only metadata (thread_id). */
const activeRequests = new Map<string, { request_id: string; tenant_id: string }>();

export function setActiveRequest(threadId: string, scope: { request_id: string; tenant_id: string }): void {
  activeRequests.set(threadId, scope);
}

/** The scope of a call seen by a callback: its metadata, completed with the app's request and tenant of the thread. */
export function scopeFromMetadata(metadata: Record<string, unknown> | undefined): CallScope {
  const thread = typeof metadata?.thread_id === "string" ? metadata.thread_id : undefined;
  return scopeFrom({ ...(thread ? activeRequests.get(thread) : undefined), ...metadata });
}

/** The model name a chat model instance calls (`model` of OpenAI-style models, else its type). */
export function modelNameOf(model: unknown): string {
  const m = model as { model?: unknown; modelName?: unknown; _llmType?: () => string };
  if (typeof m.model === "string" && m.model) return m.model;
  if (typeof m.modelName === "string" && m.modelName) return m.modelName;
  return m._llmType?.() ?? "unknown";
}

export class CostGovernor {
  private readonly reservations = new Map<number, Reservation>();
  private nextId = 1;
  stats: GovernorStats = emptyStats();

  constructor(private readonly env: NodeJS.ProcessEnv = process.env) {}

  /** The budgets in force, or `undefined` when none are configured. */
  config(): BudgetConfig | undefined {
    return budgetConfig(this.env);
  }

  /** The cost of a call before it is made. */
  estimate(model: string, messages: BaseMessage[], tools?: readonly unknown[]): CostEstimate {
    const inputTokens = countPromptTokens(messages, normalizedToolSchemas(tools));
    const outputTokens = this.config()?.expectedOutputTokens ?? 512;
    return { model, inputTokens, outputTokens, usd: costUsd(model, inputTokens, outputTokens) };
  }

  /** The first budget the call would exceed, or `undefined` when all have room (or none is configured). */
  breach(scope: CallScope, estimate: CostEstimate): BudgetBreach | undefined {
    const config = this.config();
    if (!config) return undefined;
    const usd = estimate.usd ?? 0;
    const limits = limitsFor(config, scope.tenantId);
    for (const kind of SCOPES) {
      const budget = limits[kind];
      if (budget === undefined) continue;
      const spent = this.spent(kind, scope, config);
      if (spent + usd > budget + EPSILON) return { scope: kind, id: idOf(kind, scope), budgetUsd: budget, spentUsd: spent, estimateUsd: usd };
    }
    return undefined;
  }

  /** Holds the call's estimate against its budgets until it settles or is released. */
  reserve(scope: CallScope, estimate: CostEstimate, approved = false): Reservation {
    const config = this.config();
    const spentBefore: Partial<Record<BudgetScope, number>> = {};
    if (config) {
      const limits = limitsFor(config, scope.tenantId);
      for (const kind of SCOPES) if (limits[kind] !== undefined) spentBefore[kind] = this.spent(kind, scope, config);
    }
    const reservation: Reservation = { id: this.nextId++, scope, estimate, approved, spentBefore };
    this.reservations.set(reservation.id, reservation);
    if (!approved) this.stats.admitted += 1;
    return reservation;
  }

  /** Records what the call really cost, frees its reservation, and counts an overrun if a budget went past its margin. */
  settle(reservation: Reservation, usage: { model?: string; inputTokens: number; outputTokens: number; cached: boolean }): CallCost {
    if (reservation.settled) return reservation.settled;
    this.reservations.delete(reservation.id);
    const model = pricedName(usage.model, reservation.estimate.model);
    const cost = usage.cached ? 0 : costUsd(model, usage.inputTokens, usage.outputTokens);
    const settled: CallCost = { model, inputTokens: usage.inputTokens, outputTokens: usage.outputTokens, costUsd: cost, cached: usage.cached, estimateUsd: reservation.estimate.usd };
    reservation.settled = settled;
    recordSpend({ ...reservation.scope, model, inputTokens: usage.inputTokens, outputTokens: usage.outputTokens, costUsd: cost, cached: usage.cached, approved: reservation.approved, estimateUsd: reservation.estimate.usd });
    const config = this.config();
    if (config && !reservation.approved) {
      const limits = limitsFor(config, reservation.scope.tenantId);
      for (const kind of SCOPES) {
        const budget = limits[kind];
        const before = reservation.spentBefore[kind];
        if (budget === undefined || before === undefined) continue;
        if (before + (cost ?? 0) > Math.max(budget, before) + (reservation.estimate.usd ?? 0) + EPSILON) this.stats.overruns += 1;
      }
    }
    return settled;
  }

  /** Frees a reservation whose call failed (nothing was spent). */
  release(reservation: Reservation): void {
    reservation.released = true;
    this.reservations.delete(reservation.id);
  }

  resetStats(): void {
    this.stats = emptyStats();
  }

  private spent(kind: BudgetScope, scope: CallScope, config: BudgetConfig): number {
    const id = idOf(kind, scope);
    const window = kind === "tenant" ? tenantWindowKey(config.tenantPeriod) : "";
    let reserved = 0;
    for (const r of this.reservations.values()) if (idOf(kind, r.scope) === id) reserved += r.estimate.usd ?? 0;
    return spentUsd(kind, id, window) + reserved;
  }
}

function idOf(kind: BudgetScope, scope: CallScope): string {
  return kind === "request" ? scope.requestId : kind === "thread" ? scope.threadId : scope.tenantId;
}

/** The configured name when it has a price, else the name the provider reported (e.g. dated) when that has one. */
function pricedName(reported: string | undefined, configured: string): string {
  if (priceOf(configured) || !reported) return configured;
  return priceOf(reported) ? reported : configured;
}

function emptyStats(): GovernorStats {
  return { admitted: 0, compressed: 0, downgraded: 0, approvalsRequested: 0, approved: 0, stopped: 0, overruns: 0 };
}

let shared: CostGovernor | undefined;

/** The process's governor (budgets from `KEEL_BUDGETS`, spend in `<KEEL_DATA_DIR>/spend.sqlite`). */
export function costGovernor(): CostGovernor {
  shared ??= new CostGovernor();
  return shared;
}
