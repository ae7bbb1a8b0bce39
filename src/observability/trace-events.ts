/**
 * Keel events inside a run (a tool selection, a guardrail decision), sent as LangChain custom events so every
 * callback handler of the run sees them under the run they happened in: the local trace log writes them, the
 * LangSmith tracer puts them into the run's metadata, the metrics handler counts them.
 *
 * Outside a run (no parent run in the async context) there is nothing to attach them to, and emitting is a
 * no-op: recording must never fail the work it records.
 *
 * @example
 * emitTraceEvent("keel.guardrail", { kind: "capability_refused", agent: "finance", tool: "issue_refund", reason: "not granted", blocked: true });
 */
import { ensureConfig, type RunnableConfig } from "@langchain/core/runnables";
import type { BaseCallbackHandler } from "@langchain/core/callbacks/base";
import { consumeCallback } from "@langchain/core/callbacks/promises";

export type KeelTraceEventName = "keel.tool_selection" | "keel.guardrail";

export interface ToolSelectionEvent {
  agent?: string;
  bound: string[];
  scores: Record<string, number>;
  noTool?: boolean;
  fallback?: string;
}

export interface GuardrailDecisionEvent {
  kind: string;
  agent: string;
  tool: string;
  reason: string;
  tenant?: string;
  blocked: boolean;
}

interface ManagerLike {
  handlers: BaseCallbackHandler[];
  tags?: string[];
  metadata?: Record<string, unknown>;
  getParentRunId(): string | undefined;
}

/**
 * Hand-written rather than `dispatchCustomEvent`: that one resolves the callback manager asynchronously, so an
 * event from synchronous code (a guardrail records its decision and the node returns) could reach the handlers
 * after its run ended, and the LangSmith tracer could no longer put it into the run's metadata. This hands the
 * event to the current run's handlers before returning, in the same order as their other callbacks (inline for
 * handlers that await, through langchain's callback queue for background ones such as the tracer).
 */
export function emitTraceEvent(name: "keel.tool_selection", data: ToolSelectionEvent, config?: RunnableConfig): void;
export function emitTraceEvent(name: "keel.guardrail", data: GuardrailDecisionEvent, config?: RunnableConfig): void;
export function emitTraceEvent(name: KeelTraceEventName, data: unknown, config?: RunnableConfig): void {
  try {
    const manager = ensureConfig(config).callbacks as unknown as ManagerLike | undefined;
    if (!manager || Array.isArray(manager) || typeof manager.getParentRunId !== "function") return;
    const runId = manager.getParentRunId();
    if (!runId) return;
    for (const handler of manager.handlers) {
      if (handler.ignoreCustomEvent || !handler.handleCustomEvent) continue;
      // A failing handler must not fail the work being recorded.
      void consumeCallback(async () => {
        try {
          await handler.handleCustomEvent?.(name, data, runId, manager.tags, manager.metadata);
        } catch {
          // ignored
        }
      }, handler.awaitHandlers).catch(() => undefined);
    }
  } catch {
    // no run to attach the event to
  }
}
