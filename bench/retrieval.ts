/**
 * Tool retrieval bench: how well `ToolIndex` finds the right tools, how fast, and how many schema tokens it
 * saves, beside a plain BM25 floor computed in the same run.
 *
 *   npm run bench -- retrieval --dataset bfcl|metatool|app|latency [--data-dir DIR]
 *   npm run bench -- retrieval --catalog tools.jsonl --queries queries.jsonl
 *   options: [--k 1,3,5,10] [--split test|dev|all] [--sample 2000] [--no-tool-threshold X]
 *            [--fusion weighted|rrf] [--dense-weight W] [--keyword-weight W] [--latency-queries 300]
 *            [--rerank] [--cache-dir DIR] [--out report.json]
 *
 * Builds the index twice: cold (empty embedding cache directory, a fresh temporary one unless --cache-dir)
 * and warm (same directory, new process-level cache object), and reports both times. Latency is `select()`
 * per query, one by one, on the warm index (query vectors not cached beforehand). Quality uses the same
 * ranking with query vectors embedded in batches first (only faster, same scores).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { countTokens } from "../src/cost/tokens.js";
import { Bm25Index } from "../src/retrieval/bm25.js";
import { CachedEmbeddings } from "../src/retrieval/embedding-cache.js";
import { retrievalEmbeddings } from "../src/retrieval/embeddings.js";
import { DEFAULT_FUSION, type FusionOptions } from "../src/retrieval/fusion.js";
import { nameWords, type ToolDocument } from "../src/retrieval/tool-document.js";
import { RECOMMENDED_NO_TOOL_THRESHOLD, ToolIndex } from "../src/retrieval/tool-index.js";
import { BenchInputError, parseBenchOptions, quantile, type BenchReport } from "./report.js";
import { appDataset, benchmarksDir, bfclDataset, fileDataset, hashOrder, latencyDataset, metatoolDataset, type BenchDataset, type BenchQuery } from "./retrieval-data.js";
import { rankingMetrics, type QueryOutcome } from "./retrieval-metrics.js";

export const usage = "npm run bench -- retrieval (--dataset bfcl|metatool|app|latency | --catalog FILE --queries FILE) [--k 1,3,5,10] [--split test|dev|all] [--rerank] [--out FILE]";

export interface RetrievalArgs {
  dataset?: "bfcl" | "metatool" | "app" | "latency";
  catalog?: string;
  queries?: string;
  dataDir?: string;
  ks: number[];
  split: "test" | "dev" | "all";
  sample: number;
  noToolThreshold: number;
  fusion: FusionOptions;
  latencyQueries: number;
  cacheDir?: string;
  /** Turn on the learned re-ranker (`ToolIndex` option `rerank`, src/retrieval/rerank.ts). */
  rerank: boolean;
}

/** Parses and checks the bench's options; bad input throws `BenchInputError` (exit code 2). */
export function parseRetrievalArgs(argv: string[]): RetrievalArgs {
  const values = parseBenchOptions(argv, {
        dataset: { type: "string" },
        catalog: { type: "string" },
        queries: { type: "string" },
        "data-dir": { type: "string" },
        k: { type: "string" },
        split: { type: "string" },
        sample: { type: "string" },
        "no-tool-threshold": { type: "string" },
        fusion: { type: "string" },
        "dense-weight": { type: "string" },
        "keyword-weight": { type: "string" },
        "latency-queries": { type: "string" },
        "cache-dir": { type: "string" },
        rerank: { type: "boolean" },
      }, usage);
  const dataset = values.dataset;
  if (dataset !== undefined && !["bfcl", "metatool", "app", "latency"].includes(dataset)) {
    throw new BenchInputError(`Unknown --dataset "${dataset}": use bfcl, metatool, app or latency.`);
  }
  if (!dataset && (!values.catalog || !values.queries)) {
    throw new BenchInputError(`Give --dataset, or both --catalog and --queries. Usage: ${usage}`);
  }
  if (dataset && dataset !== "app" && (values.catalog || values.queries)) {
    throw new BenchInputError("--catalog/--queries cannot be combined with a built-in --dataset (except --dataset app --queries FILE).");
  }
  const ks = (values.k ?? "1,3,5,10").split(",").map((s) => Number(s.trim()));
  if (ks.some((k) => !Number.isInteger(k) || k < 1 || k > 100)) throw new BenchInputError(`--k "${values.k}": give whole numbers from 1 to 100, e.g. 1,3,5,10.`);
  const split = (values.split ?? "test") as RetrievalArgs["split"];
  if (!["test", "dev", "all"].includes(split)) throw new BenchInputError(`--split "${values.split}": use test, dev or all.`);
  const num = (name: string, fallback: number, ok: (n: number) => boolean) => {
    const raw = values[name];
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isFinite(n) || !ok(n)) throw new BenchInputError(`--${name} "${raw}" is not valid.`);
    return n;
  };
  const method = (values.fusion ?? DEFAULT_FUSION.method) as FusionOptions["method"];
  if (method !== "weighted" && method !== "rrf") throw new BenchInputError(`--fusion "${values.fusion}": use weighted or rrf.`);
  const fusion: FusionOptions =
    method === DEFAULT_FUSION.method ? { ...DEFAULT_FUSION } : { method, denseWeight: 1, keywordWeight: 1, rrfK: 60 };
  fusion.denseWeight = num("dense-weight", fusion.denseWeight, (n) => n >= 0);
  fusion.keywordWeight = num("keyword-weight", fusion.keywordWeight, (n) => n >= 0);
  return {
    ...(dataset ? { dataset: dataset as RetrievalArgs["dataset"] } : {}),
    ...(values.catalog ? { catalog: values.catalog } : {}),
    ...(values.queries ? { queries: values.queries } : {}),
    ...(values["data-dir"] ? { dataDir: values["data-dir"] } : {}),
    ks: [...new Set(ks)].sort((a, b) => a - b),
    split,
    sample: num("sample", 2000, (n) => Number.isInteger(n) && n > 0),
    noToolThreshold: num("no-tool-threshold", RECOMMENDED_NO_TOOL_THRESHOLD, () => true),
    fusion,
    latencyQueries: num("latency-queries", 300, (n) => Number.isInteger(n) && n >= 0),
    ...(values["cache-dir"] ? { cacheDir: values["cache-dir"] } : {}),
    rerank: (values.rerank as unknown) === true,
  };
}

export async function loadDataset(args: RetrievalArgs): Promise<BenchDataset> {
  const dir = benchmarksDir(args.dataDir);
  switch (args.dataset) {
    case "bfcl":
      return bfclDataset(dir);
    case "metatool":
      return metatoolDataset(dir, args.sample);
    case "latency":
      return latencyDataset(dir);
    case "app":
      return appDataset(args.queries);
    default:
      return fileDataset(args.catalog!, args.queries!);
  }
}

export async function run(argv: string[]): Promise<BenchReport> {
  const args = parseRetrievalArgs(argv);
  const data = await loadDataset(args);
  const queries = args.split === "all" ? data.queries : data.queries.filter((q) => q.split === args.split);
  if (queries.length === 0) throw new BenchInputError(`No ${args.split} queries in ${data.name}.`);
  const canonical = data.canonical ?? ((n: string) => n);

  // Builds: cold on an empty cache directory, then warm on the same directory with a new cache object.
  const ownCache = !args.cacheDir;
  const cacheDir = args.cacheDir ?? fs.mkdtempSync(path.join(os.tmpdir(), "keel-bench-embeddings-"));
  try {
    const cold = retrievalEmbeddings(process.env, { cacheDir });
    const cpuMs = (since: NodeJS.CpuUsage) => {
      const used = process.cpuUsage(since);
      return (used.user + used.system) / 1000;
    };
    let cpu = process.cpuUsage();
    let t = performance.now();
    await ToolIndex.build(data.catalog, { embeddings: cold.embeddings, fusion: args.fusion, rerank: args.rerank });
    const buildCold = performance.now() - t;
    const buildColdCpu = cpuMs(cpu);
    const warm = retrievalEmbeddings(process.env, { cacheDir });
    cpu = process.cpuUsage();
    t = performance.now();
    const index = await ToolIndex.build(data.catalog, { embeddings: warm.embeddings, fusion: args.fusion, rerank: args.rerank });
    const buildWarm = performance.now() - t;
    const buildWarmCpu = cpuMs(cpu);
    const warmCalls = warm.embeddings instanceof CachedEmbeddings ? warm.embeddings.stats.modelCalls : 0;

    const docsByName = new Map(data.catalog.map((d) => [d.name, d]));
    const allowedFor = (q: BenchQuery) => (q.agent && data.name === "app" ? (d: ToolDocument) => d.domain === q.agent : undefined);
    const tokensOf = new Map(data.catalog.map((d) => [d.name, schemaTokens(d)]));
    const allTokens = [...tokensOf.values()].reduce((a, b) => a + b, 0);

    // Latency: select() one query at a time, query vectors not cached.
    const latencySample = hashOrder(queries, (q) => q.id, "latency").slice(0, args.latencyQueries);
    for (const q of hashOrder(data.queries, (q) => q.id, "warmup").slice(0, 5)) await index.select(`${q.query} (warm-up)`, { k: 5 });
    const times: number[] = [];
    // CPU time of the process too: on a shared machine wall time also counts the waits for a core.
    const cpuTimes: number[] = [];
    for (const q of latencySample) {
      cpu = process.cpuUsage();
      t = performance.now();
      await index.select(q.query, { k: 5, noToolThreshold: args.noToolThreshold });
      times.push(performance.now() - t);
      cpuTimes.push(cpuMs(cpu));
    }

    // Quality: hybrid ranking (global catalogue), and for the app also within the agent's scope.
    const outcomes: QueryOutcome[] = [];
    const scoped: QueryOutcome[] = [];
    const fallbacks = { count: 0 };
    const BATCH = 64;
    for (let i = 0; i < queries.length; i += BATCH) {
      const batch = queries.slice(i, i + BATCH);
      await index.prepare(batch.map((q) => q.query));
      for (const q of batch) {
        outcomes.push(await outcome(index, q, undefined, args, canonical, tokensOf, allTokens, fallbacks));
        const allowed = allowedFor(q);
        if (allowed) {
          const scopeTokens = data.catalog.filter(allowed).reduce((a, d) => a + tokensOf.get(d.name)!, 0);
          scoped.push(await outcome(index, q, allowed, args, canonical, tokensOf, scopeTokens, fallbacks));
        }
      }
    }

    // Floor: plain BM25 over name + description, same queries.
    const plain = new Bm25Index(data.catalog.map((d) => ({ fields: { name: nameWords(d.name), description: d.description } })));
    const floor: QueryOutcome[] = queries.map((q) => ({
      group: q.group,
      gold: q.gold,
      ranked: plain.top(q.query, 100).map((h) => canonical(data.catalog[h.doc]!.name)),
      noTool: false,
    }));

    const metrics: Record<string, number> = {
      ...rankingMetrics(outcomes, args.ks),
      build_ms_cold: buildCold,
      build_ms_warm: buildWarm,
      build_cpu_ms_cold: buildColdCpu,
      build_cpu_ms_warm: buildWarmCpu,
      warm_build_embed_calls: warmCalls,
      p50_ms: quantile(times, 0.5),
      p95_ms: quantile(times, 0.95),
      p50_cpu_ms: quantile(cpuTimes, 0.5),
      load_average_1m: os.loadavg()[0]!,
      tools: data.catalog.length,
      keyword_fallbacks: fallbacks.count,
    };
    if (metrics.schema_tokens_all) metrics.schema_tokens_reduction = 1 - metrics.schema_tokens_selected! / metrics.schema_tokens_all;
    const groups: Record<string, Record<string, number>> = {};
    const groupNames = [...new Set(queries.map((q) => q.group))];
    for (const g of groupNames) groups[g] = rankingMetrics(outcomes.filter((o) => o.group === g), args.ks);
    if (scoped.length > 0) groups.agent_scope = rankingMetrics(scoped, args.ks);
    groups.bm25 = rankingMetrics(floor, args.ks, { noTool: false });
    for (const g of groupNames) {
      const inGroup = floor.filter((o) => o.group === g);
      if (inGroup.some((o) => o.gold.length > 0)) groups[`bm25/${g}`] = rankingMetrics(inGroup, args.ks, { noTool: false });
    }

    return {
      bench: "retrieval",
      dataset: data.name,
      metrics,
      groups,
      notes: [
        ...data.notes,
        `split: ${args.split} (${queries.length} queries); retrieval settings were tuned on the dev split only.`,
        `fusion: ${args.fusion.method} (dense ${args.fusion.denseWeight}, keyword ${args.fusion.keywordWeight}); no-tool threshold ${args.noToolThreshold}; re-ranker ${args.rerank ? "on" : "off"}; embeddings ${warm.modelId}.`,
        `recall/mrr rank the whole catalogue${scoped.length ? " (agent_scope: only the agent's tools, as in the app)" : ""}; bm25 groups: plain BM25 over name + description, the floor.`,
        `latency: select() on ${times.length} queries one by one on the warm index (p50_cpu_ms, build_cpu_ms_*: CPU time of the process, which waits for a core do not inflate; load_average_1m: the machine's load when the run ended); schema tokens: JSON of the selected (k=5) vs all tool schemas, cl100k_base.`,
      ],
    };
  } finally {
    if (ownCache) fs.rmSync(cacheDir, { recursive: true, force: true });
  }
}

async function outcome(
  index: ToolIndex,
  q: BenchQuery,
  allowed: ((d: ToolDocument) => boolean) | undefined,
  args: RetrievalArgs,
  canonical: (name: string) => string,
  tokensOf: Map<string, number>,
  allTokens: number,
  fallbacks: { count: number },
): Promise<QueryOutcome> {
  const found = await index.search(q.query, { k: 100, ...(allowed ? { allowed } : {}) });
  if (found.fallback) fallbacks.count++;
  const noTool = !found.fallback && found.best < args.noToolThreshold; // as select() decides
  const selected = noTool ? [] : found.tools.slice(0, 5);
  const ranked: string[] = [];
  for (const t of found.tools) {
    const name = canonical(t.name);
    if (!ranked.includes(name)) ranked.push(name);
  }
  return {
    group: q.group,
    gold: q.gold,
    ranked,
    noTool,
    schemaTokensSelected: selected.reduce((a, t) => a + tokensOf.get(t.name)!, 0),
    schemaTokensAll: allTokens,
  };
}

/** Tokens of a tool's schema as bound to a model call (OpenAI function format). */
export function schemaTokens(doc: ToolDocument): number {
  return countTokens(JSON.stringify({ type: "function", function: { name: doc.name, description: doc.description, parameters: doc.parameters ?? { type: "object", properties: {} } } }));
}
