/**
 * Settings of the failure handling: retries, circuit breakers, tool timeouts. Read from the environment; a
 * malformed value throws `ConfigurationError` naming it. Model call timeouts are `KEEL_MODEL_TIMEOUT_MS` (see
 * src/models/provider.ts), the fallback chain is `KEEL_MODEL_FALLBACKS` (src/reliability/model-chain.ts).
 *
 * Environment:
 * - `KEEL_RETRY_ATTEMPTS`: attempts per model or tool call, the first included (default 5). @example KEEL_RETRY_ATTEMPTS=3
 * - `KEEL_RETRY_BASE_MS`: first backoff; doubles per retry, with jitter (default 500). @example KEEL_RETRY_BASE_MS=200
 * - `KEEL_RETRY_MAX_MS`: longest backoff between attempts (default 20000). @example KEEL_RETRY_MAX_MS=5000
 * - `KEEL_RETRY_AFTER_MAX_MS`: longest `Retry-After` honoured; a longer one gives up at once, so the next model
 *   of the fallback chain answers instead (default 60000). @example KEEL_RETRY_AFTER_MAX_MS=10000
 * - `KEEL_BREAKER_FAILURES`: failures within the window that open a breaker (default 5). @example KEEL_BREAKER_FAILURES=10
 * - `KEEL_BREAKER_WINDOW_MS`: the window those failures are counted in (default 30000). @example KEEL_BREAKER_WINDOW_MS=60000
 * - `KEEL_BREAKER_COOLDOWN_MS`: how long an open breaker refuses calls before one half-open probe (default 15000).
 *   @example KEEL_BREAKER_COOLDOWN_MS=30000
 * - `KEEL_TOOL_TIMEOUT_MS`: timeout of one tool attempt (default 30000). @example KEEL_TOOL_TIMEOUT_MS=10000
 */
import { ConfigurationError } from "../errors.js";

export interface ReliabilitySettings {
  retryAttempts: number;
  retryBaseMs: number;
  retryMaxMs: number;
  retryAfterMaxMs: number;
  breakerFailures: number;
  breakerWindowMs: number;
  breakerCooldownMs: number;
  toolTimeoutMs: number;
}

const VARIABLES: Record<keyof ReliabilitySettings, { env: string; fallback: number; min: number }> = {
  retryAttempts: { env: "KEEL_RETRY_ATTEMPTS", fallback: 5, min: 1 },
  retryBaseMs: { env: "KEEL_RETRY_BASE_MS", fallback: 500, min: 0 },
  retryMaxMs: { env: "KEEL_RETRY_MAX_MS", fallback: 20_000, min: 0 },
  retryAfterMaxMs: { env: "KEEL_RETRY_AFTER_MAX_MS", fallback: 60_000, min: 0 },
  breakerFailures: { env: "KEEL_BREAKER_FAILURES", fallback: 5, min: 1 },
  breakerWindowMs: { env: "KEEL_BREAKER_WINDOW_MS", fallback: 30_000, min: 1 },
  breakerCooldownMs: { env: "KEEL_BREAKER_COOLDOWN_MS", fallback: 15_000, min: 1 },
  toolTimeoutMs: { env: "KEEL_TOOL_TIMEOUT_MS", fallback: 30_000, min: 1 },
};

/** @example reliabilitySettings({ KEEL_RETRY_ATTEMPTS: "3" }).retryAttempts === 3 */
export function reliabilitySettings(env: NodeJS.ProcessEnv = process.env): ReliabilitySettings {
  const settings = {} as ReliabilitySettings;
  for (const [key, spec] of Object.entries(VARIABLES) as [keyof ReliabilitySettings, (typeof VARIABLES)[keyof ReliabilitySettings]][]) {
    const raw = env[spec.env]?.trim();
    const value = raw ? Number(raw) : spec.fallback;
    if (!Number.isInteger(value) || value < spec.min) {
      throw new ConfigurationError(`${spec.env} is "${raw}".`, `Give a whole number of at least ${spec.min}${key === "retryAttempts" || key === "breakerFailures" ? "" : " (milliseconds)"}, or unset it for ${spec.fallback}.`);
    }
    settings[key] = value;
  }
  return settings;
}
