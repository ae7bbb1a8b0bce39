/**
 * LangSmith: a client that masks personal data and gives up fast, and a tracer that adds Keel's metadata.
 *
 * - `keelLangSmithClient`: langsmith's `Client` with `hideInputs` / `hideOutputs` / `hideMetadata` masking every
 *   string (tool runs carry the real values the PII vault restored for them), short timeouts and no retries,
 *   and a fetch that, on the first network failure, warns once, stops sending (each later call fails at once,
 *   without the network) and turns LangSmith tracing off for new runs: the local JSONL log has every run.
 *   Without this, an unreachable endpoint keeps the process alive ~80 s in retries.
 * - `KeelLangSmithTracer`: langchain's `LangChainTracer` (readable run names come from the runs themselves)
 *   that also writes, per model run: `keel_model`, `keel_cost_usd`, `keel_cache_hit`, `keel_tools_selected`,
 *   `keel_tool_scores`; per run with guardrail decisions: `keel_guardrail_decisions`; and per root run the
 *   turn's totals `keel_tokens_input`, `keel_tokens_output`, `keel_cost_usd`, `keel_model_calls`.
 */
import { Client } from "langsmith";
import { LangChainTracer, type LangChainTracerFields } from "@langchain/core/tracers/tracer_langchain";
import type { Run } from "@langchain/core/tracers/base";
import { costUsd } from "../cost/prices.js";
import { maskValue } from "./mask.js";
import { metrics } from "./metrics.js";
import type { TracingSettings } from "./tracing-settings.js";
import type { ToolSelectionTrace } from "./trace-log.js";

/** Whether LangSmith was found unreachable in this process (then nothing more is sent). */
let unreachable = false;
let warned = false;

export function langSmithUnreachable(): boolean {
  return unreachable;
}

/** Marks LangSmith unreachable: one warning for the process, tracing off for new runs, local log only. */
export function markLangSmithUnreachable(endpoint: string, cause: string, traceDir: string): void {
  metrics.traceUploadFailures.inc();
  unreachable = true;
  // New runs must not get langchain's env-configured tracer either (the LangGraph server adds one per run).
  process.env.LANGSMITH_TRACING = "false";
  process.env.LANGCHAIN_TRACING_V2 = "false";
  if (warned) return;
  warned = true;
  process.emitWarning(`LangSmith at ${endpoint} is unreachable (${cause}): tracing and feedback go to the local trace log only (${traceDir}).`, { code: "KEEL_LANGSMITH_UNREACHABLE" });
}

/** Only for tests: forget an earlier failure. */
export function resetLangSmithState(): void {
  unreachable = false;
  warned = false;
}

/** Errors that mean nothing answers there (as opposed to one dropped connection, which the client retries once). */
const UNREACHABLE_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "UND_ERR_CONNECT_TIMEOUT"]);

function failureCause(error: unknown): string {
  const e = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  return e.cause?.code ?? (e.name === "TimeoutError" ? "timeout" : (e.cause?.message ?? e.message ?? String(error)));
}

export function keelLangSmithClient(settings: TracingSettings): Client {
  let consecutiveFailures = 0;
  const guardedFetch: typeof fetch = async (input, init) => {
    if (unreachable) throw new Error("LangSmith is unreachable; the run is in the local trace log.");
    try {
      const response = await fetch(input, { ...init, signal: init?.signal ?? AbortSignal.timeout(settings.timeoutMs) });
      consecutiveFailures = 0;
      if (response.status >= 500) metrics.traceUploadFailures.inc();
      return response;
    } catch (error) {
      consecutiveFailures += 1;
      const cause = failureCause(error);
      // A dropped kept-alive connection (ECONNRESET, "other side closed") or a slow upload is retried by the
      // client (twice); nothing listening, no such host, or a third failure in a row means unreachable.
      if (UNREACHABLE_CODES.has(cause) || consecutiveFailures >= 3) markLangSmithUnreachable(settings.endpoint, cause, settings.traceDir);
      else metrics.traceUploadFailures.inc();
      throw error;
    }
  };
  return new Client({
    apiUrl: settings.endpoint,
    ...(settings.apiKey ? { apiKey: settings.apiKey } : {}),
    timeout_ms: settings.timeoutMs,
    callerOptions: { maxRetries: 2 },
    fetchImplementation: guardedFetch,
    hideInputs: (inputs) => maskValue(inputs),
    hideOutputs: (outputs) => maskValue(outputs),
    hideMetadata: (metadata) => maskValue(metadata),
  });
}

/** GET /info with a short timeout: is the endpoint there at all? */
export async function probeLangSmith(settings: TracingSettings): Promise<{ ok: true } | { ok: false; cause: string }> {
  try {
    const response = await fetch(`${settings.endpoint}/info`, { signal: AbortSignal.timeout(Math.min(settings.timeoutMs, 3_000)), headers: settings.apiKey ? { "x-api-key": settings.apiKey } : {} });
    // Any HTTP answer means the server is there (auth problems show up as LangSmith's own errors).
    return response.status < 500 ? { ok: true } : { ok: false, cause: `HTTP ${response.status}` };
  } catch (error) {
    return { ok: false, cause: failureCause(error) };
  }
}

interface Totals {
  input: number;
  output: number;
  cost: number;
  calls: number;
}

function metadataOf(run: Run): Record<string, unknown> {
  run.extra ??= {};
  const extra = run.extra as { metadata?: Record<string, unknown> };
  extra.metadata ??= {};
  return extra.metadata;
}

/** Shared between a tracer and the copies LangGraph makes of it (copyWithTracingConfig). */
class TracerState {
  readonly totals = new Map<string, Totals>();
  /** Tool selections announced in a node, for the node's model run. */
  readonly selections = new Map<string, ToolSelectionTrace>();
}

export class KeelLangSmithTracer extends LangChainTracer {
  constructor(
    fields: LangChainTracerFields,
    private readonly state: TracerState = new TracerState(),
  ) {
    super(fields);
  }

  override onLLMEnd(run: Run): void {
    super.onLLMEnd(run);
    const metadata = metadataOf(run);
    const generations = (run.outputs as { generations?: { message?: { response_metadata?: Record<string, unknown>; usage_metadata?: { input_tokens: number; output_tokens: number } } }[][] } | undefined)?.generations;
    const message = generations?.flat().find((g) => g.message)?.message;
    const model = (message?.response_metadata?.model_name as string | undefined) ?? (metadata.ls_model_name as string | undefined) ?? "unknown";
    const usage = message?.usage_metadata;
    const cached = (run.extra as { cached?: boolean }).cached === true;
    metadata.keel_model = model;
    if (cached) metadata.keel_cache_hit = true;
    const parentId = run.parent_run_id;
    const announced = parentId ? this.state.selections.get(parentId) : undefined;
    if (announced) this.state.selections.delete(parentId!);
    const selection = announced ?? (message?.response_metadata?.keel_tool_selection as ToolSelectionTrace | undefined);
    if (selection) {
      metadata.keel_tools_selected = selection.bound;
      metadata.keel_tool_scores = selection.scores;
    }
    if (!usage) return;
    const cost = cached ? 0 : costUsd(model, usage.input_tokens, usage.output_tokens);
    if (cost !== undefined) metadata.keel_cost_usd = cost;
    const traceId = (run as { trace_id?: string }).trace_id;
    if (!traceId) return;
    const totals = this.state.totals.get(traceId) ?? { input: 0, output: 0, cost: 0, calls: 0 };
    totals.input += usage.input_tokens;
    totals.output += usage.output_tokens;
    totals.cost += cost ?? 0;
    totals.calls += 1;
    this.state.totals.set(traceId, totals);
  }

  private addRootTotals(run: Run): void {
    if (run.parent_run_id) return;
    const totals = this.state.totals.get(run.id);
    this.state.totals.delete(run.id);
    const metadata = metadataOf(run);
    metadata.keel_model_calls = totals?.calls ?? 0;
    metadata.keel_tokens_input = totals?.input ?? 0;
    metadata.keel_tokens_output = totals?.output ?? 0;
    metadata.keel_cost_usd = totals?.cost ?? 0;
  }

  override onChainEnd(run: Run): void {
    this.addRootTotals(run);
  }

  override onChainError(run: Run): void {
    this.addRootTotals(run);
  }

  /** Guardrail decisions and other Keel events dispatched inside a run go into that run's metadata. */
  override async handleCustomEvent(eventName: string, data: unknown, runId: string): Promise<void> {
    if (!eventName.startsWith("keel.")) return;
    if (eventName === "keel.tool_selection" && data && typeof data === "object") {
      if (this.state.selections.size > 1_000) this.state.selections.clear();
      this.state.selections.set(runId, data as ToolSelectionTrace);
    }
    const run = this.getRunById(runId);
    if (!run) return;
    const metadata = metadataOf(run);
    const key = eventName === "keel.guardrail" ? "keel_guardrail_decisions" : `keel_${eventName.slice(5).replace(/\W/g, "_")}`;
    metadata[key] = [...((metadata[key] as unknown[] | undefined) ?? []), data];
  }

  override copyWithTracingConfig(config: { metadata?: Record<string, unknown>; tags?: string[] }): LangChainTracer {
    const plain = super.copyWithTracingConfig(config);
    const copied = new KeelLangSmithTracer({ ...this.fields, metadata: plain.tracingMetadata, tags: plain.tracingTags }, this.state);
    copied.runMap = this.runMap;
    copied.runTreeMap = this.runTreeMap;
    return copied;
  }
}
