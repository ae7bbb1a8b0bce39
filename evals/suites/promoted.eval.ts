/**
 * Promoted suite: examples made from traced runs by `npm run eval -- promote` (evals/promote.ts). Each runs
 * through the whole app; no_error: the run completes; human_match (overridden runs): the run proposes the call
 * the human corrected it to, or no longer proposes the call the human rejected. Pauses: the corrected call is
 * approved, every other action rejected, reviews approved.
 */
import fs from "node:fs";
import { AppRunner, type ToolCallRecord } from "../lib/app-run.js";
import { loadDataset } from "../lib/dataset.js";
import { PromotedRow, type PromotedRowT } from "../lib/rows.js";
import { defineEvalSuite } from "../lib/suite.js";
import { runCost } from "../evaluators/cost-latency.js";
import { datasetFile } from "./paths.js";

const sameArgs = (want: Record<string, unknown>, got: Record<string, unknown>) =>
  Object.entries(want).every(([k, v]) => JSON.stringify(v).toLowerCase() === JSON.stringify(got[k]).toLowerCase());

function humanMatch(row: PromotedRowT, calls: ToolCallRecord[], proposed: { tool: string; args: Record<string, unknown> }[]): number | undefined {
  const all = [...calls.map((c) => ({ tool: c.name, args: c.args })), ...proposed];
  if (row.expected_call) return all.some((c) => c.tool === row.expected_call!.tool && sameArgs(row.expected_call!.args, c.args)) ? 1 : 0;
  if (row.rejected_call) return all.some((c) => c.tool === row.rejected_call!.tool && sameArgs(row.rejected_call!.args, c.args)) ? 0 : 1;
  return undefined;
}

defineEvalSuite({
  suite: "promoted",
  primary: "no_error",
  load: () => {
    const file = datasetFile("promoted.jsonl");
    if (!fs.existsSync(file)) return { examples: [], skipped: [] };
    const { file: shown, rows, skipped } = loadDataset(file, PromotedRow);
    return {
      skipped,
      examples: rows.map((row) => ({
        id: row.id,
        source: `${shown}:${row.line}`,
        inputs: { request: row.request },
        reference: { reason: row.reason, ...(row.expected_call ? { expected_call: row.expected_call } : {}), ...(row.rejected_call ? { rejected_call: row.rejected_call } : {}), ...(row.reference_answer ? { reference_answer: row.reference_answer } : {}) },
        row,
      })),
    };
  },
  setup: () => AppRunner.open(),
  teardown: (runner) => runner.close(),
  evaluate: async (example, runner) => {
    const { row } = example;
    const proposed: { tool: string; args: Record<string, unknown> }[] = [];
    const run = await runner.run({
      request: row.request,
      approvals: (p) => {
        if (p.kind === "review") return "approve";
        proposed.push({ tool: p.tool, args: p.args });
        return row.expected_call && p.tool === row.expected_call.tool && sameArgs(row.expected_call.args, p.args) ? "approve" : "reject";
      },
    });
    const match = humanMatch(row, run.toolCalls, proposed);
    const scores: Record<string, number> = { no_error: run.error ? 0 : 1, ...(match === undefined ? {} : { human_match: match }) };
    return {
      primary: match === undefined ? "no_error" : "human_match",
      scores,
      outputs: { status: run.status, calls: run.toolCalls.map((c) => ({ tool: c.name, args: c.args })) },
      details: { reason: row.reason, calls: run.toolCalls.map((c) => `${c.name} ${JSON.stringify(c.args)}`), ...(run.error ? { error: run.error } : {}) },
      cost: runCost(run.usage, run.latencyMs),
    };
  },
});
