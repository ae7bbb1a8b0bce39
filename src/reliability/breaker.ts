/**
 * Circuit breakers, one per key (`model:<provider>#<model>`, `tool:<name>`), from cockatiel. A breaker opens
 * after `KEEL_BREAKER_FAILURES` failures within `KEEL_BREAKER_WINDOW_MS`, refuses calls for
 * `KEEL_BREAKER_COOLDOWN_MS`, then lets one half-open probe through: success closes it, failure opens it again.
 */
import { circuitBreaker, CircuitState, handleWhen, type CircuitBreakerPolicy, type IBreaker } from "cockatiel";
import { isTransientError } from "./transient.js";
import { count, countOpening } from "./stats.js";
import { reliabilitySettings, type ReliabilitySettings } from "./settings.js";

/**
 * Opens after `threshold` failures within `windowMs`. Hand-written because cockatiel's breakers count
 * consecutive failures (ConsecutiveBreaker), a share of the last N calls (CountBreaker) or a failure rate
 * (SamplingBreaker); none is "N failures in a time window". `now` is injectable for a fake clock.
 */
export class WindowBreaker implements IBreaker {
  private failures: number[] = [];

  constructor(
    readonly threshold: number,
    readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  get state(): unknown {
    return { failures: this.failures };
  }

  set state(value: unknown) {
    this.failures = [...((value as { failures?: number[] } | undefined)?.failures ?? [])];
  }

  success(state: CircuitState): void {
    // A successful half-open probe closes the circuit with a clean slate.
    if (state === CircuitState.HalfOpen) this.failures = [];
  }

  failure(state: CircuitState): boolean {
    if (state === CircuitState.HalfOpen) return true;
    const now = this.now();
    this.failures = this.failures.filter((at) => now - at < this.windowMs);
    this.failures.push(now);
    if (this.failures.length >= this.threshold) {
      this.failures = [];
      return true;
    }
    return false;
  }
}

const breakers = new Map<string, CircuitBreakerPolicy>();

/** The breaker of `key`, made on first use with the current settings. Only transient failures count. */
export function breakerFor(key: string, settings: ReliabilitySettings = reliabilitySettings()): CircuitBreakerPolicy {
  let breaker = breakers.get(key);
  if (!breaker) {
    breaker = circuitBreaker(handleWhen(isTransientError), {
      breaker: new WindowBreaker(settings.breakerFailures, settings.breakerWindowMs),
      halfOpenAfter: settings.breakerCooldownMs,
    });
    breaker.onBreak(() => countOpening(key));
    breaker.onReset(() => count("breakerClosings"));
    breakers.set(key, breaker);
  }
  return breaker;
}

/** State of every breaker made so far, by key. @example { "tool:issue_credit": "closed" } */
export function breakerStates(): Record<string, "closed" | "open" | "half-open" | "isolated"> {
  const names = { [CircuitState.Closed]: "closed", [CircuitState.Open]: "open", [CircuitState.HalfOpen]: "half-open", [CircuitState.Isolated]: "isolated" } as const;
  return Object.fromEntries([...breakers].map(([key, b]) => [key, names[b.state]]));
}

/** Forgets every breaker (tests and the bench start each scenario closed, with new settings). */
export function resetBreakers(): void {
  breakers.clear();
}
