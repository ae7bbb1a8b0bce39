/** The resilient call: retries only transient failures, honours Retry-After, backs off with jitter, times out. */
import { afterEach, describe, expect, it } from "vitest";
import { BrokenCircuitError } from "cockatiel";
import { backoffDelay, resilientCall } from "./policy.js";
import { resetBreakers } from "./breaker.js";
import { reliabilitySettings } from "./settings.js";
import { reliabilityStats, resetReliabilityStats } from "./stats.js";

const settings = { ...reliabilitySettings({}), retryAttempts: 4, retryBaseMs: 5, retryMaxMs: 40, breakerFailures: 100 };
const httpError = (status: number, retryAfter?: string) =>
  Object.assign(new Error(`HTTP ${status}`), { status, headers: new Headers(retryAfter ? { "retry-after": retryAfter } : {}) });

afterEach(() => {
  resetBreakers();
  resetReliabilityStats();
});

/** Runs a call that fails with `errors` in turn, then succeeds; returns the attempt count and outcome. */
async function attemptsFor(errors: Error[], options: Partial<Parameters<typeof resilientCall>[0]> = {}) {
  let calls = 0;
  const outcome = await resilientCall({ key: "tool:t", kind: "tool", timeoutMs: 1000, settings, ...options }, () => {
    const error = errors[calls++];
    if (error) throw error;
    return "ok";
  }).catch((e: Error) => e);
  return { calls, outcome };
}

describe("resilientCall", () => {
  it.each([
    { label: "429", errors: [httpError(429, "0")], calls: 2, ok: true },
    { label: "500, 502, 503", errors: [httpError(500), httpError(502), httpError(503)], calls: 4, ok: true },
    { label: "four 500s (attempts exhausted)", errors: [httpError(500), httpError(500), httpError(500), httpError(500)], calls: 4, ok: false },
    { label: "400 (not transient)", errors: [httpError(400)], calls: 1, ok: false },
    { label: "401 (not transient)", errors: [httpError(401)], calls: 1, ok: false },
    { label: "SQLITE_BUSY", errors: [Object.assign(new Error("database is locked"), { code: "SQLITE_BUSY" })], calls: 2, ok: true },
    { label: "a 429 asking for longer than KEEL_RETRY_AFTER_MAX_MS", errors: [httpError(429, "3600")], calls: 1, ok: false },
  ])("$label -> $calls attempt(s)", async ({ errors, calls, ok }) => {
    const result = await attemptsFor(errors);
    expect(result.calls).toBe(calls);
    expect(result.outcome === "ok").toBe(ok);
    expect(reliabilityStats().toolRetries).toBe(calls - 1);
  });

  it("does not retry what may not be repeated", async () => {
    expect((await attemptsFor([httpError(500)], { retryable: false })).calls).toBe(1);
  });

  it("waits at least the server's Retry-After", async () => {
    const started = Date.now();
    const result = await attemptsFor([httpError(429, "1")], { kind: "model" });
    expect(result.outcome).toBe("ok");
    expect(Date.now() - started).toBeGreaterThanOrEqual(990);
    expect(reliabilityStats().modelRetries).toBe(1);
  });

  it("times out a hung attempt, then retries it", async () => {
    let calls = 0;
    const answer = await resilientCall({ key: "tool:slow", kind: "tool", timeoutMs: 30, settings }, () => (calls++ === 0 ? new Promise<string>(() => undefined) : "late but ok"));
    expect(answer).toBe("late but ok");
    expect(reliabilityStats()).toMatchObject({ timeouts: 1, toolRetries: 1 });
  });

  it("an open breaker fails a model call at once (the fallback answers) but is waited out by a tool call", async () => {
    const tight = { ...settings, breakerFailures: 1, breakerCooldownMs: 30, retryBaseMs: 40, retryMaxMs: 40 };
    await resilientCall({ key: "k", kind: "model", timeoutMs: 100, settings: { ...tight, retryAttempts: 1 } }, () => Promise.reject(httpError(503))).catch(() => undefined);
    let modelCalls = 0;
    const model = await resilientCall({ key: "k", kind: "model", timeoutMs: 100, settings: tight }, () => ++modelCalls).catch((e: unknown) => e);
    expect(model).toBeInstanceOf(BrokenCircuitError);
    expect(modelCalls).toBe(0);
    const tool = await resilientCall({ key: "k", kind: "tool", timeoutMs: 100, settings: tight, waitOnOpenBreaker: true }, () => "after cool-down");
    expect(tool).toBe("after cool-down");
  });
});

describe("backoffDelay", () => {
  it.each([
    { attempt: 1, random: 0, expected: 3 },
    { attempt: 1, random: 1, expected: 5 },
    { attempt: 3, random: 0.5, expected: 15 },
    { attempt: 10, random: 1, expected: 40 }, // capped by retryMaxMs
  ])("attempt $attempt, jitter $random -> $expected ms", ({ attempt, random, expected }) => {
    expect(backoffDelay(attempt, new Error("x"), settings, () => random)).toBe(expected);
  });

  it("Retry-After wins over the exponential delay", () => {
    expect(backoffDelay(1, httpError(429, "2"), settings)).toBe(2000);
  });
});
