/**
 * Routing bench: the meta agent's routing with its fast path (embedding router, no model call when confident)
 * and the model as fallback, over labelled requests.
 *
 *   npm run bench -- routing [--data rows.jsonl] [--split all|dev|test] [--min-score N] [--min-margin N] [--no-fast]
 *
 * Rows `{"id", "request", "expected_agents": string[]}` (default `evals/datasets/routing.jsonl`); `[]` expects a
 * clarifying question. Metrics: `routing_accuracy` (exact set match), `routed_without_model_call` (share decided
 * by the fast path), `fast_path_accuracy` (accuracy within that share), `model_path_accuracy`, and the fast
 * router's latency. Groups: per split and per expected route set.
 */
import { performance } from "node:perf_hooks";
import { BenchInputError, parseBenchOptions, quantile, type BenchReport } from "./report.js";
import { readRoutingRows, type RoutingRow } from "./routing-data.js";
import { chatModel, tierFor } from "../src/models/provider.js";
import { routingThreshold } from "../graphs/meta/router.js";
import { routeRequest, appEmbeddingRouter } from "../src/routing/route-request.js";
import { fastRouterSettings, type FastRouterSettings } from "../src/routing/embedding-router.js";

export const usage = "npm run bench -- routing [--data rows.jsonl] [--split all|dev|test] [--min-score N] [--min-margin N] [--no-fast]";
export const DEFAULT_ROUTING_DATA = "evals/datasets/routing.jsonl";

interface Outcome {
  row: RoutingRow;
  got: string[];
  fast: boolean;
  ok: boolean;
  ms: number;
}

function parse(argv: string[]) {
  const values = parseBenchOptions<Record<string, string | boolean | undefined>>(argv, { data: { type: "string" }, split: { type: "string" }, "min-score": { type: "string" }, "min-margin": { type: "string" }, "no-fast": { type: "boolean" } }, usage);
  const split = (values.split as string | undefined) ?? "all";
  if (!["all", "dev", "test"].includes(split)) throw new BenchInputError(`--split "${split}": use all, dev or test.`);
  const num = (name: string) => {
    const raw = values[name] as string | undefined;
    if (raw === undefined) return undefined;
    const n = Number(raw);
    if (!Number.isFinite(n) || n < 0 || n > 2) throw new BenchInputError(`--${name} "${raw}": give a number from 0 to 2.`);
    return n;
  };
  const base = fastRouterSettings();
  const settings: FastRouterSettings = {
    ...base,
    enabled: values["no-fast"] ? false : base.enabled,
    minScore: num("min-score") ?? base.minScore,
    minMargin: num("min-margin") ?? base.minMargin,
  };
  return { data: (values.data as string | undefined) ?? DEFAULT_ROUTING_DATA, split, settings };
}

/** Routes every row; exported for the tuning loop and tests. */
export async function routeRows(rows: RoutingRow[], settings: FastRouterSettings): Promise<Outcome[]> {
  const model = chatModel(tierFor("meta", "fast"));
  // The bench scores routing decisions: an exact-cache hit from an earlier run would hide the model path's cost.
  model.cache = undefined;
  const threshold = routingThreshold();
  const router = settings.enabled ? await appEmbeddingRouter() : undefined;
  const outcomes: Outcome[] = [];
  for (const row of rows) {
    const started = performance.now();
    const decision = await routeRequest(row.request, { model: () => model, settings, ...(router ? { router } : {}) });
    const ms = performance.now() - started;
    const got = decision.routes.length === 0 || decision.confidence < threshold ? [] : [...new Set<string>(decision.routes)].sort();
    outcomes.push({ row, got, fast: decision.source === "embedding", ok: JSON.stringify(got) === JSON.stringify(row.expected), ms });
  }
  return outcomes;
}

export function routingMetrics(outcomes: Outcome[]): Record<string, number> {
  const fast = outcomes.filter((o) => o.fast);
  const slow = outcomes.filter((o) => !o.fast);
  const share = (list: Outcome[]) => (list.length === 0 ? 0 : list.filter((o) => o.ok).length / list.length);
  return {
    routing_accuracy: share(outcomes),
    routed_without_model_call: outcomes.length === 0 ? 0 : fast.length / outcomes.length,
    fast_path_accuracy: share(fast),
    model_path_accuracy: share(slow),
    examples: outcomes.length,
    fast_path_examples: fast.length,
    fast_p50_ms: quantile(fast.map((o) => o.ms), 0.5),
    fast_p95_ms: quantile(fast.map((o) => o.ms), 0.95),
  };
}

export async function run(argv: string[]): Promise<BenchReport> {
  const { data, split, settings } = parse(argv);
  const rows = readRoutingRows(data).filter((r) => split === "all" || r.split === split);
  if (rows.length === 0) throw new BenchInputError(`${data} has no ${split} rows.`);
  if (settings.enabled) await appEmbeddingRouter(); // build (embed the examples) outside the timings
  const outcomes = await routeRows(rows, settings);
  const groups: Record<string, Record<string, number>> = {};
  const by = (key: (o: Outcome) => string) => {
    const map = new Map<string, Outcome[]>();
    for (const o of outcomes) map.set(key(o), [...(map.get(key(o)) ?? []), o]);
    return map;
  };
  for (const [name, list] of by((o) => `split:${o.row.split}`)) groups[name] = routingMetrics(list);
  for (const [name, list] of by((o) => (o.row.expected.length === 0 ? "clarify" : o.row.expected.join("+")))) {
    const m = routingMetrics(list);
    groups[name] = { routing_accuracy: m.routing_accuracy!, routed_without_model_call: m.routed_without_model_call!, examples: m.examples! };
  }
  const misses = outcomes.filter((o) => !o.ok).map((o) => `${o.row.id} [${o.row.expected}] got [${o.got}]${o.fast ? " (fast)" : ""}`);
  return {
    bench: "routing",
    dataset: `${data} (${split})`,
    metrics: routingMetrics(outcomes),
    groups,
    notes: [
      `fast path ${settings.enabled ? `on: min score ${settings.minScore}, min margin ${settings.minMargin}` : "off"}; fallback: the ${chatModel(tierFor("meta", "fast"))._llmType()} router model, clarify below confidence ${routingThreshold()}`,
      ...(misses.length > 0 ? [`misses: ${misses.join("; ")}`] : []),
    ],
  };
}
