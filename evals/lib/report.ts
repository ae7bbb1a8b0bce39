/**
 * The eval report (JSON): per suite the number of examples, pass rate, the mean of each metric, the cost and
 * latency distributions; every example's result; every skipped row; and the gate's verdict. The baseline is
 * the same figures, per example, from a run that was accepted (`--update-baseline`).
 */
import type { SkippedRow } from "./dataset.js";
import type { ExampleResult } from "./results.js";
import { distribution, type Distribution } from "../evaluators/cost-latency.js";
import type { GateResult } from "./gate.js";

export interface SuiteSummary {
  examples: number;
  passed: number;
  pass_rate: number;
  /** Rows of this suite's datasets that were skipped as malformed (never run, never counted). */
  skipped: number;
  errors: number;
  primary: string[];
  /** Mean of each metric over the examples that have it. */
  metrics: Record<string, number>;
  latency_ms?: Distribution;
  tokens?: Distribution;
  /** Total USD; null when a model had no known price. */
  cost_usd?: number | null;
}

export interface EvalReport {
  generated_at: string;
  model: string;
  langsmith: "off" | "on" | "unreachable";
  duration_ms: number;
  tolerance: number;
  suites: Record<string, SuiteSummary>;
  examples: ExampleResult[];
  skipped: (SkippedRow & { suite: string })[];
  gate?: GateResult;
}

export interface Baseline {
  generated_at: string;
  model: string;
  suites: Record<string, { metrics: Record<string, number>; examples: Record<string, { hash: string; scores: Record<string, number> }> }>;
}

const mean = (values: number[]) => values.reduce((s, v) => s + v, 0) / values.length;
const round = (v: number, digits = 4) => Number(v.toFixed(digits));

export function summarize(results: ExampleResult[], skipped: (SkippedRow & { suite: string })[]): Record<string, SuiteSummary> {
  const suites: Record<string, SuiteSummary> = {};
  const names = [...new Set([...results.map((r) => r.suite), ...skipped.map((s) => s.suite)])].sort();
  for (const suite of names) {
    const mine = results.filter((r) => r.suite === suite);
    const metricNames = [...new Set(mine.flatMap((r) => Object.keys(r.scores)))].sort();
    const metrics = Object.fromEntries(metricNames.map((m) => [m, round(mean(mine.filter((r) => m in r.scores).map((r) => r.scores[m]!)))]));
    const costs = mine.filter((r) => r.cost).map((r) => r.cost!);
    const latency = distribution(costs.map((c) => c.latency_ms));
    const tokens = distribution(costs.map((c) => c.tokens).filter((t) => t > 0));
    const passed = mine.filter((r) => r.passed).length;
    suites[suite] = {
      examples: mine.length,
      passed,
      pass_rate: mine.length ? round(passed / mine.length) : 0,
      skipped: skipped.filter((s) => s.suite === suite).length,
      errors: mine.filter((r) => r.error).length,
      primary: [...new Set(mine.map((r) => r.primary))].sort(),
      metrics,
      ...(latency ? { latency_ms: latency } : {}),
      ...(tokens ? { tokens } : {}),
      ...(costs.length ? { cost_usd: costs.some((c) => c.cost_usd === null && c.tokens > 0) ? null : round(costs.reduce((s, c) => s + (c.cost_usd ?? 0), 0), 6) } : {}),
    };
  }
  return suites;
}

/** The baseline a report would become: per suite its metrics, per example its input hash and scores. */
export function toBaseline(report: EvalReport, previous?: Baseline): Baseline {
  const suites: Baseline["suites"] = { ...(previous?.suites ?? {}) };
  for (const [suite, summary] of Object.entries(report.suites)) {
    const examples = Object.fromEntries(report.examples.filter((e) => e.suite === suite).map((e) => [e.id, { hash: e.hash, scores: e.scores }]));
    suites[suite] = { metrics: summary.metrics, examples };
  }
  return { generated_at: report.generated_at, model: report.model, suites };
}
