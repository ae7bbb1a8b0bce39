/**
 * Score fusion for hybrid tool retrieval: one fused score per candidate from a dense (cosine) score and a
 * keyword (BM25) score.
 *
 * Two methods, both measured by `npm run bench -- retrieval` (see the README's "Tool retrieval" section):
 * - `weighted`: `wDense * cosine + wKeyword * bm25 / ceiling`, where `ceiling` is the best BM25 score the
 *   query could reach. Both parts are on absolute 0..1 scales, so the fused score means the same thing
 *   from one query to the next and a single no-tool threshold works across queries.
 * - `rrf`: reciprocal rank fusion, `sum of w / (k + rank)`. Scale-free, but its scores only order the
 *   candidates of one query: they cannot say "nothing here fits".
 */

export type FusionMethod = "weighted" | "rrf";

export interface FusionOptions {
  method: FusionMethod;
  /** Weight of the dense score. */
  denseWeight: number;
  /** Weight of the keyword score. */
  keywordWeight: number;
  /** RRF's rank offset. @default 60 */
  rrfK?: number;
}

/** The default, chosen by measurement on the dev splits (see the README). */
export const DEFAULT_FUSION: FusionOptions = { method: "weighted", denseWeight: 0.4, keywordWeight: 0.6 };

export interface FusionInput {
  /** Candidate positions to fuse (already filtered: only these can be ranked). */
  candidates: readonly number[];
  /** Cosine similarity per position; NaN where the dense ranker gave no score (outside its top results). */
  dense?: ArrayLike<number>;
  /** BM25 score per position (0 = no keyword match). */
  keyword: ArrayLike<number>;
  /** The query's BM25 ceiling (`Bm25Index.ceiling`); scales keyword scores to 0..1. */
  keywordCeiling: number;
}

export interface Fused {
  index: number;
  score: number;
  /** Cosine similarity, or undefined without a dense score. */
  dense: number | undefined;
  /** Keyword score on the 0..1 scale (BM25 / ceiling). */
  keyword: number;
}

/** Fuses and sorts the candidates, best first (ties: keyword score, then position). */
export function fuse(input: FusionInput, options: FusionOptions = DEFAULT_FUSION): Fused[] {
  const { candidates, dense, keyword } = input;
  const ceiling = input.keywordCeiling > 0 ? input.keywordCeiling : 1;
  // Without dense scores the dense part has no say; the keyword part then ranks alone.
  const denseOf = (i: number): number | undefined => {
    const d = dense?.[i];
    return d === undefined || Number.isNaN(d) ? undefined : d;
  };
  let out: Fused[];
  if (options.method === "rrf") {
    const k = options.rrfK ?? 60;
    const denseRank = rankOf(candidates, (i) => denseOf(i) ?? Number.NEGATIVE_INFINITY, (i) => denseOf(i) !== undefined);
    const keywordRank = rankOf(candidates, (i) => keyword[i]!, (i) => keyword[i]! > 0);
    out = candidates.map((i) => {
      const dr = denseRank.get(i);
      const kr = keywordRank.get(i);
      const score = (dr ? options.denseWeight / (k + dr) : 0) + (kr ? options.keywordWeight / (k + kr) : 0);
      return { index: i, score, dense: denseOf(i), keyword: keyword[i]! / ceiling };
    });
  } else {
    const hasDense = candidates.some((i) => denseOf(i) !== undefined);
    out = candidates.map((i) => {
      const d = denseOf(i);
      const kw = Math.min(keyword[i]! / ceiling, 1);
      const score = hasDense ? options.denseWeight * Math.max(d ?? 0, 0) + options.keywordWeight * kw : kw;
      return { index: i, score, dense: d, keyword: kw };
    });
  }
  return out.sort((a, b) => b.score - a.score || b.keyword - a.keyword || a.index - b.index);
}

/** 1-based ranks by descending value, for candidates that `has` a value. */
function rankOf(candidates: readonly number[], value: (i: number) => number, has: (i: number) => boolean): Map<number, number> {
  const ranked = candidates.filter(has).sort((a, b) => value(b) - value(a) || a - b);
  return new Map(ranked.map((i, r) => [i, r + 1]));
}
