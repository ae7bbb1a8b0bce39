/**
 * Counts model calls, tokens, cost, node and model latency, and tool outcomes from LangChain callbacks into the
 * Prometheus registry (metrics.ts). Stateless apart from start times, so one instance serves every run.
 */
import { BaseCallbackHandler } from "@langchain/core/callbacks/base";
import type { Serialized } from "@langchain/core/load/serializable";
import type { LLMResult } from "@langchain/core/outputs";
import type { BaseMessage } from "@langchain/core/messages";
import type { ChainValues } from "@langchain/core/utils/types";
import { costUsd } from "../cost/prices.js";
import { parseToolResult } from "../toolkit/tool-result.js";
import { metrics, recordRetrieval, tenantLabel } from "./metrics.js";
import { agentOf, isInterrupt, isTimeout, llmResultInfo, requestedModel } from "./run-info.js";

interface Started {
  at: number;
  kind: "llm" | "tool" | "node";
  agent: string;
  tenant: string;
  name: string;
  model?: string;
}

/** Runs older than this are dropped from the start-time table (a run whose end never came). */
const STALE_MS = 60 * 60 * 1000;

export class MetricsCallbackHandler extends BaseCallbackHandler {
  name = "keel_metrics";
  // Metrics must not slow a run: the handler's work is synchronous counters, run inline.
  override awaitHandlers = true;
  private readonly started = new Map<string, Started>();

  private start(runId: string, entry: Omit<Started, "at">): void {
    if (this.started.size > 10_000) {
      const cutoff = Date.now() - STALE_MS;
      for (const [id, s] of this.started) if (s.at < cutoff) this.started.delete(id);
    }
    this.started.set(runId, { ...entry, at: Date.now() });
  }

  private finish(runId: string): (Started & { seconds: number }) | undefined {
    const entry = this.started.get(runId);
    if (!entry) return undefined;
    this.started.delete(runId);
    return { ...entry, seconds: (Date.now() - entry.at) / 1000 };
  }

  override handleChatModelStart(llm: Serialized, _messages: BaseMessage[][], runId: string, _parentRunId?: string, extraParams?: Record<string, unknown>, _tags?: string[], metadata?: Record<string, unknown>): void {
    this.start(runId, { kind: "llm", agent: agentOf(metadata), tenant: tenantLabel(metadata), name: "model", model: requestedModel(extraParams, llm.id, metadata) });
  }

  override handleLLMStart(llm: Serialized, _prompts: string[], runId: string, _parentRunId?: string, extraParams?: Record<string, unknown>, _tags?: string[], metadata?: Record<string, unknown>): void {
    this.start(runId, { kind: "llm", agent: agentOf(metadata), tenant: tenantLabel(metadata), name: "model", model: requestedModel(extraParams, llm.id, metadata) });
  }

  override handleLLMEnd(output: LLMResult, runId: string, _parentRunId?: string, _tags?: string[], extraParams?: Record<string, unknown>): void {
    const run = this.finish(runId);
    if (!run) return;
    const info = llmResultInfo(output, run.model ?? "unknown");
    const labels = { tenant: run.tenant, agent: run.agent, model: info.model };
    metrics.modelCalls.inc(labels);
    metrics.modelLatency.observe({ agent: run.agent, model: info.model }, run.seconds);
    // Cache hit/miss counts come from the caches themselves (recordCacheLookup): here a miss is not visible.
    if (info.tokens) {
      metrics.tokens.inc({ ...labels, direction: "input" }, info.tokens.input);
      metrics.tokens.inc({ ...labels, direction: "output" }, info.tokens.output);
      const cost = costUsd(info.model, info.tokens.input, info.tokens.output);
      if (cost !== undefined && extraParams?.cached !== true) metrics.costUsd.inc(labels, cost);
    }
  }

  /** Tool retrievals, announced by the tool-selection middleware as `keel.tool_selection` events. */
  override handleCustomEvent(eventName: string, data: unknown, _runId: string, _tags?: string[], metadata?: Record<string, unknown>): void {
    if (eventName !== "keel.tool_selection" || !data || typeof data !== "object") return;
    const selection = data as { bound: string[]; scores: Record<string, number>; noTool?: boolean; fallback?: string };
    const scores = Object.values(selection.scores ?? {});
    recordRetrieval(agentOf(metadata), {
      bound: selection.bound?.length ?? 0,
      ...(scores.length ? { topScore: Math.max(...scores) } : {}),
      ...(selection.noTool ? { noTool: true } : {}),
      ...(selection.fallback ? { fallback: selection.fallback } : {}),
    });
  }

  override handleLLMError(_err: Error, runId: string): void {
    const run = this.finish(runId);
    if (run) metrics.modelLatency.observe({ agent: run.agent, model: run.model ?? "unknown" }, run.seconds);
  }

  // Called as (chain, inputs, runId, parentRunId, tags, metadata, runType, runName), whatever the declaration says.
  override handleChainStart(_chain: Serialized, _inputs: ChainValues, runId: string, _parentRunId?: string, _tags?: string[], metadataArg?: Record<string, unknown>, _runType?: string, runNameArg?: string): void {
    const metadata = metadataArg as unknown as Record<string, unknown> | undefined;
    const runName = runNameArg as string | undefined;
    // Only the run of a graph node itself (its name is the node's name), not the runnables inside it.
    const node = metadata?.langgraph_node;
    if (typeof node !== "string" || runName !== node) return;
    this.start(runId, { kind: "node", agent: agentOf(metadata), tenant: tenantLabel(metadata), name: node });
  }

  override handleChainEnd(_outputs: ChainValues, runId: string): void {
    const run = this.finish(runId);
    if (run) metrics.nodeLatency.observe({ agent: run.agent, node: run.name }, run.seconds);
  }

  override handleChainError(_err: Error, runId: string): void {
    const run = this.finish(runId);
    if (run) metrics.nodeLatency.observe({ agent: run.agent, node: run.name }, run.seconds);
  }

  override handleToolStart(tool: Serialized, _input: string, runId: string, _parentRunId?: string, _tags?: string[], metadata?: Record<string, unknown>, runName?: string): void {
    this.start(runId, { kind: "tool", agent: agentOf(metadata), tenant: tenantLabel(metadata), name: runName ?? tool.id?.[tool.id.length - 1] ?? "tool" });
  }

  override handleToolEnd(output: unknown, runId: string): void {
    const run = this.finish(runId);
    if (!run) return;
    const content = (output as { content?: unknown } | undefined)?.content ?? output;
    const result = parseToolResult(content);
    const status = result.ok ? "ok" : "error";
    metrics.toolCalls.inc({ agent: run.agent, tool: run.name, status });
    if (!result.ok) metrics.toolErrors.inc({ agent: run.agent, tool: run.name, kind: "error" });
  }

  override handleToolError(err: Error, runId: string): void {
    const run = this.finish(runId);
    if (!run || isInterrupt(err)) return;
    const kind = isTimeout(err) ? "timeout" : "error";
    metrics.toolCalls.inc({ agent: run.agent, tool: run.name, status: kind });
    metrics.toolErrors.inc({ agent: run.agent, tool: run.name, kind });
  }
}
