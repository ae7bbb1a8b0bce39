/**
 * Policy-grounding suite: policy questions through the whole app. groundedness: every KB id the answer cites
 * exists and was retrieved in that run (none cited scores 0); policy_recall: an expected article is cited.
 */
import { companyDb } from "../../src/db/index.js";
import { AppRunner } from "../lib/app-run.js";
import { loadDataset } from "../lib/dataset.js";
import { GroundingRow } from "../lib/rows.js";
import { defineEvalSuite } from "../lib/suite.js";
import { groundedness, retrievedArticles } from "../evaluators/groundedness.js";
import { runCost } from "../evaluators/cost-latency.js";
import { datasetFile } from "./paths.js";

defineEvalSuite({
  suite: "grounding",
  primary: "groundedness",
  load: () => {
    const { file, rows, skipped } = loadDataset(datasetFile("grounding.jsonl"), GroundingRow);
    return {
      skipped,
      examples: rows.map((row) => ({ id: row.id, source: `${file}:${row.line}`, inputs: { request: row.request }, reference: { expected_articles: row.expected_articles }, row })),
    };
  },
  setup: async () => ({
    runner: await AppRunner.open(),
    articles: new Set(companyDb().sql.prepare("SELECT id FROM kb_articles").pluck().all() as string[]),
  }),
  teardown: (ctx) => ctx.runner.close(),
  evaluate: async (example, ctx) => {
    const { row } = example;
    // A review pause (e.g. an uncited policy answer) is let through, so the answer itself is scored; an action
    // nobody asked for in a policy question is rejected.
    const run = await ctx.runner.run({ request: row.request, approvals: (p) => (p.kind === "review" ? "approve" : "reject") });
    if (run.error) throw new Error(run.error);
    const retrieved = retrievedArticles(run.toolCalls.map((c) => c.result ?? ""));
    const grounded = groundedness(run.answer, retrieved, ctx.articles);
    const recall = row.expected_articles.some((id) => grounded.cited.includes(id)) ? 1 : 0;
    return {
      primary: "groundedness",
      scores: { groundedness: grounded.score, policy_recall: recall },
      outputs: { answer: run.answer, cited: grounded.cited },
      details: { cited: grounded.cited, ungrounded: grounded.ungrounded, retrieved, expected: row.expected_articles, status: run.status },
      cost: runCost(run.usage, run.latencyMs),
    };
  },
});
