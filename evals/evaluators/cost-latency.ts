/** Cost and latency of runs: per-example figures and the distributions the report shows. */

export interface RunCost {
  tokens: number;
  /** USD; `null` when a model had no known price. */
  cost_usd: number | null;
  latency_ms: number;
}

export function runCost(usage: { inputTokens: number; outputTokens: number; costUsd: number | undefined }, latencyMs: number): RunCost {
  return { tokens: usage.inputTokens + usage.outputTokens, cost_usd: usage.costUsd ?? null, latency_ms: Math.round(latencyMs) };
}

/** Nearest-rank quantile (q in 0..1) of a list; `undefined` for an empty list. */
export function quantile(values: readonly number[], q: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

export interface Distribution {
  n: number;
  mean: number;
  p50: number;
  p95: number;
  max: number;
}

export function distribution(values: readonly number[]): Distribution | undefined {
  if (values.length === 0) return undefined;
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  return { n: values.length, mean, p50: quantile(values, 0.5)!, p95: quantile(values, 0.95)!, max: Math.max(...values) };
}
