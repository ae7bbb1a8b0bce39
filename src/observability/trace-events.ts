/**
 * Keel events inside a run (a tool selection, a guardrail decision), sent as LangChain custom events so every
 * callback handler of the run sees them under the run they happened in: the local trace log writes them, the
 * LangSmith tracer puts them into the run's metadata, the metrics handler counts them.
 *
 * Outside a run (no parent run in the async context) there is nothing to attach them to, and emitting is a
 * no-op: recording must never fail the work it records.
 *
 * @example
 * await emitTraceEvent("keel.guardrail", { kind: "capability_refused", agent: "finance", tool: "issue_refund" });
 */
import { dispatchCustomEvent } from "@langchain/core/callbacks/dispatch";
import type { RunnableConfig } from "@langchain/core/runnables";

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

export async function emitTraceEvent(name: "keel.tool_selection", data: ToolSelectionEvent, config?: RunnableConfig): Promise<void>;
export async function emitTraceEvent(name: "keel.guardrail", data: GuardrailDecisionEvent, config?: RunnableConfig): Promise<void>;
export async function emitTraceEvent(name: KeelTraceEventName, data: unknown, config?: RunnableConfig): Promise<void> {
  try {
    await dispatchCustomEvent(name, data, config);
  } catch {
    // no run to attach the event to
  }
}
