/**
 * Cost bench: the app's evaluation requests through three set-ups on one simulated-latency model (the offline
 * model deciding, plus a fixed sleep per call and a price per token; see cost-model.ts):
 *
 *   (a) full      the app: fast routing, semantic cache, exact model-call cache, tool retrieval
 *   (b) no_fast   the app with caching and fast routing off (the router model decides every request)
 *   (c) baseline  `@langchain/langgraph-supervisor` over the same task agents with all their tools bound
 *
 *   npm run bench -- cost [--data rows.jsonl] [--paraphrases FILE] [--near-misses FILE] [--latency-ms 200]
 *                         [--price-in 2.5] [--price-out 10] [--limit N] [--split all|dev|test]
 *
 * Tasks, the same for all three and in the same order: the read-only rows of the routing set (no action asked,
 * no weekly brief: the workflow has its own model), then each paraphrase pair (its request, then the paraphrase).
 * Then, for (a) only, each near-miss pair: the request, then the near miss, which must not come from the cache.
 *
 * Reported per set-up: model calls, sequential model calls (calls on the critical path: parallel agents count
 * once per wave), prompt tokens and cost per task, end-to-end latency p50/p95, exact and semantic cache hit
 * rates; headline: the reductions of (a) against (c), the paraphrase hit rate and the near-miss false hits.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { MemorySaver } from "@langchain/langgraph";
import { HumanMessage } from "@langchain/core/messages";
import { BenchInputError, parseBenchOptions, quantile, type BenchReport } from "./report.js";
import { readJsonl, readRoutingRows, splitOfId } from "./routing-data.js";
import { SimulatedLatencyModel, CallRecorder, sequentialCalls, SIMULATED_MODEL_NAME, type CallRecord } from "./cost-model.js";
import { createKeelApp, type KeelApp } from "../graphs/app.js";
import type { ProgressEvent } from "../graphs/progress.js";
import { createTaskAgent } from "../graphs/agents/task-agent.js";
import { TASK_AGENT_SPECS, type TaskAgents } from "../graphs/agents/index.js";
import { TASK_AGENTS } from "../graphs/meta/directory.js";
import { buildSupervisorBaseline, handoffHints } from "../graphs/baselines/supervisor.js";
import { SemanticCache, cacheable, semanticCacheSettings } from "../src/cache/semantic-cache.js";
import { KeelModelCache } from "../src/cache/model-cache.js";
import { SqliteCacheBackend } from "../src/cache/sqlite-backend.js";
import { attachExactCache } from "../src/cache/exact-cache.js";
import { appEmbeddingRouter } from "../src/routing/route-request.js";
import { requestParts } from "../src/routing/embedding-router.js";
import { splitQuery } from "../src/retrieval/query-split.js";
import { offlineEmbeddings } from "../src/embeddings/use-lite.js";

export const usage =
  "npm run bench -- cost [--data rows.jsonl] [--paraphrases FILE] [--near-misses FILE] [--latency-ms 200] [--price-in 2.5] [--price-out 10] [--limit N] [--split all|dev|test]";

interface Task {
  id: string;
  request: string;
  kind: "eval" | "paraphrase_base" | "paraphrase";
}

interface Pair {
  id: string;
  request: string;
  other: string;
  split: "dev" | "test";
}

interface Measured {
  task: Task;
  calls: CallRecord[];
  ms: number;
  source?: string;
}

function parse(argv: string[]) {
  const values = parseBenchOptions(argv, Object.fromEntries(["data", "paraphrases", "near-misses", "latency-ms", "price-in", "price-out", "limit", "split"].map((k) => [k, { type: "string" }])), usage);
  const num = (name: string, fallback: number, min: number) => {
    const raw = values[name];
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isFinite(n) || n < min) throw new BenchInputError(`--${name} "${raw}": give a number of at least ${min}.`);
    return n;
  };
  const split = values.split ?? "all";
  if (!["all", "dev", "test"].includes(split)) throw new BenchInputError(`--split "${split}": use all, dev or test.`);
  return {
    data: values.data ?? "evals/datasets/routing.jsonl",
    paraphrases: values.paraphrases ?? "evals/datasets/cost-paraphrases.jsonl",
    nearMisses: values["near-misses"] ?? "evals/datasets/cost-near-misses.jsonl",
    latencyMs: num("latency-ms", 200, 0),
    priceIn: num("price-in", 2.5, 0),
    priceOut: num("price-out", 10, 0),
    limit: values.limit === undefined ? Number.POSITIVE_INFINITY : num("limit", 0, 1),
    split,
  };
}

/** Pairs `{id?, request, <field>}` (the paraphrase or the near miss); a malformed row names file and line. */
export function readPairs(file: string, field: "paraphrase" | "near_miss"): Pair[] {
  return readJsonl(file).map(({ line, value }) => {
    const row = value as Record<string, unknown>;
    const where = `${file}:${line}`;
    if (!row || typeof row !== "object" || Array.isArray(row)) throw new BenchInputError(`${where}: a row must be a JSON object.`);
    for (const key of ["request", field]) {
      if (typeof row[key] !== "string" || !(row[key] as string).trim()) throw new BenchInputError(`${where}: "${key}" must be a non-empty string.`);
    }
    const id = typeof row.id === "string" && row.id ? row.id : `line-${line}`;
    if (row.split !== undefined && row.split !== "dev" && row.split !== "test") throw new BenchInputError(`${where}: "split" must be "dev" or "test".`);
    return { id, request: row.request as string, other: row[field] as string, split: (row.split as "dev" | "test" | undefined) ?? splitOfId(id) };
  });
}

function simulated(latencyMs: number, recorder: CallRecorder, exact?: KeelModelCache) {
  const model = new SimulatedLatencyModel({ latencyMs, recorder, toolHints: handoffHints() });
  return exact ? attachExactCache(model, SIMULATED_MODEL_NAME, exact) : model;
}

function agentsOn(model: SimulatedLatencyModel): TaskAgents {
  return Object.fromEntries(TASK_AGENTS.map((name) => [name, createTaskAgent(TASK_AGENT_SPECS[name], { model })])) as TaskAgents;
}

async function runApp(app: KeelApp, recorder: CallRecorder, task: Task): Promise<Measured> {
  recorder.reset();
  let source: string | undefined;
  const started = performance.now();
  await app.run(task.request, { onProgress: (e: ProgressEvent) => (e.kind === "route" ? (source = e.source) : undefined) });
  return { task, calls: recorder.reset(), ms: performance.now() - started, ...(source ? { source } : {}) };
}

function summarize(measured: Measured[], prices: { in: number; out: number }): Record<string, number> {
  const n = Math.max(measured.length, 1);
  const sum = (f: (m: Measured) => number) => measured.reduce((a, m) => a + f(m), 0);
  const tokensIn = (m: Measured) => m.calls.reduce((a, c) => a + c.inputTokens, 0);
  const tokensOut = (m: Measured) => m.calls.reduce((a, c) => a + c.outputTokens, 0);
  return {
    tasks: measured.length,
    model_calls_per_task: sum((m) => m.calls.length) / n,
    sequential_model_calls_per_task: sum((m) => sequentialCalls(m.calls)) / n,
    prompt_tokens_per_task: sum(tokensIn) / n,
    cost_per_task_usd: sum((m) => (tokensIn(m) * prices.in + tokensOut(m) * prices.out) / 1e6) / n,
    latency_p50_ms: quantile(measured.map((m) => m.ms), 0.5),
    latency_p95_ms: quantile(measured.map((m) => m.ms), 0.95),
    routed_without_model_call: measured.filter((m) => m.source === "embedding").length / n,
    semantic_cache_hit_rate: measured.filter((m) => m.source === "cache").length / n,
  };
}

export async function run(argv: string[]): Promise<BenchReport> {
  const options = parse(argv);
  const prices = { in: options.priceIn, out: options.priceOut };
  const rows = readRoutingRows(options.data)
    .filter((r) => options.split === "all" || r.split === options.split)
    .filter((r) => r.expected.length > 0 && !r.expected.includes("weekly_brief") && cacheable(r.request))
    .slice(0, options.limit);
  const paraphrases = readPairs(options.paraphrases, "paraphrase").filter((p) => options.split === "all" || p.split === options.split);
  const nearMisses = readPairs(options.nearMisses, "near_miss").filter((p) => options.split === "all" || p.split === options.split);
  if (rows.length === 0) throw new BenchInputError(`${options.data} has no read-only rows to run.`);
  const tasks: Task[] = [
    ...rows.map((r) => ({ id: r.id, request: r.request, kind: "eval" as const })),
    ...paraphrases.flatMap((p) => [
      { id: `${p.id}:request`, request: p.request, kind: "paraphrase_base" as const },
      { id: `${p.id}:paraphrase`, request: p.other, kind: "paraphrase" as const },
    ]),
  ];

  await appEmbeddingRouter(); // embed the router's examples before anything is timed
  // The USE-Lite memo is process-wide: warm it with every request (and its parts) first, or whichever set-up
  // runs first would pay the embeddings the others then get for free.
  const texts = [...new Set([...tasks.map((t) => t.request), ...nearMisses.flatMap((p) => [p.request, p.other])])];
  await offlineEmbeddings().embedDocuments([...texts, ...texts.flatMap(requestParts), ...texts.flatMap(splitQuery)]);
  const recorder = new CallRecorder();
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "keel-cost-bench-"));
  const exact = new KeelModelCache(new SqliteCacheBackend(path.join(scratch, "model-cache.sqlite")), 0);
  const semantic = new SemanticCache({ settings: { enabled: true, minSimilarity: semanticCacheSettings().minSimilarity } });
  const results: Record<string, Measured[]> = {};
  const notes: string[] = [];

  try {
    // (a) the full app
    const fullModel = simulated(options.latencyMs, recorder, exact);
    const full = await createKeelApp({ checkpointer: new MemorySaver(), agents: agentsOn(fullModel), meta: { routerModel: fullModel, fastRouting: true, semanticCache: semantic } });
    await runApp(full, recorder, { id: "warm-up", request: "Show invoice INV-20000", kind: "eval" }); // tool index, model load
    Object.assign(exact.stats, { hits: 0, misses: 0, errors: 0 });
    Object.assign(semantic.stats, { lookups: 0, hits: 0, signatureRejects: 0, stale: 0, stores: 0 });
    results.full = [];
    for (const task of tasks) results.full.push(await runApp(full, recorder, task));
    const exactFull = { ...exact.stats };
    const nearMissRuns: Measured[] = [];
    for (const pair of nearMisses) {
      await runApp(full, recorder, { id: `${pair.id}:request`, request: pair.request, kind: "eval" });
      nearMissRuns.push(await runApp(full, recorder, { id: `${pair.id}:near_miss`, request: pair.other, kind: "eval" }));
    }
    await full.close();

    // (b) caching and fast routing off
    const plainModel = simulated(options.latencyMs, recorder);
    const plain = await createKeelApp({ checkpointer: new MemorySaver(), agents: agentsOn(plainModel), meta: { routerModel: plainModel, fastRouting: false, semanticCache: null } });
    results.no_fast = [];
    for (const task of tasks) results.no_fast.push(await runApp(plain, recorder, task));
    await plain.close();

    // (c) the supervisor baseline
    const baseline = buildSupervisorBaseline(simulated(options.latencyMs, recorder));
    results.baseline = [];
    for (const task of tasks) {
      recorder.reset();
      const started = performance.now();
      await baseline.invoke({ messages: [new HumanMessage(task.request)] }, { configurable: { thread_id: randomUUID() } });
      results.baseline.push({ task, calls: recorder.reset(), ms: performance.now() - started });
    }

    const groups: Record<string, Record<string, number>> = {};
    for (const [name, measured] of Object.entries(results)) groups[name] = summarize(measured, prices);
    // The same figures on the routing rows alone: requests seen once, so no semantic-cache repeats help (a).
    for (const [name, measured] of Object.entries(results)) groups[`${name}:first_seen`] = summarize(measured.filter((m) => m.task.kind === "eval"), prices);
    groups.full!.exact_cache_hit_rate = exactFull.hits + exactFull.misses === 0 ? 0 : exactFull.hits / (exactFull.hits + exactFull.misses);
    groups.no_fast!.exact_cache_hit_rate = 0;
    groups.baseline!.exact_cache_hit_rate = 0;
    const paraphraseRuns = results.full!.filter((m) => m.task.kind === "paraphrase");
    const a = groups.full!;
    const c = groups.baseline!;
    const reduction = (mine: number, theirs: number) => (theirs === 0 ? 0 : 1 - mine / theirs);
    const metrics: Record<string, number> = {
      tasks: tasks.length,
      sequential_model_calls_reduction_vs_baseline: reduction(a.sequential_model_calls_per_task!, c.sequential_model_calls_per_task!),
      prompt_tokens_reduction_vs_baseline: reduction(a.prompt_tokens_per_task!, c.prompt_tokens_per_task!),
      latency_p50_reduction_vs_baseline: reduction(a.latency_p50_ms!, c.latency_p50_ms!),
      cost_reduction_vs_baseline: reduction(a.cost_per_task_usd!, c.cost_per_task_usd!),
      first_seen_sequential_model_calls_reduction_vs_baseline: reduction(groups["full:first_seen"]!.sequential_model_calls_per_task!, groups["baseline:first_seen"]!.sequential_model_calls_per_task!),
      first_seen_prompt_tokens_reduction_vs_baseline: reduction(groups["full:first_seen"]!.prompt_tokens_per_task!, groups["baseline:first_seen"]!.prompt_tokens_per_task!),
      first_seen_latency_p50_reduction_vs_baseline: reduction(groups["full:first_seen"]!.latency_p50_ms!, groups["baseline:first_seen"]!.latency_p50_ms!),
      exact_cache_hit_rate: a.exact_cache_hit_rate!,
      semantic_cache_hit_rate: a.semantic_cache_hit_rate!,
      semantic_paraphrase_hit_rate: paraphraseRuns.length === 0 ? 0 : paraphraseRuns.filter((m) => m.source === "cache").length / paraphraseRuns.length,
      semantic_false_hits: nearMissRuns.filter((m) => m.source === "cache").length,
      near_miss_pairs: nearMissRuns.length,
    };
    const missed = paraphraseRuns.filter((m) => m.source !== "cache").map((m) => m.task.id);
    const falseHits = nearMissRuns.filter((m) => m.source === "cache").map((m) => m.task.id);
    notes.push(
      `model: offline model + ${options.latencyMs} ms per call, $${options.priceIn}/M input and $${options.priceOut}/M output tokens; ${rows.length} read-only routing rows (${options.split}) + ${paraphrases.length} paraphrase pairs; ${nearMisses.length} near-miss pairs on (a)`,
      "every request text was embedded once before the timed runs (shared USE-Lite memo), so no set-up pays another's embeddings",
      "sequential calls: the most calls of a task none of which overlaps another (parallel agents count once per wave); exact cache hits never reach the model and are not calls",
      ...(missed.length ? [`paraphrases not served from the cache: ${missed.join(", ")}`] : []),
      ...(falseHits.length ? [`near misses wrongly served from the cache: ${falseHits.join(", ")}`] : []),
    );
    return { bench: "cost", dataset: `${options.data} + ${options.paraphrases} + ${options.nearMisses}`, metrics, groups, notes };
  } finally {
    await exact.backend.close();
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}
