/**
 * One resilient attempt loop for model and tool calls, composed from cockatiel policies:
 * retry (exponential backoff with jitter, honouring `Retry-After`) -> circuit breaker of the key -> timeout per
 * attempt. Only transient failures are retried (src/reliability/transient.ts); each retry and timeout is counted.
 *
 * @example
 * const reply = await resilientCall({ key: "model:openai#gpt-4o", kind: "model", timeoutMs: 60_000 }, (signal) => model.invoke(messages, { signal }));
 */
import { BrokenCircuitError, handleWhen, retry, TaskCancelledError, timeout, TimeoutStrategy, wrap, type IBackoff, type IRetryBackoffContext } from "cockatiel";
import { breakerFor } from "./breaker.js";
import { isTransientError, retryAfterMs } from "./transient.js";
import { count } from "./stats.js";
import { reliabilitySettings, type ReliabilitySettings } from "./settings.js";

export interface ResilientCallOptions {
  /** Breaker key. @example "tool:issue_credit" */
  key: string;
  kind: "model" | "tool";
  /** Timeout of one attempt. */
  timeoutMs: number;
  /** Whether a failure may be attempted again (e.g. false for a write tool with no idempotency key). */
  retryable?: boolean;
  /**
   * Whether an open breaker is waited out (tools: nothing else can do their work) or fails at once (models:
   * the next model of the fallback chain answers instead).
   */
  waitOnOpenBreaker?: boolean;
  settings?: ReliabilitySettings;
}

/** Backoff before retry `attempt` (1-based): the server's `Retry-After` if it gave one, else 2^n with half jitter. */
export function backoffDelay(attempt: number, error: unknown, settings: ReliabilitySettings, random: () => number = Math.random): number {
  const hinted = retryAfterMs(error);
  if (hinted !== undefined) return hinted;
  const ceiling = Math.min(settings.retryMaxMs, settings.retryBaseMs * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

function backoff(settings: ReliabilitySettings) {
  const at = (context: IRetryBackoffContext<unknown>): IBackoff<IRetryBackoffContext<unknown>> => ({
    duration: backoffDelay(context.attempt, "error" in context.result ? context.result.error : undefined, settings),
    next: at,
  });
  return { next: at };
}

export async function resilientCall<T>(options: ResilientCallOptions, attempt: (signal: AbortSignal) => Promise<T> | T): Promise<T> {
  const settings = options.settings ?? reliabilitySettings();
  const retryable = options.retryable ?? true;
  const shouldRetry = (error: Error) => {
    if (!retryable) return false;
    if (error instanceof BrokenCircuitError) return options.waitOnOpenBreaker ?? false;
    if (!isTransientError(error)) return false;
    // A server asking for a longer pause than we accept: give up now so a fallback can answer.
    return (retryAfterMs(error) ?? 0) <= settings.retryAfterMaxMs;
  };
  const retryPolicy = retry(handleWhen(shouldRetry), { maxAttempts: settings.retryAttempts - 1, backoff: backoff(settings) });
  retryPolicy.onRetry(() => count(options.kind === "model" ? "modelRetries" : "toolRetries"));
  const perAttempt = timeout(options.timeoutMs, TimeoutStrategy.Aggressive);
  perAttempt.onTimeout(() => count("timeouts"));
  const policy = wrap(retryPolicy, breakerFor(options.key, settings), perAttempt);
  return policy.execute(({ signal }) => attempt(signal));
}

/** Whether `error` is the breaker refusing a call, or a timeout of ours. */
export const isOpenBreaker = (error: unknown): error is BrokenCircuitError => error instanceof BrokenCircuitError;
export const isTimeout = (error: unknown): error is TaskCancelledError => error instanceof TaskCancelledError;
