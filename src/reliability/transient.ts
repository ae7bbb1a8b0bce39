/**
 * Which failures are worth another attempt (rate limits, server errors, timeouts, dropped connections, a busy
 * database, injected faults, a malformed tool call) and how long the server asked us to wait (`Retry-After`).
 * Everything else (bad request, auth, a tool's own "not found") fails at once: repeating it cannot help.
 */
import { classifyRateLimitError, parseRetryAfterMs } from "@langchain/core/utils/async_caller";
import { TaskCancelledError } from "cockatiel";

/** HTTP statuses that may succeed on another attempt. */
const TRANSIENT_STATUS = new Set([408, 425, 429, 500, 502, 503, 504, 529]);
const TRANSIENT_CODES = new Set(["ECONNRESET", "ECONNREFUSED", "ETIMEDOUT", "EPIPE", "EAI_AGAIN", "UND_ERR_SOCKET", "SQLITE_BUSY", "SQLITE_LOCKED", "SQLITE_BUSY_SNAPSHOT"]);
const TRANSIENT_NAMES = new Set(["TimeoutError", "APIConnectionError", "APIConnectionTimeoutError", "TaskCancelledError", "InjectedFault", "MalformedToolCallError"]);

/** The model answered with tool-call arguments that are not valid JSON; asking again usually fixes it. */
export class MalformedToolCallError extends Error {
  override name = "MalformedToolCallError";
}

/** A failure injected on purpose (KEEL_FAULTS or a test), always transient. */
export class InjectedFault extends Error {
  override name = "InjectedFault";
  constructor(readonly kind: string, message: string) {
    super(message);
  }
}

export function statusOf(error: unknown): number | undefined {
  const e = error as { status?: unknown; statusCode?: unknown; response?: { status?: unknown } } | null;
  const status = e?.status ?? e?.statusCode ?? e?.response?.status;
  return typeof status === "number" ? status : undefined;
}

/** @example isTransientError(Object.assign(new Error("rate limited"), { status: 429 })) === true */
export function isTransientError(error: unknown): boolean {
  if (!error || typeof error !== "object") return false;
  if (error instanceof TaskCancelledError) return true;
  const status = statusOf(error);
  if (status !== undefined) {
    // A 429 that says the quota is spent is not going to clear by waiting.
    if (status === 429) return classifyRateLimitError(error)?.action !== "stop";
    return TRANSIENT_STATUS.has(status);
  }
  const { name, code, cause } = error as { name?: string; code?: unknown; cause?: unknown };
  if (name && TRANSIENT_NAMES.has(name)) return true;
  if (typeof code === "string" && TRANSIENT_CODES.has(code)) return true;
  return cause !== undefined && cause !== error && isTransientError(cause);
}

/** The wait the server asked for (`Retry-After` header, or `retryAfterMs` set by LangChain), in ms. */
export function retryAfterMs(error: unknown): number | undefined {
  const e = error as { retryAfterMs?: unknown; headers?: unknown; response?: { headers?: unknown } } | null;
  if (!e || typeof e !== "object") return undefined;
  if (typeof e.retryAfterMs === "number" && e.retryAfterMs >= 0) return e.retryAfterMs;
  const header = headerOf(e.headers) ?? headerOf(e.response?.headers);
  return parseRetryAfterMs(header);
}

function headerOf(headers: unknown): string | undefined {
  if (!headers || typeof headers !== "object") return undefined;
  if (typeof (headers as Headers).get === "function") return (headers as Headers).get("retry-after") ?? undefined;
  const record = headers as Record<string, unknown>;
  const value = record["retry-after"] ?? record["Retry-After"];
  return typeof value === "string" ? value : undefined;
}
