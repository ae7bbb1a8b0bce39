/**
 * Tuning harness for the fast router's thresholds:
 *
 *   npx tsx bench/routing-tune.ts [--data evals/datasets/routing-tune.jsonl] [--split all] [--lofo]
 *                                 [--min-accuracy 0.985] [--min-margin-floor 0]
 *
 * Scores every row once (embedding router rankings), then tries a grid of thresholds with the pure decision rule
 * and prints the settings with the largest share routed without a model call whose fast-path accuracy is at least
 * `--min-accuracy`. `--data` rows are scored by the app's router (`evals/datasets/routing-tune.jsonl` was written
 * blind to its examples). `--lofo` adds every labelled examples file (`config/router-examples*.jsonl`), each scored
 * by a router built without that file: held-out requests in every writer's style, about 5,000 in all, so the
 * thresholds do not fit one small set. Without `--lofo` the harness also asks the router model for every row and
 * prints each setting's overall accuracy. No routing evaluation set other than `--data` is read.
 */
import { readRoutingRows } from "./routing-data.js";
import { appEmbeddingRouter } from "../src/routing/route-request.js";
import { EmbeddingRouter, decideFastRoute, type FastRouterSettings, type ScoredRequest } from "../src/routing/embedding-router.js";
import { appRouteExamples, routerExampleFiles } from "../src/routing/route-examples.js";
import { EntityEvidence } from "../src/routing/entity-evidence.js";
import { DOMAIN_TOOLS } from "../graphs/agents/tool-index.js";
import { decideRoute, routingThreshold } from "../graphs/meta/router.js";
import { chatModel, tierFor } from "../src/models/provider.js";

const argv = process.argv.slice(2);
const flag = (name: string, fallback: string) => (argv.includes(name) ? argv[argv.indexOf(name) + 1]! : fallback);
const lofo = argv.includes("--lofo");
const split = flag("--split", "all");
const rows = readRoutingRows(flag("--data", "evals/datasets/routing-tune.jsonl")).filter((r) => split === "all" || r.split === split);
const key = (routes: string[]) => JSON.stringify([...new Set(routes)].sort());

interface Item {
  source: string;
  scored: ScoredRequest;
  expected: string;
  /** Whether the router model alone gets it right (undefined: not asked). */
  modelOk?: boolean;
}
const items: Item[] = [];
const router = await appEmbeddingRouter();
const model = lofo ? undefined : chatModel(tierFor("meta", "fast"));
const threshold = routingThreshold();
for (const row of rows) {
  const scored = await router.score(row.request);
  let modelOk: boolean | undefined;
  if (model) {
    // The model sees the router's nearest examples, as in routeRequest.
    const decision = await decideRoute(model, row.request, (scored.similar ?? []).map(({ route, text }) => ({ route, text })));
    modelOk = key(decision.confidence < threshold ? [] : decision.routes) === key(row.expected);
  }
  items.push({ source: "data", scored, expected: key(row.expected), ...(modelOk === undefined ? {} : { modelOk }) });
}
if (lofo) {
  const files = routerExampleFiles();
  const evidence = EntityEvidence.fromTools(DOMAIN_TOOLS);
  for (const held of files) {
    const without = await EmbeddingRouter.build(appRouteExamples({ KEEL_ROUTER_EXAMPLES: files.filter((f) => f !== held).join(",") }), { evidence });
    for (const row of readRoutingRows(held)) items.push({ source: held.replace(/.*[\\/]/, ""), scored: await without.score(row.request), expected: key(row.expected) });
  }
}

const grid = (from: number, to: number, step: number) => Array.from({ length: Math.round((to - from) / step) + 1 }, (_, i) => Number((from + i * step).toFixed(3)));
const results: { s: Omit<FastRouterSettings, "enabled">; share: number; fastAcc: number; overall?: number; dataShare: number; dataAcc: number }[] = [];
// Scores are shares of the nearest examples' vote (0..1, plus the record-evidence bonus); clarifyBelow is a similarity.
// partObjection above 1 is the stricter rule (every clause sure); clarifyBelow 0.27 won over 0.24 and 0.3 before it.
for (const minScore of grid(0.4, 0.9, 0.1))
  for (const minMargin of grid(0, 0.7, 0.05))
    for (const partMinScore of grid(0.7, 1, 0.05))
      for (const partMinMargin of [0, 0.1])
        for (const partObjection of [0.3, 0.4, 0.5, 2]) {
          const s = { minScore, minMargin, partMinScore, partMinMargin, clarifyBelow: 0.27, partObjection };
          const count = { fast: 0, fastOk: 0, ok: 0, dataFast: 0, dataFastOk: 0, data: 0 };
          for (const item of items) {
            const d = decideFastRoute(item.scored, s);
            const right = key(d.routes) === item.expected;
            const isData = item.source === "data";
            if (isData) count.data++;
            if (d.confident) {
              count.fast++;
              if (isData) count.dataFast++;
              if (right) (count.fastOk++, count.ok++, isData && count.dataFastOk++);
            } else if (item.modelOk) count.ok++;
          }
          results.push({
            s,
            share: count.fast / items.length,
            fastAcc: count.fast ? count.fastOk / count.fast : 1,
            ...(lofo ? {} : { overall: count.ok / items.length }),
            dataShare: count.dataFast / count.data,
            dataAcc: count.dataFast ? count.dataFastOk / count.dataFast : 1,
          });
        }
// The fast-path accuracy to hold; a little over the 0.98 target leaves head-room for data the thresholds never saw.
const minAccuracy = Number(flag("--min-accuracy", "0.985"));
const minM = Number(flag("--min-margin-floor", "0"));
const good = results
  .filter((r) => r.fastAcc >= minAccuracy && r.s.minMargin >= minM && r.s.partMinMargin >= minM)
  .sort((a, b) => b.share - a.share || (b.overall ?? 0) - (a.overall ?? 0) || b.s.minScore - a.s.minScore);
const modelRows = items.filter((x) => x.modelOk !== undefined);
console.log(`${items.length} rows (${rows.length} from --data${lofo ? ", the rest held-out examples" : ""})${modelRows.length ? `; model alone ${(modelRows.filter((x) => x.modelOk).length / modelRows.length).toFixed(3)}` : ""}`);
for (const r of good.slice(0, 10)) {
  const overall = r.overall === undefined ? "" : ` overall ${r.overall.toFixed(3)}`;
  console.log(JSON.stringify(r.s), `share ${r.share.toFixed(3)} fast ${r.fastAcc.toFixed(3)}${overall}${lofo ? ` | --data alone: share ${r.dataShare.toFixed(3)} fast ${r.dataAcc.toFixed(3)}` : ""}`);
}
