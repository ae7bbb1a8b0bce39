/**
 * Re-ranker fitting and ranking experiments (not a bench): `npx tsx bench/retrieval-rerank.ts`.
 *
 * Prints dev recall@5 of the fused ranking and of the re-ranker (`src/retrieval/rerank.ts`), refits the
 * re-ranker's weights (listwise softmax cross-entropy, L2 0.01, deterministic full-batch gradient descent) and
 * prints them as the `RERANK_WEIGHTS` constant. Honest-number rules: it loads BFCL's NON-target categories
 * (simple_python, live_simple, parallel, live_parallel; every split) for fitting, half of MetaTool's single-tool
 * DEV split for fitting and the other half to validate, MetaTool's two-tool set (no target), the app's dev split,
 * and only the DEV split of BFCL's target groups (multiple+parallel_multiple, live_multiple+live_parallel_multiple).
 * Test queries of the target groups are never loaded. Query vectors are cached in `.data/rerank-queries-*.json`.
 *
 * Experiments (environment): REFIT=0 (skip refitting), EXTRA=numGap,reqGap,descLen,paramCount,denseXkw,denseName
 * (extra features), DEPTH=n (head size), DENSE=w / FIELDS=n,d,p,e / K1 / B (fusion and BM25F settings),
 * PARTS=1 (re-rank the task parts with a model fitted on parts), MERGE=1 (coverage-merge decays),
 * DIVERSITY=1 (near-duplicate penalty in the merge), NOSPLIT=1 (query splitting on/off).
 */
import fs from "node:fs";
import path from "node:path";
import { Bm25Index } from "../src/retrieval/bm25.js";
import { RERANK_DEPTH, RERANK_FEATURES, RERANK_WEIGHTS, RerankContext } from "../src/retrieval/rerank.js";
import { retrievalEmbeddings } from "../src/retrieval/embeddings.js";
import { DEFAULT_FUSION, fuse, type Fused } from "../src/retrieval/fusion.js";
import { coverRankings, splitQuery } from "../src/retrieval/query-split.js";
import { keywordFields, nameWords, parameterTexts } from "../src/retrieval/tool-document.js";
import { DEFAULT_FIELD_WEIGHTS, ToolIndex, type KeywordField } from "../src/retrieval/tool-index.js";
import { benchmarksDir, bfclDataset, metatoolDataset, appDataset, type BenchDataset, type BenchQuery } from "./retrieval-data.js";

const TARGET_GROUPS = new Set(["multiple+parallel_multiple", "live_multiple+live_parallel_multiple"]);
const TRAIN_GROUPS = new Set(["simple", "parallel"]);

export function allowedQueries(data: BenchDataset): BenchQuery[] {
  if (data.name !== "bfcl") return data.queries.filter((q) => q.split === "dev" && q.gold.length > 0);
  return data.queries.filter((q) => q.gold.length > 0 && (TRAIN_GROUPS.has(q.group) || (TARGET_GROUPS.has(q.group) && q.split === "dev")));
}

export interface Prepared {
  data: BenchDataset;
  queries: { q: BenchQuery; texts: string[]; dense: Float64Array[] }[];
  bm25: Bm25Index<KeywordField>;
  context: RerankContext;
  /** Unit name-words vectors per tool and unit query vectors per text (EXTRA=denseName only). */
  nameVec?: Float32Array[];
  queryVec?: Map<string, Float32Array>;
  /** Unit main-text vector per tool (row of its first text). */
  toolVec: Float32Array[];
}

export async function prepare(data: BenchDataset, queries: BenchQuery[]): Promise<Prepared> {
  const { embeddings } = retrievalEmbeddings(process.env, { cacheDir: path.resolve(".data/tune-embeddings") });
  const index = await ToolIndex.build(data.catalog, { embeddings, denseCandidates: 100_000 });
  const cacheFile = path.resolve(`.data/rerank-queries-${data.name}.json`);
  const cache: Record<string, number[]> = fs.existsSync(cacheFile) ? JSON.parse(fs.readFileSync(cacheFile, "utf8")) : {};
  const items = queries.map((q) => ({ q, texts: [q.query, ...splitQuery(q.query)] }));
  const missing = [...new Set(items.flatMap((i) => i.texts))].filter((t) => !cache[t]);
  for (let i = 0; i < missing.length; i += 64) {
    const chunk = missing.slice(i, i + 64);
    const { denseQueryText } = await import("../src/retrieval/tool-index.js");
    const vecs = await embeddings.embedDocuments(chunk.map(denseQueryText));
    chunk.forEach((t, j) => (cache[t] = vecs[j]!.map((x) => Math.round(x * 1e5) / 1e5)));
    process.stderr.write(`  embedded ${Math.min(i + 64, missing.length)}/${missing.length}\n`);
  }
  if (missing.length) fs.writeFileSync(cacheFile, JSON.stringify(cache));
  const matrix = (index as unknown as { matrix: { bestScores(q: number[], n: number): Float64Array } }).matrix;
  const mx = (index as unknown as { matrix: { rows: Float32Array; owner: Int32Array; dims: number } }).matrix;
  const toolVec: Float32Array[] = [];
  for (let r = mx.owner.length - 1; r >= 0; r--) toolVec[mx.owner[r]!] = mx.rows.subarray(r * mx.dims, (r + 1) * mx.dims);
  const out = items.map((it) => ({ ...it, dense: it.texts.map((t) => matrix.bestScores(cache[t]!, data.catalog.length)) }));
  const unit = (v: number[]) => {
    const n = Math.sqrt(v.reduce((a, x) => a + x * x, 0)) || 1;
    return Float32Array.from(v, (x) => x / n);
  };
  let nameVec: Float32Array[] | undefined;
  let queryVec: Map<string, Float32Array> | undefined;
  if (EXTRA.includes("denseName")) {
    nameVec = (await embeddings.embedDocuments(data.catalog.map((d) => nameWords(d.name)))).map(unit);
    queryVec = new Map(items.flatMap((i) => i.texts).map((t) => [t, unit(cache[t]!)]));
  }
  const kf = data.catalog.map(keywordFields);
  const fw = process.env.FIELDS?.split(",").map(Number);
  const weights = fw ? { name: fw[0]!, description: fw[1]!, parameters: fw[2]!, examples: fw[3]! } : DEFAULT_FIELD_WEIGHTS;
  const bm25 = new Bm25Index<KeywordField>(kf.map((fields) => ({ fields })), weights, { k1: Number(process.env.K1 ?? 1.2), b: Number(process.env.B ?? 0.75) });
  return {
    data,
    queries: out,
    bm25,
    context: new RerankContext(data.catalog),
    ...(nameVec ? { nameVec, queryVec } : {}),
    toolVec,
  };
}

function cos(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

/** Candidate features tried in the bench only (EXTRA=numGap,descLen,...). */
const EXTRA = (process.env.EXTRA ?? "").split(",").filter(Boolean);
export const FEATURES: readonly string[] = [...RERANK_FEATURES, ...EXTRA];

export interface Cand extends Fused {
  f: number[];
}

/** Top-N fused candidates of one text with their features (the index's own feature code). */
export function candidates(p: Prepared, text: string, dense: Float64Array, n: number): Cand[] {
  const all = p.data.catalog.map((_, i) => i);
  const fused = fuse({ candidates: all, dense, keyword: p.bm25.scores(text), keywordCeiling: p.bm25.ceiling(text) }, FUSION).slice(0, n);
  const feats = p.context.features(text, fused);
  if (EXTRA.length === 0) return fused.map((c, i) => ({ ...c, f: feats[i]! }));
  const numbers = Math.min((text.match(/\b\d+(?:\.\d+)?\b/g) ?? []).length, 8);
  const quoted = Math.min((text.match(/'[^']+'|"[^"]+"/g) ?? []).length, 6);
  return fused.map((c, i) => {
    const doc = p.data.catalog[c.index]!;
    const params = parameterTexts(doc.parameters);
    const props = ((doc.parameters as { properties?: Record<string, { type?: string }> } | undefined)?.properties ?? {});
    const numeric = Object.values(props).filter((x) => x && (x.type === "integer" || x.type === "number" || x.type === "float")).length;
    const required = ((doc.parameters as { required?: unknown[] } | undefined)?.required ?? []).length;
    const extra: Record<string, number> = {
      numGap: Math.abs(numbers - numeric) / 4,
      reqGap: Math.abs(numbers + quoted - required) / 4,
      descLen: Math.log1p(doc.description.length) / 6,
      paramCount: Math.log1p(params.length),
      denseXkw: (c.dense ?? 0) * c.keyword,
      denseName: p.nameVec ? cos(p.nameVec[c.index]!, p.queryVec!.get(text)!) : 0,
    };
    return { ...c, f: [...feats[i]!, ...EXTRA.map((e) => extra[e]!)] };
  });
}

export function cosine(p: Prepared, a: number, b: number): number {
  const x = p.toolVec[a]!, y = p.toolVec[b]!;
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]! * y[i]!;
  return s;
}

/** coverRankings with a near-duplicate penalty: value x (1 - lambda * max(0, sim - tau) / (1 - tau)). */
export function diverseCover(p: Prepared, lists: Cand[][], o: { decay: number; lambda: number; tau: number; wholeDecay?: number; depth?: number }): Cand[] {
  if (lists.length === 1) return lists[0]!;
  const out: Cand[] = [];
  const taken = new Set<number>();
  const picked = lists.map(() => 0);
  const depth = o.depth ?? 10;
  while (out.length < depth) {
    let best: { j: number; c: Cand; v: number } | undefined;
    lists.forEach((list, j) => {
      const d = j === 0 && o.wholeDecay !== undefined ? o.wholeDecay : o.decay;
      for (const c of list.slice(0, 10)) {
        if (taken.has(c.index)) continue;
        let sim = 0;
        for (const t of out) sim = Math.max(sim, cosine(p, c.index, t.index));
        const pen = o.lambda * Math.max(0, sim - o.tau) / (1 - o.tau);
        const v = c.score * d ** picked[j]! * (1 - pen);
        if (!best || v > best.v) best = { j, c, v };
      }
    });
    if (!best) break;
    taken.add(best.c.index);
    picked[best.j]!++;
    out.push(best.c);
  }
  return [...out, ...coverRankings(lists, (f) => String(f.index), 30).filter((c) => !taken.has(c.index))];
}

export type Model = { weights: number[]; bias: number; keepScores?: boolean; linear?: boolean; only?: "whole" | "parts" | "unsplit" };

/** Listwise (softmax over one query's candidates) logistic model: cross-entropy of the gold tools. */
export function fitListwise(groups: { X: number[][]; y: number[] }[], opts: { l2?: number; iters?: number; lr?: number } = {}) {
  const all = groups.flatMap((g) => g.X);
  const d = all[0]!.length;
  const mu = new Array(d).fill(0), sd = new Array(d).fill(0);
  for (const x of all) x.forEach((v, j) => (mu[j] += v / all.length));
  for (const x of all) x.forEach((v, j) => (sd[j] += (v - mu[j]) ** 2 / all.length));
  for (let j = 0; j < d; j++) sd[j] = Math.sqrt(sd[j]) || 1;
  const Z = groups.filter((g) => g.y.some((v) => v)).map((g) => ({ Z: g.X.map((x) => x.map((v, j) => (v - mu[j]) / sd[j])), y: g.y }));
  const w = new Array(d).fill(0);
  const l2 = opts.l2 ?? 1e-3, lr = opts.lr ?? 0.5;
  // Adam-free plain gradient descent with momentum.
  const v = new Array(d).fill(0);
  for (let it = 0; it < (opts.iters ?? 300); it++) {
    const g = new Array(d).fill(0);
    for (const { Z: zs, y } of Z) {
      const s = zs.map((z) => z.reduce((a, zj, j) => a + w[j] * zj, 0));
      const mx = Math.max(...s);
      const e = s.map((x) => Math.exp(x - mx));
      const sum = e.reduce((a, x) => a + x, 0);
      const npos = y.filter((t) => t).length;
      zs.forEach((z, i) => {
        const coef = e[i]! / sum - (y[i] ? 1 / npos : 0);
        for (let j = 0; j < d; j++) g[j] += coef * z[j]!;
      });
    }
    for (let j = 0; j < d; j++) {
      v[j] = 0.9 * v[j] - lr * (g[j] / Z.length + l2 * w[j]);
      w[j] += v[j];
    }
  }
  const raw = w.map((wj, j) => wj / sd[j]);
  return { weights: raw, bias: 0 };
}

export function rerank(cands: Cand[], model: Model | undefined): Cand[] {
  if (!model) return cands;
  if (model.keepScores) {
    // Order by the model, keep the list's fused score sequence (absolute scale for the coverage merge).
    const scores = cands.map((c) => c.score);
    return cands
      .map((c) => ({ c, s: c.f.reduce((a, v, j) => a + model.weights[j]! * v, model.bias) }))
      .sort((a, b) => b.s - a.s)
      .map(({ c }, i) => ({ ...c, score: scores[i]! }));
  }
  return cands
    .map((c) => {
      let s = model.bias;
      c.f.forEach((v, j) => (s += model.weights[j]! * v));
      return { ...c, score: model.linear ? s : 1 / (1 + Math.exp(-s)) };
    })
    .sort((a, b) => b.score - a.score);
}

export function recallOf(p: Prepared, model: Model | undefined, opts: { n?: number; split?: boolean; filter?: (q: BenchQuery) => boolean; merge?: (p: Prepared, lists: Cand[][]) => Cand[]; parts?: Model } = {}) {
  const per = new Map<string, number[]>();
  for (const { q, texts, dense } of p.queries) {
    if (opts.filter && !opts.filter(q)) continue;
    const useTexts = opts.split === false ? texts.slice(0, 1) : texts;
    const use = (j: number) => !model?.only || (model.only === "whole" ? j === 0 : model.only === "parts" ? j > 0 : useTexts.length === 1);
    const lists = useTexts.map((t, j) => rerank(candidates(p, t, dense[j]!, opts.n ?? DEPTH), j > 0 && opts.parts ? opts.parts : use(j) ? model : undefined));
    const ranked = (opts.merge ? opts.merge(p, lists) : coverRankings(lists, (f) => String(f.index), 30)).map((c) => p.data.catalog[c.index]!.name);
    const top5 = new Set(ranked.slice(0, 5));
    const r = q.gold.filter((g) => top5.has(g)).length / q.gold.length;
    const cat = p.data.name === "bfcl" ? q.id.replace(/_[\d-]+$/, "") : q.group;
    const key = `${cat}${texts.length > 1 ? "/split" : ""}`;
    if (!per.has(key)) per.set(key, []);
    per.get(key)!.push(r);
  }
  return Object.fromEntries([...per].sort().map(([k, v]) => [`${k}(${v.length})`, Number((v.reduce((a, x) => a + x, 0) / v.length).toFixed(3))]));
}

export function trainingGroups(p: Prepared, filter: (q: BenchQuery) => boolean, n = 30, mask?: boolean[]) {
  const out: { X: number[][]; y: number[] }[] = [];
  for (const { q, texts, dense } of p.queries) {
    if (!filter(q)) continue;
    const cs = candidates(p, texts[0]!, dense[0]!, n);
    out.push({ X: cs.map((c) => (mask ? c.f.map((v, j) => (mask[j] ? v : 0)) : c.f)), y: cs.map((c) => (q.gold.includes(p.data.catalog[c.index]!.name) ? 1 : 0)) });
  }
  return out;
}

/** One group per task part of the split requests (every gold tool of the request counts as a hit). */
export function partGroups(p: Prepared, filter: (q: BenchQuery) => boolean, n = 30) {
  const out: { X: number[][]; y: number[] }[] = [];
  for (const { q, texts, dense } of p.queries) {
    if (!filter(q)) continue;
    for (let j = 1; j < texts.length; j++) {
      const cs = candidates(p, texts[j]!, dense[j]!, n);
      out.push({ X: cs.map((c) => c.f), y: cs.map((c) => (q.gold.includes(p.data.catalog[c.index]!.name) ? 1 : 0)) });
    }
  }
  return out;
}

export function trainingSet(p: Prepared, filter: (q: BenchQuery) => boolean, n = 30, split = false) {
  const X: number[][] = [];
  const y: number[] = [];
  for (const { q, texts, dense } of p.queries) {
    if (!filter(q)) continue;
    const useTexts = split ? texts : texts.slice(0, 1);
    useTexts.forEach((t, j) => {
      for (const c of candidates(p, t, dense[j]!, n)) {
        X.push(c.f);
        y.push(q.gold.includes(p.data.catalog[c.index]!.name) ? 1 : 0);
      }
    });
  }
  return { X, y };
}

const FUSION = process.env.DENSE ? { method: "weighted" as const, denseWeight: Number(process.env.DENSE), keywordWeight: 1 - Number(process.env.DENSE) } : DEFAULT_FUSION;

/** Head size re-ranked (DEPTH=... to try others; the index uses RERANK_DEPTH). */
const DEPTH = Number(process.env.DEPTH ?? RERANK_DEPTH);

/** MetaTool dev queries used for fitting (the other half validates). */
const fitHalf = (q: BenchQuery) => q.id.charCodeAt(q.id.length - 1) % 2 === 0;

async function main() {
  const dir = benchmarksDir();
  const bfcl = bfclDataset(dir);
  const p = await prepare(bfcl, allowedQueries(bfcl));
  const meta = metatoolDataset(dir, 2000);
  const pm = await prepare(meta, allowedQueries(meta).filter((q) => q.group === "single-tool"));
  const app = await appDataset();
  const pa = await prepare(app, allowedQueries(app));
  const row = (label: string, m: Model | undefined, merge?: (p: Prepared, lists: Cand[][]) => Cand[]) => {
    const b = recallOf(p, m, { merge });
    const pick = (k: string) => Object.entries(b).filter(([x]) => x.replace(/\(.*/, "").replace("/split", "") === k).map(([x, v]) => `${x}=${v}`).join(" ");
    const one = (r: Record<string, number>) => Object.entries(r).map(([x, v]) => `${x}=${v}`).join(" ");
    console.log(`\n${label}\n  target dev: ${["multiple", "parallel_multiple", "live_multiple", "live_parallel_multiple"].map(pick).join(" ")}`);
    console.log(`  fit (BFCL non-target): ${["simple_python", "live_simple", "parallel", "live_parallel"].map(pick).join(" ")}`);
    console.log(`  MetaTool dev fit half: ${one(recallOf(pm, m, { filter: fitHalf, merge }))} | held-out half: ${one(recallOf(pm, m, { filter: (q) => !fitHalf(q), merge }))}`);
    console.log(`  app dev (all 54 tools): ${one(recallOf(pa, m, { merge }))}`);
  };
  row("fused ranking (no re-ranker)", undefined);
  if (EXTRA.length === 0) row("re-ranker with the weights in src/retrieval/rerank.ts", { weights: [...RERANK_WEIGHTS], bias: 0, keepScores: true, only: "whole" });
  if (process.env.REFIT !== "0") {
    const isFit = (q: BenchQuery) => TRAIN_GROUPS.has(q.group);
    const groups = [...trainingGroups(p, isFit, DEPTH), ...trainingGroups(pm, fitHalf, DEPTH)];
    const fitted = fitListwise(groups, { l2: 0.01 });
    console.log(`\nrefitted on ${groups.length} requests:\nexport const RERANK_WEIGHTS: readonly number[] = [${fitted.weights.map((w) => Number(w.toFixed(3))).join(", ")}];`);
    row("refitted weights", { ...fitted, keepScores: true, only: "whole" });
    if (!process.env.EXTRA) row("refitted weights, also on the parts of multi-task requests", { ...fitted, keepScores: true });
  }
  if (process.env.PARTS) {
    const mm = await prepare(meta, meta.queries.filter((q) => q.group === "multi-tool"));
    const whole: Model = { weights: [...RERANK_WEIGHTS], bias: 0, keepScores: true, only: "whole" };
    const isFit = (q: BenchQuery) => TRAIN_GROUPS.has(q.group);
    for (const src of ["bfcl", "bfcl+mtmulti", "bfcl+mtmulti+mtsingle"]) {
      const groups = [...partGroups(p, isFit), ...(src.includes("mtmulti") ? partGroups(mm, () => true) : []), ...(src.includes("mtsingle") ? partGroups(pm, fitHalf) : [])];
      for (const l2 of [0.01, 0.1]) {
        const partModel: Model = { ...fitListwise(groups, { l2 }), keepScores: true };
        const b = recallOf(p, whole, { parts: partModel });
        console.log(`parts model ${src} l2 ${l2} (${groups.length} parts):`, JSON.stringify(Object.fromEntries(Object.entries(b).filter(([k]) => k.includes("split")))), "mt multi", JSON.stringify(recallOf(mm, whole, { parts: partModel })), "mt single held-out", JSON.stringify(recallOf(pm, whole, { parts: partModel, filter: (q) => !fitHalf(q) })));
      }
    }
    console.log("no parts model:", JSON.stringify(Object.fromEntries(Object.entries(recallOf(p, whole)).filter(([k]) => k.includes("split")))), "mt multi", JSON.stringify(recallOf(mm, whole)));
  }
  if (process.env.NOSPLIT) {
    const mm = await prepare(meta, meta.queries.filter((q) => q.group === "multi-tool"));
    for (const split of [true, false]) {
      const b = recallOf(p, undefined, { split });
      console.log(`query splitting ${split ? "on" : "off"}:`, JSON.stringify(Object.fromEntries(Object.entries(b).filter(([k]) => k.includes("split")))), "mt multi", JSON.stringify(recallOf(mm, undefined, { split })), "mt single dev", JSON.stringify(recallOf(pm, undefined, { split })));
    }
  }
  if (process.env.MERGE) {
    const mm = await prepare(meta, meta.queries.filter((q) => q.group === "multi-tool"));
    const model: Model = { weights: [...RERANK_WEIGHTS], bias: 0, keepScores: true, only: "whole" };
    for (const decay of [0.3, 0.4, 0.5, 0.6, 0.7]) {
      for (const wd of [undefined, 0.3, 0.7]) {
        const merge = (pp: Prepared, lists: Cand[][]) => diverseCover(pp, lists, { decay, lambda: 0, tau: 0.5, ...(wd !== undefined ? { wholeDecay: wd } : {}) });
        row(`merge decay ${decay} whole decay ${wd ?? decay}`, model, merge);
        console.log(`  MetaTool multi-tool (all): ${JSON.stringify(recallOf(mm, model, { merge }))}`);
      }
    }
  }
  if (process.env.DIVERSITY) {
    for (const [lambda, tau] of [[0.5, 0.7], [1, 0.8]] as const) row(`near-duplicate penalty lambda ${lambda} tau ${tau}`, undefined, (pp, lists) => diverseCover(pp, lists, { decay: 0.5, lambda, tau }));
  }
}

if (process.argv[1]?.endsWith("retrieval-rerank.ts")) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
