/** Ranking metrics of the retrieval bench, accumulated per group. */

export interface QueryOutcome {
  group: string;
  gold: string[];
  /** Ranked tool names (canonical), best first. */
  ranked: string[];
  /** Whether the no-tool threshold fired. */
  noTool: boolean;
  /** Tokens of the tool schemas bound for this query (the selection) and of all tools it could bind. */
  schemaTokensSelected?: number;
  schemaTokensAll?: number;
}

/**
 * Metrics over a set of outcomes.
 * - `recall@k`: share of a query's gold tools in its top k, averaged over queries that have gold tools;
 * - `mrr`: reciprocal rank of the first gold tool (0 when not ranked);
 * - `all_gold@5`: share of queries with every gold tool in the top 5;
 * - `no_tool_precision` / `no_tool_recall`: the no-tool decision against queries with no gold tool
 *   (only when both kinds of query are present), or `no_tool_rate` (share of queries flagged) otherwise;
 * - `schema_tokens_selected` / `schema_tokens_all`: mean tokens of the bound tool schemas.
 */
export function rankingMetrics(outcomes: QueryOutcome[], ks: number[], options: { noTool?: boolean } = {}): Record<string, number> {
  const m: Record<string, number> = {};
  const withGold = outcomes.filter((o) => o.gold.length > 0);
  const without = outcomes.filter((o) => o.gold.length === 0);
  if (withGold.length > 0) {
    for (const k of ks) {
      m[`recall@${k}`] = mean(withGold.map((o) => hits(o, k) / o.gold.length));
    }
    m.mrr = mean(
      withGold.map((o) => {
        const r = o.ranked.findIndex((name) => o.gold.includes(name));
        return r < 0 ? 0 : 1 / (r + 1);
      }),
    );
    m["all_gold@5"] = mean(withGold.map((o) => (hits(o, 5) === o.gold.length ? 1 : 0)));
  }
  if (options.noTool === false) {
    // ranking only (the BM25 floor makes no no-tool decision)
  } else if (withGold.length > 0 && without.length > 0) {
    const flagged = outcomes.filter((o) => o.noTool);
    const correct = flagged.filter((o) => o.gold.length === 0).length;
    m.no_tool_precision = flagged.length > 0 ? correct / flagged.length : 0;
    m.no_tool_recall = correct / without.length;
  } else {
    m.no_tool_rate = mean(outcomes.map((o) => (o.noTool ? 1 : 0)));
  }
  const sel = outcomes.filter((o) => o.schemaTokensSelected !== undefined);
  if (sel.length > 0) {
    m.schema_tokens_selected = mean(sel.map((o) => o.schemaTokensSelected!));
    m.schema_tokens_all = mean(sel.map((o) => o.schemaTokensAll!));
  }
  m.queries = outcomes.length;
  return m;
}

function hits(o: QueryOutcome, k: number): number {
  const top = new Set(o.ranked.slice(0, k));
  return o.gold.filter((g) => top.has(g)).length;
}

function mean(values: number[]): number {
  return values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length;
}
