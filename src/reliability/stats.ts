/**
 * Counters of the failure handling in this process, for the `faults` bench, tests and logs: retries by kind,
 * breaker openings and closings by key, fallbacks to another model, timeouts and malformed tool calls.
 */
export interface ReliabilityStats {
  modelRetries: number;
  toolRetries: number;
  /** Times a breaker went from closed or half-open to open. */
  breakerOpenings: number;
  /** Times a breaker closed again after a successful half-open probe. */
  breakerClosings: number;
  modelFallbacks: number;
  timeouts: number;
  malformedToolCalls: number;
  /** Tool faults injected by KEEL_FAULTS. */
  injectedToolFaults: number;
  /** Openings per breaker key. @example { "tool:issue_credit": 1 } */
  openingsByKey: Record<string, number>;
}

const fresh = (): ReliabilityStats => ({
  modelRetries: 0,
  toolRetries: 0,
  breakerOpenings: 0,
  breakerClosings: 0,
  modelFallbacks: 0,
  timeouts: 0,
  malformedToolCalls: 0,
  injectedToolFaults: 0,
  openingsByKey: {},
});

let current = fresh();

/** The counters so far (a copy). */
export function reliabilityStats(): ReliabilityStats {
  return { ...current, openingsByKey: { ...current.openingsByKey } };
}

export function resetReliabilityStats(): void {
  current = fresh();
}

type Counter = Exclude<keyof ReliabilityStats, "openingsByKey">;

export function count(counter: Counter, by = 1): void {
  current[counter] += by;
}

export function countOpening(key: string): void {
  current.breakerOpenings += 1;
  current.openingsByKey[key] = (current.openingsByKey[key] ?? 0) + 1;
}
