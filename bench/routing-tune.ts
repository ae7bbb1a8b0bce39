/**
 * Tuning harness for the fast router's thresholds, on the dev split of the routing set only:
 *
 *   npx tsx bench/routing-tune.ts [--data evals/datasets/routing.jsonl] [--split dev]
 *
 * (`--data evals/datasets/routing-tune.jsonl` is the set written for this: blind to the router's examples.)
 *
 * Scores every row once (embedding router rankings and the fallback model's decision), then tries a grid of
 * thresholds with the pure decision rule and prints the settings with the largest fast share whose fast-path
 * accuracy is at least 0.98, with their overall accuracy.
 */
import { readRoutingRows } from "./routing-data.js";
import { appEmbeddingRouter } from "../src/routing/route-request.js";
import { decideFastRoute, type FastRouterSettings, type ScoredRequest } from "../src/routing/embedding-router.js";
import { decideRoute, routingThreshold } from "../graphs/meta/router.js";
import { chatModel, tierFor } from "../src/models/provider.js";

const argv = process.argv.slice(2);
const flag = (name: string, fallback: string) => (argv.includes(name) ? argv[argv.indexOf(name) + 1]! : fallback);
const rows = readRoutingRows(flag("--data", "evals/datasets/routing.jsonl")).filter((r) => flag("--split", "dev") === "all" || r.split === flag("--split", "dev"));
const router = await appEmbeddingRouter();
const model = chatModel(tierFor("meta", "fast"));
const threshold = routingThreshold();
const key = (routes: string[]) => JSON.stringify([...new Set(routes)].sort());
const scored: { scored: ScoredRequest; expected: string; modelOk: boolean }[] = [];
for (const row of rows) {
  const rowScores = await router.score(row.request);
  // The model sees the router's nearest examples, as in routeRequest.
  const decision = await decideRoute(model, row.request, (rowScores.similar ?? []).map(({ route, text }) => ({ route, text })));
  const modelRoutes = decision.confidence < threshold ? [] : decision.routes;
  scored.push({ scored: rowScores, expected: key(row.expected), modelOk: key(modelRoutes) === key(row.expected) });
}
const grid = (from: number, to: number, step: number) => Array.from({ length: Math.round((to - from) / step) + 1 }, (_, i) => Number((from + i * step).toFixed(3)));
const results: { s: Omit<FastRouterSettings, "enabled">; share: number; fastAcc: number; overall: number }[] = [];
for (const minScore of grid(0.3, 0.6, 0.02))
  for (const minMargin of grid(0, 0.16, 0.02))
    for (const partMinScore of grid(0.3, 0.6, 0.05))
      for (const partMinMargin of grid(0, 0.16, 0.04))
        for (const clarifyBelow of [0, 0.25, 0.27, 0.3]) {
          const s = { minScore, minMargin, partMinScore, partMinMargin, clarifyBelow };
          let fast = 0;
          let fastOk = 0;
          let ok = 0;
          for (const item of scored) {
            const d = decideFastRoute(item.scored, s);
            if (d.confident) {
              fast++;
              if (key(d.routes) === item.expected) (fastOk++, ok++);
            } else if (item.modelOk) ok++;
          }
          results.push({ s, share: fast / scored.length, fastAcc: fast ? fastOk / fast : 1, overall: ok / scored.length });
        }
const minM = Number(flag("--min-margin-floor", "0"));
const good = results.filter((r) => r.fastAcc >= 0.98 && r.s.minMargin >= minM && r.s.partMinMargin >= minM).sort((a, b) => b.share - a.share || b.overall - a.overall || b.s.minScore - a.s.minScore);
console.log(`${rows.length} rows; model alone ${(scored.filter((x) => x.modelOk).length / scored.length).toFixed(3)}`);
for (const r of good.slice(0, 15)) console.log(JSON.stringify(r.s), `share ${r.share.toFixed(3)} fast ${r.fastAcc.toFixed(3)} overall ${r.overall.toFixed(3)}`);
