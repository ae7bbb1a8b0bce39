/**
 * Tuning harness for tool retrieval (not a bench: run it with `npx tsx bench/retrieval-tune.ts [datasets]`).
 * Uses the DEV split only: the figures reported by `npm run bench -- retrieval` are on the test split, so the
 * choices made here (text representation, fusion method and weights, BM25 field weights, query splitting,
 * no-tool threshold) never saw a test query.
 *
 * For each dataset and text representation it computes the raw dense scores of every dev query (and of its
 * task parts, see `query-split.ts`) once, then scores settings on them in memory. Vectors are cached in
 * `.data/tune-embeddings`. Environment: TUNE_REPS (representations), TUNE_FIELDS=1 (BM25 field grid),
 * TUNE_SPLIT=1 (query splitting), TUNE_THRESHOLD=1 (no-tool threshold).
 */
import path from "node:path";
import { Bm25Index } from "../src/retrieval/bm25.js";
import { retrievalEmbeddings } from "../src/retrieval/embeddings.js";
import { DEFAULT_FUSION, fuse, type FusionOptions, type Fused } from "../src/retrieval/fusion.js";
import { coverRankings, interleave, splitQuery } from "../src/retrieval/query-split.js";
import { embeddingTexts, keywordFields, mainText, nameWords, parameterTexts, type ToolDocument } from "../src/retrieval/tool-document.js";
import { DEFAULT_FIELD_WEIGHTS, ToolIndex, type KeywordField } from "../src/retrieval/tool-index.js";
import { appDataset, benchmarksDir, bfclDataset, metatoolDataset, type BenchDataset, type BenchQuery } from "./retrieval-data.js";
import { rankingMetrics, type QueryOutcome } from "./retrieval-metrics.js";

type Texts = (doc: ToolDocument) => string[];

const short = (d: ToolDocument) => `${nameWords(d.name)}: ${d.description.trim()}`;
const withParamNames = (d: ToolDocument) => {
  const names = parameterTexts(d.parameters).map((p) => nameWords(p.name));
  return names.length ? `${short(d)} (${names.join(", ")})` : short(d);
};
const examples = (d: ToolDocument) => (d.examples ?? []).filter((e) => e.trim());

export const REPRESENTATIONS: Record<string, Texts> = {
  short: (d) => [short(d), ...examples(d)],
  paramNames: (d) => [withParamNames(d), ...examples(d)],
  full: (d) => [mainText(d), ...examples(d)],
  default: embeddingTexts,
  shortNoExamples: (d) => [short(d)],
  sentences: (d) => {
    const sentences = d.description.split(/(?<=[.!?])\s+(?=[A-Z])/).map((x) => x.trim()).filter((x) => x.length > 20);
    return [short(d), ...(sentences.length > 1 ? sentences.map((x) => `${nameWords(d.name)}: ${x}`) : []), ...examples(d)];
  },
  nameAndFirst: (d) => {
    const first = d.description.split(/(?<=[.!?])\s+(?=[A-Z])/)[0]!.trim();
    return [short(d), ...(first !== d.description.trim() ? [`${nameWords(d.name)}: ${first}`] : []), ...examples(d)];
  },
};

interface Raw {
  q: BenchQuery;
  /** Whole request first, then its task parts. */
  texts: string[];
  dense: Float64Array[];
}

async function rawScores(data: BenchDataset, queries: BenchQuery[], texts: Texts): Promise<Raw[]> {
  const { embeddings } = retrievalEmbeddings(process.env, { cacheDir: path.resolve(".data/tune-embeddings") });
  const t = performance.now();
  const index = await ToolIndex.build(data.catalog, { embeddings, texts, denseCandidates: 100_000 });
  process.stderr.write(`  built ${data.name} in ${((performance.now() - t) / 1000).toFixed(1)} s\n`);
  const out: Raw[] = [];
  for (let i = 0; i < queries.length; i += 32) {
    const batch = queries.slice(i, i + 32).map((q) => ({ q, texts: [q.query, ...splitQuery(q.query)] }));
    await index.prepare(batch.flatMap((b) => b.texts));
    for (const b of batch) {
      const dense: Float64Array[] = [];
      for (const t of b.texts) dense.push((await index.rawScores(t)).dense!);
      out.push({ ...b, dense });
    }
  }
  return out;
}

type Strategy = "none" | "interleave" | "interleave2" | "interleave2kw" | "partsFirst" | "max" | "cover";

function evaluate(data: BenchDataset, raws: Raw[], bm25: Bm25Index<KeywordField>, fusion: FusionOptions, strategy: Strategy = "none", threshold = -1) {
  const candidates = data.catalog.map((_, i) => i);
  const outcomes: QueryOutcome[] = raws.map(({ q, texts, dense }) => {
    const lists = (strategy === "none" ? texts.slice(0, 1) : texts).map((t, j) =>
      fuse({ candidates, dense: strategy === "interleave2kw" && j > 0 ? undefined : dense[j]!, keyword: bm25.scores(t), keywordCeiling: bm25.ceiling(t) }, fusion).slice(0, 20),
    );
    let ranked: Fused[];
    if (strategy === "max") {
      const best = new Map<number, Fused>();
      for (const l of lists) for (const f of l) if ((best.get(f.index)?.score ?? -1) < f.score) best.set(f.index, f);
      ranked = [...best.values()].sort((a, b) => b.score - a.score);
    } else if (strategy === "cover") {
      ranked = coverRankings(lists, (f) => String(f.index), 20);
    } else if (strategy === "partsFirst" && lists.length > 1) {
      ranked = interleave([...lists.slice(1), lists[0]!], (f) => String(f.index), 20);
    } else if ((strategy === "interleave2" || strategy === "interleave2kw") && lists.length > 1) {
      ranked = interleave([lists[0]!.slice(0, 2), ...lists.slice(1), lists[0]!.slice(2)], (f) => String(f.index), 20);
    } else ranked = interleave(lists, (f) => String(f.index), 20);
    const best = Math.max(...lists.map((l) => l[0]?.score ?? 0));
    return { group: q.group, gold: q.gold, ranked: ranked.map((r) => data.catalog[r.index]!.name), noTool: best < threshold };
  });
  const groups: Record<string, Record<string, number>> = { all: rankingMetrics(outcomes, [1, 5]) };
  for (const g of new Set(outcomes.map((o) => o.group))) groups[g] = rankingMetrics(outcomes.filter((o) => o.group === g), [1, 5]);
  return groups;
}

function bm25For(data: BenchDataset, weights: Partial<Record<KeywordField, number>>, k1 = 1.2, b = 0.75) {
  return new Bm25Index<KeywordField>(data.catalog.map((d) => ({ fields: keywordFields(d) })), { ...DEFAULT_FIELD_WEIGHTS, ...weights }, { k1, b });
}

function line(label: string, groups: Record<string, Record<string, number>>): string {
  const parts = Object.entries(groups)
    .filter(([g]) => g !== "irrelevance" && g !== "no-tool")
    .map(([g, m]) => `${g.replace("live_multiple+live_parallel_multiple", "live").replace("multiple+parallel_multiple", "multi")}: ${(m["recall@5"] ?? 0).toFixed(3)}/${(m.mrr ?? 0).toFixed(3)}`);
  return `${label.padEnd(40)} ${parts.join(" | ")}`;
}

/** One table over every dataset: each setting's dev recall@5 on the target groups and their mean. */
async function grid(dir: string) {
  const sets: { data: BenchDataset; raws: Raw[]; targets: string[] }[] = [];
  for (const [name, targets] of [["app", ["all"]], ["metatool", ["single-tool"]], ["bfcl", ["multiple+parallel_multiple", "live_multiple+live_parallel_multiple"]]] as const) {
    const data = name === "bfcl" ? bfclDataset(dir) : name === "metatool" ? metatoolDataset(dir, 2000) : await appDataset();
    sets.push({ data, raws: await rawScores(data, data.queries.filter((q) => q.split === "dev"), embeddingTexts), targets: [...targets] });
  }
  console.log("dense | fields n/d/p/e | k1 b | split -> app, metatool single, bfcl multi, bfcl live | mean (recall@5, dev)");
  const fieldGrid = [
    { name: 1, description: 1, parameters: 1, examples: 1 },
    { name: 2, description: 1, parameters: 1, examples: 1 },
    { name: 2, description: 1, parameters: 0.5, examples: 1 },
    { name: 1.5, description: 1, parameters: 0.75, examples: 1 },
  ];
  const rows: [string, number][] = [];
  for (const dense of [0.3, 0.35, 0.4, 0.45]) {
    for (const fields of fieldGrid) {
      for (const [k1, b] of [[1.2, 0.75], [0.9, 0.4], [1.2, 0.5]] as const) {
        for (const split of ["none", "interleave2", "cover"] as Strategy[]) {
          const figures: number[] = [];
          for (const set of sets) {
            const groups = evaluate(set.data, set.raws, bm25For(set.data, fields, k1, b), { method: "weighted", denseWeight: dense, keywordWeight: 1 - dense }, split);
            for (const t of set.targets) figures.push(groups[t]!["recall@5"]!);
          }
          const mean = figures.reduce((a, x) => a + x, 0) / figures.length;
          const label = `${dense} | ${Object.values(fields).join("/")} | ${k1} ${b} | ${split}`;
          rows.push([label, mean]);
          console.log(`${label.padEnd(40)} -> ${figures.map((f) => f.toFixed(3)).join(", ")} | ${mean.toFixed(4)}`);
        }
      }
    }
  }
  rows.sort((a, b) => b[1] - a[1]);
  console.log("best:", rows.slice(0, 8));
}

async function main(argv: string[]) {
  const dir = benchmarksDir();
  if (process.env.TUNE_GRID) return grid(dir);
  const which = argv.length ? argv : ["app", "bfcl", "metatool"];
  const reps = (process.env.TUNE_REPS ?? "default").split(",");
  const weightsGrid = (process.env.TUNE_WEIGHTS ?? "0.25,0.3,0.35,0.4,0.45,0.5").split(",").map(Number);
  console.log("figures: recall@5/mrr per group, dev split");
  for (const name of which) {
    const data = name === "bfcl" ? bfclDataset(dir) : name === "metatool" ? metatoolDataset(dir, 2000) : await appDataset();
    const dev = data.queries.filter((q) => q.split === "dev");
    console.log(`\n== ${name}: ${data.catalog.length} tools, ${dev.length} dev queries`);
    const bm25 = bm25For(data, {});
    for (const rep of reps) {
      const raws = await rawScores(data, dev, REPRESENTATIONS[rep]!);
      const keywordOnly: FusionOptions = { method: "weighted", denseWeight: 0, keywordWeight: 1 };
      console.log(line(`[${rep}] keyword (BM25F) only`, evaluate(data, raws, bm25, keywordOnly)));
      console.log(line(`[${rep}] dense only`, evaluate(data, raws, bm25, { method: "weighted", denseWeight: 1, keywordWeight: 0 })));
      for (const w of weightsGrid) {
        console.log(line(`[${rep}] weighted dense ${w}`, evaluate(data, raws, bm25, { method: "weighted", denseWeight: w, keywordWeight: 1 - w })));
      }
      for (const k of [10, 60]) console.log(line(`[${rep}] rrf k=${k} dense 0.5`, evaluate(data, raws, bm25, { method: "rrf", rrfK: k, denseWeight: 0.5, keywordWeight: 0.5 })));
      const base: FusionOptions = { ...DEFAULT_FUSION };
      if (process.env.TUNE_SPLIT) {
        for (const s of ["none", "interleave2", "interleave2kw", "cover"] as Strategy[]) console.log(line(`[${rep}] split ${s}`, evaluate(data, raws, bm25, base, s)));
      }
      if (process.env.TUNE_FIELDS) {
        for (const weights of [
          { name: 1, description: 1, parameters: 1, examples: 1 },
          { name: 2, description: 1, parameters: 0.5, examples: 1 },
          { name: 3, description: 1, parameters: 0.5, examples: 1 },
          { name: 2, description: 1, parameters: 0.25, examples: 1 },
          { name: 2, description: 1, parameters: 1, examples: 1 },
          { name: 2, description: 1, parameters: 0, examples: 1 },
          { name: 2, description: 1, parameters: 0.5, examples: 2 },
        ]) {
          for (const [k1, b] of [[1.2, 0.75], [1.5, 0.5], [0.9, 0.4], [1.2, 0.9]] as const) {
            console.log(line(`[${rep}] ${Object.values(weights).join("/")} k1 ${k1} b ${b}`, evaluate(data, raws, bm25For(data, weights, k1, b), base)));
          }
        }
      }
      if (process.env.TUNE_THRESHOLD) {
        for (const th of [0.15, 0.2, 0.22, 0.24, 0.26, 0.28, 0.3, 0.32, 0.35, 0.4]) {
          const groups = evaluate(data, raws, bm25, base, "cover", th);
          const g = groups.all!;
          const wrong = Object.entries(groups).filter(([k]) => k !== "all" && k !== "irrelevance" && k !== "no-tool").map(([k, m]) => `${k} ${(m.no_tool_rate ?? 0).toFixed(3)}`);
          console.log(`  threshold ${th}: no_tool_precision ${g.no_tool_precision?.toFixed(3)} recall ${g.no_tool_recall?.toFixed(3)}; wrongly flagged: ${wrong.join(", ")}`);
        }
      }
    }
  }
}

main(process.argv.slice(2)).catch((error) => {
  console.error(error);
  process.exit(1);
});
