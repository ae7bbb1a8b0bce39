/**
 * End-state suite: each request runs through the whole app with its scripted approvals (approve, reject or
 * edit) inside a database sandbox; the rows it changed are compared with the expected change (end_state_match).
 */
import { AppRunner } from "../lib/app-run.js";
import { loadDataset } from "../lib/dataset.js";
import { EndStateRow } from "../lib/rows.js";
import { defineEvalSuite } from "../lib/suite.js";
import { endStateMatch } from "../evaluators/end-state.js";
import { runCost } from "../evaluators/cost-latency.js";
import { datasetFile } from "./paths.js";

defineEvalSuite({
  suite: "end_state",
  primary: "end_state_match",
  load: () => {
    const { file, rows, skipped } = loadDataset(datasetFile("end-state.jsonl"), EndStateRow);
    return {
      skipped,
      examples: rows.map((row) => ({
        id: row.id,
        source: `${file}:${row.line}`,
        inputs: { request: row.request, ...(row.approvals ? { approvals: row.approvals } : {}) },
        reference: { expected: row.expected },
        row,
      })),
    };
  },
  setup: () => AppRunner.open(),
  teardown: (runner) => runner.close(),
  evaluate: async (example, runner) => {
    const { row } = example;
    const run = await runner.run({ request: row.request, approvals: row.approvals });
    if (run.error) throw new Error(run.error);
    const match = endStateMatch(run.changes, row.expected);
    return {
      primary: "end_state_match",
      scores: { end_state_match: match.score },
      outputs: { changes: run.changes.map((c) => `${c.op} ${c.table} ${c.key}`), status: run.status },
      details: { missing: match.missing, unexpected: match.unexpected, calls: run.toolCalls.map((c) => `${c.name}${c.ok === false ? ` (failed: ${(c.result ?? "").slice(0, 160)})` : ""}`), approvals: run.approvals.map((a) => `${a.tool}:${a.decision}`), answer: run.answer.slice(0, 300) },
      cost: runCost(run.usage, run.latencyMs),
    };
  },
});
