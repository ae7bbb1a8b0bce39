/**
 * A small learned re-ranker over the fused ranking's head: a linear model over per-candidate features the index
 * can compute cheaply (cosine, scaled BM25F, BM25 per field, how many of the tool's name words and parameter
 * names the request uses, the candidate's fused rank). Catalogues full of near-duplicates (`restaurant.find`,
 * `restaurant.search`, `restaurant.find_nearby`) are where the fused score alone cannot tell which one the
 * request names; these features can.
 *
 * Nothing in it is specific to one catalogue: the weights below were fitted once (listwise softmax
 * cross-entropy, L2 0.01, on the top 30 of each request) by `npx tsx bench/retrieval-rerank.ts` on requests that
 * are in no reported target: BFCL's simple_python, live_simple, parallel and live_parallel categories (every
 * split) and half of MetaTool's single-tool dev split. Validated on the other half of MetaTool's dev split,
 * the app's dev split and BFCL's target groups' dev splits (README, "Tool retrieval").
 *
 * Opt-in (`ToolIndex.build(docs, { rerank: true })`): it raised recall@5 on every dev split (BFCL
 * multiple+parallel_multiple 0.948 -> 0.961, live 0.879 -> 0.897, MetaTool held-out half 0.786 -> 0.797, app
 * 0.951 -> 0.983 in the fitting harness) but not on the test splits (BFCL 0.870 -> 0.872, live 0.884 -> 0.875,
 * app 0.983 -> 0.976, below its 0.98 target; MetaTool 0.759 -> 0.764), so the default ranking stays the fused one.
 *
 * Only the whole request's ranking is re-ranked (a multi-task request's parts keep their fused order: on the
 * parts the same model lowered BFCL parallel_multiple dev recall), and re-ranked candidates take over the fused
 * scores of the slots they move into, so the scores keep the fused scale the coverage merge and the no-tool
 * threshold compare across rankings.
 */
import { Bm25Index, tokenize } from "./bm25.js";
import type { Fused } from "./fusion.js";
import { keywordFields, nameWords, parameterTexts, type ToolDocument } from "./tool-document.js";

/** How many of the fused ranking's first candidates are re-ranked (the model was fitted on this head). */
export const RERANK_DEPTH = 30;

/** The features, in the order of `RERANK_WEIGHTS`. */
export const RERANK_FEATURES = [
  "fused", // the fused score
  "dense", // cosine of the best vector
  "keyword", // BM25F / the query's ceiling
  "bm25Name", // BM25 over the name words alone, / its ceiling
  "bm25Description",
  "bm25Parameters",
  "nameCover", // share of the tool's name words the request uses
  "nameMissing", // log(1 + name words the request does not use)
  "parameterCover", // share of the tool's parameter-name words the request uses
  "rankInverse", // 1 / (1 + fused rank)
  "nameShareOfQuery", // share of the request's words that are the tool's name words
] as const;

/**
 * Fitted weights (raw feature scale) of the linear score; refit with `npx tsx bench/retrieval-rerank.ts`, which
 * prints this constant.
 */
export const RERANK_WEIGHTS: readonly number[] = [7.038, 5.656, 3.099, -0.89, 0.682, 2.601, 1.755, -0.302, 1.253, 1.436, -2.702];

type Field = "name" | "description" | "parameters";

/** Per-tool data the features need, computed once per catalogue. */
export class RerankContext {
  private readonly fields: Record<Field, Bm25Index<"text">>;
  private readonly nameWordSets: Set<string>[];
  private readonly parameterWordSets: Set<string>[];

  constructor(docs: readonly ToolDocument[]) {
    const kf = docs.map(keywordFields);
    const one = (f: Field) => new Bm25Index<"text">(kf.map((x) => ({ fields: { text: x[f] } })));
    this.fields = { name: one("name"), description: one("description"), parameters: one("parameters") };
    this.nameWordSets = docs.map((d) => new Set(tokenize(nameWords(d.name))));
    this.parameterWordSets = docs.map((d) => new Set(parameterTexts(d.parameters).flatMap((p) => tokenize(nameWords(p.name)))));
  }

  /** The feature vectors of `head` (the fused ranking's first candidates, best first) for `query`. */
  features(query: string, head: readonly Fused[]): number[][] {
    const words = tokenize(query);
    const queryWords = new Set(words);
    const field = (f: Field): ((i: number) => number) => {
      const index = this.fields[f];
      const scores = index.scores(words);
      const ceiling = index.ceiling(words) || 1;
      return (i) => Math.min(scores[i]! / ceiling, 1);
    };
    const bmName = field("name");
    const bmDescription = field("description");
    const bmParameters = field("parameters");
    return head.map((c, rank) => {
      const nameSet = this.nameWordSets[c.index]!;
      let nameHits = 0;
      for (const w of nameSet) if (queryWords.has(w)) nameHits++;
      const paramSet = this.parameterWordSets[c.index]!;
      let paramHits = 0;
      for (const w of paramSet) if (queryWords.has(w)) paramHits++;
      return [
        c.score,
        c.dense ?? 0,
        c.keyword,
        bmName(c.index),
        bmDescription(c.index),
        bmParameters(c.index),
        nameSet.size ? nameHits / nameSet.size : 0,
        Math.log1p(nameSet.size - nameHits),
        paramSet.size ? paramHits / paramSet.size : 0,
        1 / (1 + rank),
        queryWords.size ? nameHits / queryWords.size : 0,
      ];
    });
  }

  /**
   * Re-orders the first `depth` candidates of a fused ranking (best first) by the linear model; the rest keep
   * their place. Each re-ranked candidate takes the fused score of the slot it lands in.
   * @example context.rerank("find restaurants near me", fuse(raw))
   */
  rerank(query: string, ranked: readonly Fused[], weights: readonly number[] = RERANK_WEIGHTS, depth = RERANK_DEPTH): Fused[] {
    const head = ranked.slice(0, depth);
    if (head.length < 2) return [...ranked];
    const feats = this.features(query, head);
    const order = head
      .map((c, i) => ({ c, s: feats[i]!.reduce((a, v, j) => a + (weights[j] ?? 0) * v, 0), i }))
      .sort((a, b) => b.s - a.s || a.i - b.i);
    return [...order.map(({ c }, slot) => ({ ...c, score: head[slot]!.score })), ...ranked.slice(depth)];
  }
}
