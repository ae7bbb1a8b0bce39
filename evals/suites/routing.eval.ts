/** Routing suite: the meta agent's router over routing.jsonl; exact-match routing accuracy (`[]` = clarify). */
import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { chatModel, tierFor } from "../../src/models/provider.js";
import { decideRoute, routingThreshold } from "../../graphs/meta/router.js";
import { loadDataset } from "../lib/dataset.js";
import { RoutingRow } from "../lib/rows.js";
import { defineEvalSuite } from "../lib/suite.js";
import { routingAccuracy } from "../evaluators/routing.js";
import { datasetFile } from "./paths.js";

defineEvalSuite({
  suite: "routing",
  primary: "routing_accuracy",
  load: () => {
    const { file, rows, skipped } = loadDataset(datasetFile("routing.jsonl"), RoutingRow);
    return {
      skipped,
      examples: rows.map((row) => ({ id: row.id, source: `${file}:${row.line}`, inputs: { request: row.request }, reference: { routes: [...row.expected_routes].sort() }, row })),
    };
  },
  setup: async () => ({ model: chatModel(tierFor("meta", "fast")) as BaseChatModel, threshold: routingThreshold() }),
  evaluate: async (example, ctx) => {
    const started = performance.now();
    // The same decision the meta graph's route node makes (graphs/meta/meta-graph.ts), below the threshold = clarify.
    const decision = await decideRoute(ctx.model, example.row.request);
    const got = decision.confidence < ctx.threshold ? [] : [...decision.routes].sort();
    return {
      primary: "routing_accuracy",
      scores: { routing_accuracy: routingAccuracy(example.row.expected_routes, got) },
      outputs: { routes: got, confidence: decision.confidence },
      details: { expected: example.reference.routes, got, confidence: decision.confidence },
      cost: { tokens: 0, cost_usd: null, latency_ms: Math.round(performance.now() - started) },
    };
  },
});
