/**
 * Writes the local JSONL trace log (format in trace-log.ts) from LangChain callbacks: every chain (graph, node,
 * agent), model call (prompt as sent, response, tokens, cost, cache hit, tool selection) and tool call (input,
 * output), nested by `parentRunId`, plus custom events (guardrail decisions) dispatched inside a run.
 * A `BaseCallbackHandler` because the same callbacks feed LangSmith's tracer: both see the same runs.
 */
import { BaseCallbackHandler } from "@langchain/core/callbacks/base";
import type { Serialized } from "@langchain/core/load/serializable";
import type { LLMResult } from "@langchain/core/outputs";
import { isBaseMessage, type BaseMessage } from "@langchain/core/messages";
import type { ChainValues } from "@langchain/core/utils/types";
import { costUsd } from "../cost/prices.js";
import { maskValue } from "./mask.js";
import { isInterrupt, llmResultInfo, requestedModel, traceMessage } from "./run-info.js";
import { TRACE_LOG_VERSION, TraceLogWriter, UNTHREADED, type ToolSelectionTrace, type TraceRecord, type TraceRunKind } from "./trace-log.js";

interface OpenRun {
  threadId: string;
  at: number;
  model?: string;
  toolSelection?: ToolSelectionTrace;
}

/** Metadata keys worth keeping in the log (the rest is LangGraph bookkeeping or duplicated elsewhere). */
const METADATA_KEYS = ["thread_id", "tenant_id", "user_id", "agent_path", "lc_agent_name", "langgraph_node", "langgraph_step", "langgraph_checkpoint_ns", "ls_model_name", "ls_provider", "keel_route", "keel_tools_selected", "keel_tool_scores"];

function pickMetadata(metadata: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (!metadata) return undefined;
  const kept = Object.fromEntries(METADATA_KEYS.filter((k) => metadata[k] !== undefined).map((k) => [k, metadata[k]]));
  return Object.keys(kept).length ? kept : undefined;
}

/** A JSON-safe copy of a run's inputs or outputs, with messages shortened to TraceMessage. */
export function toTraceValue(value: unknown, depth = 0): unknown {
  if (value === null || value === undefined) return value;
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") return value;
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "function" || typeof value === "symbol") return undefined;
  if (depth > 8) return "[…]";
  if (isBaseMessage(value)) return traceMessage(value);
  if (Array.isArray(value)) return value.map((v) => toTraceValue(v, depth + 1));
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Error) return { error: value.message };
  const lc = value as { lc_serializable?: boolean; lg_name?: string; resume?: unknown; goto?: unknown; update?: unknown };
  if (lc.lg_name === "Command") return { command: toTraceValue({ resume: lc.resume, goto: lc.goto, update: lc.update }, depth + 1) };
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    const safe = toTraceValue(v, depth + 1);
    if (safe !== undefined) out[k] = safe;
  }
  return out;
}

function asRecord(value: unknown): Record<string, unknown> {
  return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : { value };
}

export class TraceLogHandler extends BaseCallbackHandler {
  name = "keel_trace_log";
  // Inline: records are written in the order runs happen, and nothing is left to flush at exit.
  override awaitHandlers = true;
  private readonly open = new Map<string, OpenRun>();
  /** Tool selections announced in a node (keel.tool_selection), waiting for the node's model call. */
  private readonly selections = new Map<string, ToolSelectionTrace>();

  constructor(private readonly writer: TraceLogWriter = new TraceLogWriter()) {
    super();
  }

  private threadFor(metadata: Record<string, unknown> | undefined, parentRunId: string | undefined): string {
    const fromMeta = metadata?.thread_id;
    if (typeof fromMeta === "string" && fromMeta) return fromMeta;
    return (parentRunId && this.open.get(parentRunId)?.threadId) || UNTHREADED;
  }

  private emit(record: Omit<TraceRecord, "v" | "ts">): void {
    this.writer.write({ v: TRACE_LOG_VERSION, ts: new Date().toISOString(), ...record } as TraceRecord);
  }

  private begin(kind: TraceRunKind, runId: string, parentRunId: string | undefined, name: string, inputs: Record<string, unknown>, tags: string[] | undefined, metadata: Record<string, unknown> | undefined, model?: string): void {
    const threadId = this.threadFor(metadata, parentRunId);
    this.open.set(runId, { threadId, at: Date.now(), ...(model ? { model } : {}) });
    const kept = pickMetadata(metadata);
    this.emit({
      type: "start",
      threadId,
      runId,
      ...(parentRunId ? { parentRunId } : {}),
      kind,
      name,
      ...(tags?.length ? { tags } : {}),
      ...(kept ? { metadata: maskValue(kept) } : {}),
      inputs: maskValue(inputs),
    } as Omit<TraceRecord, "v" | "ts">);
  }

  private close(runId: string): (OpenRun & { durationMs: number }) | undefined {
    const run = this.open.get(runId);
    if (!run) return undefined;
    this.open.delete(runId);
    return { ...run, durationMs: Date.now() - run.at };
  }

  private fail(runId: string, error: unknown): void {
    const run = this.close(runId);
    if (!run) return;
    const interrupted = isInterrupt(error);
    const message = interrupted ? "interrupted (waiting for a human)" : String((error as Error)?.message ?? error);
    this.emit({ type: "error", threadId: run.threadId, runId, error: maskValue(message), durationMs: run.durationMs, ...(interrupted ? { interrupted: true } : {}) } as Omit<TraceRecord, "v" | "ts">);
  }

  // The declared parameter order of handleChainStart differs from the order CallbackManager calls it with
  // (chain, inputs, runId, parentRunId, tags, metadata, runType, runName), which BaseTracer also uses.
  override handleChainStart(chain: Serialized, inputs: ChainValues, runId: string, parentRunIdArg?: string, tagsArg?: string[], metadataArg?: Record<string, unknown>, _runType?: string, runNameArg?: string): void {
    const parentRunId = parentRunIdArg as string | undefined;
    const tags = tagsArg as unknown as string[] | undefined;
    const metadata = metadataArg as unknown as Record<string, unknown> | undefined;
    const runName = runNameArg as string | undefined;
    const name = runName ?? chain?.id?.[chain.id.length - 1] ?? "chain";
    this.begin("chain", runId, parentRunId, name, asRecord(toTraceValue(inputs)), tags, metadata);
  }

  override handleChainEnd(outputs: ChainValues, runId: string): void {
    const run = this.close(runId);
    if (!run) return;
    this.emit({ type: "end", threadId: run.threadId, runId, outputs: maskValue(asRecord(toTraceValue(outputs))), durationMs: run.durationMs } as Omit<TraceRecord, "v" | "ts">);
  }

  override handleChainError(err: Error, runId: string): void {
    this.fail(runId, err);
  }

  override handleChatModelStart(llm: Serialized, messages: BaseMessage[][], runId: string, parentRunId?: string, extraParams?: Record<string, unknown>, tags?: string[], metadata?: Record<string, unknown>, runName?: string): void {
    const tools = (extraParams?.invocation_params as { tools?: { name?: string; function?: { name?: string } }[] } | undefined)?.tools;
    const toolNames = tools?.map((t) => t.function?.name ?? t.name).filter((n): n is string => typeof n === "string");
    const inputs = { messages: (messages[0] ?? []).map(traceMessage), ...(toolNames?.length ? { tools: toolNames } : {}) };
    const name = runName ?? llm?.id?.[llm.id.length - 1] ?? "model";
    this.begin("llm", runId, parentRunId, name, inputs, tags, metadata, requestedModel(extraParams, llm?.id, metadata));
    const selection = parentRunId ? this.selections.get(parentRunId) : undefined;
    const open = this.open.get(runId);
    if (selection && open) {
      open.toolSelection = selection;
      this.selections.delete(parentRunId!);
    }
  }

  override handleLLMStart(llm: Serialized, prompts: string[], runId: string, parentRunId?: string, extraParams?: Record<string, unknown>, tags?: string[], metadata?: Record<string, unknown>, runName?: string): void {
    this.begin("llm", runId, parentRunId, runName ?? llm?.id?.[llm.id.length - 1] ?? "llm", { prompts }, tags, metadata, requestedModel(extraParams, llm?.id, metadata));
  }

  override handleLLMEnd(output: LLMResult, runId: string, _parentRunId?: string, _tags?: string[], extraParams?: Record<string, unknown>): void {
    const run = this.close(runId);
    if (!run) return;
    const info = llmResultInfo(output, run.model ?? "unknown");
    const cost = info.tokens ? costUsd(info.model, info.tokens.input, info.tokens.output) : undefined;
    const outputs = info.message ? { message: traceMessage(info.message) } : { generations: toTraceValue(output.generations) };
    this.emit({
      type: "end",
      threadId: run.threadId,
      runId,
      outputs: maskValue(outputs),
      durationMs: run.durationMs,
      model: info.model,
      ...(info.tokens ? { tokens: info.tokens } : {}),
      ...(cost !== undefined ? { costUsd: extraParams?.cached === true ? 0 : cost } : {}),
      ...(extraParams?.cached === true ? { cached: true } : {}),
      ...((run.toolSelection ?? info.toolSelection) ? { toolSelection: run.toolSelection ?? info.toolSelection } : {}),
    } as Omit<TraceRecord, "v" | "ts">);
  }

  override handleLLMError(err: Error, runId: string): void {
    this.fail(runId, err);
  }

  override handleToolStart(tool: Serialized, input: string, runId: string, parentRunId?: string, tags?: string[], metadata?: Record<string, unknown>, runName?: string): void {
    let parsed: unknown = input;
    try {
      parsed = JSON.parse(input);
    } catch {
      // plain text input
    }
    this.begin("tool", runId, parentRunId, runName ?? tool?.id?.[tool.id.length - 1] ?? "tool", { input: parsed }, tags, metadata);
  }

  override handleToolEnd(output: unknown, runId: string): void {
    const run = this.close(runId);
    if (!run) return;
    const content = (output as { content?: unknown } | undefined)?.content ?? output;
    this.emit({ type: "end", threadId: run.threadId, runId, outputs: maskValue({ output: toTraceValue(content) }), durationMs: run.durationMs } as Omit<TraceRecord, "v" | "ts">);
  }

  override handleToolError(err: Error, runId: string): void {
    this.fail(runId, err);
  }

  override handleRetrieverStart(retriever: Serialized, query: string, runId: string, parentRunId?: string, tags?: string[], metadata?: Record<string, unknown>, name?: string): void {
    this.begin("retriever", runId, parentRunId, name ?? retriever?.id?.[retriever.id.length - 1] ?? "retriever", { query }, tags, metadata);
  }

  override handleRetrieverEnd(documents: unknown[], runId: string): void {
    const run = this.close(runId);
    if (run) this.emit({ type: "end", threadId: run.threadId, runId, outputs: maskValue({ documents: toTraceValue(documents) }), durationMs: run.durationMs } as Omit<TraceRecord, "v" | "ts">);
  }

  override handleRetrieverError(err: Error, runId: string): void {
    this.fail(runId, err);
  }

  override handleCustomEvent(eventName: string, data: unknown, runId: string, _tags?: string[], metadata?: Record<string, unknown>): void {
    const threadId = this.open.get(runId)?.threadId ?? this.threadFor(metadata, undefined);
    if (eventName === "keel.tool_selection" && data && typeof data === "object") {
      const { bound, scores, fallback } = data as ToolSelectionTrace;
      if (this.selections.size > 1_000) this.selections.clear();
      this.selections.set(runId, { bound, scores, ...(fallback ? { fallback } : {}) });
    }
    this.emit({ type: "event", threadId, runId, name: eventName, data: maskValue(toTraceValue(data)) } as Omit<TraceRecord, "v" | "ts">);
  }

  /** An event from outside any callback (e.g. feedback recorded after a run). */
  recordEvent(threadId: string, name: string, data: unknown, runId?: string): void {
    this.emit({ type: "event", threadId, ...(runId ? { runId } : {}), name, data: maskValue(toTraceValue(data)) } as Omit<TraceRecord, "v" | "ts">);
  }
}
