/**
 * The process's observability: the callback handlers every run gets (local JSONL trace log, Prometheus
 * metrics, LangSmith tracer when configured and reachable), events recorded outside callbacks, LangSmith
 * feedback, and a bounded flush at exit.
 *
 * `setupObservability()` (the app and CLI call it at start-up) checks LangSmith once with `GET /info`; when it
 * is unreachable it warns once and the process traces to the local log only. `observability()` returns the
 * configured instance, or builds one without the check (module-level graphs for the LangGraph server): there
 * the first failed upload does the same.
 *
 * @example
 * const obs = await setupObservability();
 * await graph.invoke(input, { callbacks: obs.callbacks(), configurable: { thread_id } });
 * await obs.flush();
 */
import type { Client } from "langsmith";
import type { BaseCallbackHandler } from "@langchain/core/callbacks/base";
import { MetricsCallbackHandler } from "./metrics-handler.js";
import { TraceLogHandler } from "./trace-log-handler.js";
import { TraceLogWriter } from "./trace-log.js";
import { tracingSettings, type TracingSettings } from "./tracing-settings.js";
import { KeelLangSmithTracer, keelLangSmithClient, langSmithUnreachable, markLangSmithUnreachable, probeLangSmith } from "./langsmith.js";

/** How long exit waits, at most, for traces still being uploaded. @example KEEL_TRACE_FLUSH_MS=2000 */
const DEFAULT_FLUSH_MS = 3_000;

export interface FeedbackToSend {
  runId: string;
  key: string;
  score?: number;
  value?: string | number | boolean | Record<string, unknown>;
  comment?: string;
}

export class Observability {
  readonly traceLog: TraceLogHandler | undefined;
  readonly metrics = sharedMetricsHandler();
  readonly client: Client | undefined;
  private readonly tracer: KeelLangSmithTracer | undefined;

  constructor(readonly settings: TracingSettings) {
    this.traceLog = settings.traceLog ? new TraceLogHandler(new TraceLogWriter(settings.traceDir)) : undefined;
    if (settings.langsmith) {
      this.client = keelLangSmithClient(settings);
      this.tracer = new KeelLangSmithTracer({ client: this.client, projectName: settings.project });
    }
  }

  /** Whether runs are being sent to LangSmith now. */
  get langsmithActive(): boolean {
    return this.tracer !== undefined && !langSmithUnreachable();
  }

  /** Handlers for one run (pass as `callbacks`). */
  callbacks(): BaseCallbackHandler[] {
    const handlers: BaseCallbackHandler[] = [this.metrics];
    if (this.traceLog) handlers.push(this.traceLog);
    if (this.tracer && this.langsmithActive) handlers.push(this.tracer);
    return handlers;
  }

  /** An event outside any callback (feedback given after a run) into the local log. */
  recordEvent(threadId: string, name: string, data: unknown, runId?: string): void {
    this.traceLog?.recordEvent(threadId, name, data, runId);
  }

  /** LangSmith feedback on a run, when tracing is on; never throws, never waits longer than the flush limit. */
  async sendFeedback(feedback: FeedbackToSend): Promise<boolean> {
    if (!this.client || !this.langsmithActive) return false;
    const client = this.client;
    try {
      await withTimeout(
        client.createFeedback(feedback.runId, feedback.key, {
          ...(feedback.score !== undefined ? { score: feedback.score } : {}),
          ...(feedback.value !== undefined ? { value: feedback.value } : {}),
          ...(feedback.comment ? { comment: feedback.comment } : {}),
          feedbackSourceType: "app",
        }),
        this.settings.timeoutMs,
      );
      return true;
    } catch (error) {
      markLangSmithUnreachable(this.settings.endpoint, (error as Error).message, this.settings.traceDir);
      return false;
    }
  }

  /** Waits for pending LangSmith uploads, at most `timeoutMs`. */
  async flush(timeoutMs = Number(process.env.KEEL_TRACE_FLUSH_MS ?? DEFAULT_FLUSH_MS)): Promise<void> {
    if (!this.client || langSmithUnreachable()) return;
    await withTimeout(this.client.awaitPendingTraceBatches(), timeoutMs).catch(() => undefined);
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

let metricsHandler: MetricsCallbackHandler | undefined;
function sharedMetricsHandler(): MetricsCallbackHandler {
  return (metricsHandler ??= new MetricsCallbackHandler());
}

let current: Observability | undefined;

/** Reads the configuration, checks LangSmith once (one warning when unreachable), and makes the process's instance. */
export async function setupObservability(env: NodeJS.ProcessEnv = process.env): Promise<Observability> {
  const settings = tracingSettings(env);
  if (settings.langsmith && !langSmithUnreachable()) {
    const probe = await probeLangSmith(settings);
    if (!probe.ok) markLangSmithUnreachable(settings.endpoint, probe.cause, settings.traceDir);
  }
  current = new Observability(settings);
  return current;
}

/** The process's instance (built from the environment without the reachability check when not set up). */
export function observability(): Observability {
  return (current ??= new Observability(tracingSettings()));
}

/** Only for tests: drop the process's instance so the next call reads the environment again. */
export function resetObservability(): void {
  current = undefined;
}
