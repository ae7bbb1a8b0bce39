/**
 * The regression gate: each suite's metrics against the stored baseline, over the examples both runs share
 * (same id, same inputs and reference), so adding examples never fails the gate by itself. A metric whose mean
 * drops by more than the tolerance fails the run, naming the examples whose score dropped. Examples of the
 * baseline that the run lacks (a row removed or now malformed) fail it too, unless the run was limited.
 *
 * @example
 * const gate = compareWithBaseline(report.examples, baseline, { tolerance: 0.02 });
 * if (!gate.ok) for (const f of gate.failures) console.error(f);
 */
import type { Baseline } from "./report.js";
import type { ExampleResult } from "./results.js";

export interface MetricCheck {
  suite: string;
  metric: string;
  /** Examples compared (in both runs, unchanged). */
  compared: number;
  baseline: number;
  current: number;
  ok: boolean;
  /** Examples whose score for this metric is lower than in the baseline. */
  regressed: { id: string; baseline: number; current: number }[];
}

export interface GateResult {
  ok: boolean;
  tolerance: number;
  checks: MetricCheck[];
  /** Baseline examples the run did not have, by suite. */
  missing: Record<string, string[]>;
  /** Examples new since the baseline (or changed), by suite: reported, not gated. */
  added: Record<string, number>;
  /** One line per failure, naming the examples. */
  failures: string[];
}

export interface GateOptions {
  tolerance: number;
  /** The run was limited to a sample (--limit): examples it did not run are not "missing". */
  partial?: boolean;
}

const mean = (values: number[]) => (values.length ? values.reduce((s, v) => s + v, 0) / values.length : 0);

export function compareWithBaseline(results: ExampleResult[], baseline: Baseline, options: GateOptions): GateResult {
  const checks: MetricCheck[] = [];
  const missing: Record<string, string[]> = {};
  const added: Record<string, number> = {};
  const failures: string[] = [];
  const suites = [...new Set(results.map((r) => r.suite))].filter((s) => baseline.suites[s]).sort();
  for (const suite of suites) {
    const base = baseline.suites[suite]!.examples;
    const current = new Map(results.filter((r) => r.suite === suite).map((r) => [r.id, r]));
    const common = [...current.values()].filter((r) => base[r.id]?.hash === r.hash);
    added[suite] = current.size - common.length;
    if (!options.partial) {
      const gone = Object.keys(base).filter((id) => !current.has(id));
      if (gone.length) {
        missing[suite] = gone;
        failures.push(`${suite}: ${gone.length} baseline example(s) did not run: ${gone.slice(0, 20).join(", ")}${gone.length > 20 ? ", ..." : ""} (removed or malformed? If removed on purpose, run with --update-baseline)`);
      }
    }
    const metrics = [...new Set(common.flatMap((r) => Object.keys(base[r.id]!.scores)))].sort();
    for (const metric of metrics) {
      const pairs = common.filter((r) => metric in base[r.id]!.scores).map((r) => ({ id: r.id, baseline: base[r.id]!.scores[metric]!, current: r.scores[metric] ?? 0 }));
      const b = mean(pairs.map((p) => p.baseline));
      const c = mean(pairs.map((p) => p.current));
      const regressed = pairs.filter((p) => p.current < p.baseline);
      const ok = b - c <= options.tolerance + 1e-9;
      checks.push({ suite, metric, compared: pairs.length, baseline: Number(b.toFixed(4)), current: Number(c.toFixed(4)), ok, regressed });
      if (!ok) {
        failures.push(
          `${suite} ${metric} dropped from ${b.toFixed(3)} to ${c.toFixed(3)} (tolerance ${options.tolerance}) over ${pairs.length} examples; regressed: ${regressed
            .map((p) => `${p.id} (${p.baseline} -> ${p.current})`)
            .join(", ")}`,
        );
      }
    }
  }
  return { ok: failures.length === 0, tolerance: options.tolerance, checks, missing, added, failures };
}
