/**
 * Failure handling of one tool call: timeout per attempt, retries of transient failures with backoff, the tool's
 * circuit breaker, and fault injection (KEEL_FAULTS). Used by `defineTool`, so every Keel tool has it.
 *
 * Hand-written around cockatiel rather than langchain's `toolRetryMiddleware`: Keel tools never throw through
 * the graph (failures come back as structured data), so a middleware would never see an exception to retry, and
 * tools called outside an agent (workflows, MCP) would go without.
 *
 * A write, destructive or egress call is retried only with an idempotency key: its ledger entry makes a retry
 * after "acted, but the answer was lost" return the recorded result instead of acting twice.
 */
import { resilientCall } from "./policy.js";
import { drawToolFault, emitToolEvent, injectedFault } from "./faults.js";
import { reliabilitySettings } from "./settings.js";
import { count } from "./stats.js";

export interface ToolCallFacts {
  name: string;
  sideEffect: string;
  idempotent: boolean;
  idempotencyKey?: string;
}

export async function runToolResiliently<T>(tool: ToolCallFacts, work: () => Promise<T> | T): Promise<T> {
  const settings = reliabilitySettings();
  const retryable = tool.sideEffect === "read" || tool.idempotent || Boolean(tool.idempotencyKey);
  return resilientCall({ key: `tool:${tool.name}`, kind: "tool", timeoutMs: settings.toolTimeoutMs, retryable, waitOnOpenBreaker: true, settings }, async (signal) => {
    const fault = drawToolFault();
    if (fault) count("injectedToolFaults");
    if (fault === "tool_error") throw injectedFault(fault, tool.name);
    if (fault === "tool_timeout") {
      await hangUntilAborted(signal, settings.toolTimeoutMs * 4);
      throw injectedFault(fault, tool.name);
    }
    const result = await work();
    emitToolEvent({ kind: "tool_done", tool: tool.name, sideEffect: tool.sideEffect });
    if (fault === "tool_lost_reply") throw injectedFault(fault, tool.name);
    return result;
  });
}

/** Waits until the attempt's timeout aborts it (or `limitMs`), so an injected hang never acts afterwards. */
function hangUntilAborted(signal: AbortSignal, limitMs: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, limitMs);
    timer.unref();
    signal.addEventListener("abort", () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}
