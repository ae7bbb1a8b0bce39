/**
 * Trajectory suite: each request runs through the whole app (approvals as scripted); the tool calls made are
 * matched against the reference trajectory with agentevals (trajectory_match), plus tool recall of the
 * reference tools, cost and latency.
 */
import { AppRunner } from "../lib/app-run.js";
import { loadDataset } from "../lib/dataset.js";
import { TrajectoryRow } from "../lib/rows.js";
import { defineEvalSuite } from "../lib/suite.js";
import { trajectoryMatch } from "../evaluators/trajectory.js";
import { toolRecall } from "../evaluators/tool-recall.js";
import { runCost } from "../evaluators/cost-latency.js";
import { datasetFile } from "./paths.js";

defineEvalSuite({
  suite: "trajectory",
  primary: "trajectory_match",
  load: () => {
    const { file, rows, skipped } = loadDataset(datasetFile("trajectories.jsonl"), TrajectoryRow);
    return {
      skipped,
      examples: rows.map((row) => ({
        id: row.id,
        source: `${file}:${row.line}`,
        inputs: { request: row.request, ...(row.approvals ? { approvals: row.approvals } : {}) },
        reference: { trajectory: row.trajectory, match: row.match, args_match: row.args_match },
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
    const match = await trajectoryMatch(run.toolCalls, row.trajectory, row.match, row.args_match);
    const recall = toolRecall(row.trajectory.map((s) => s.tool), run.toolCalls.map((c) => c.name));
    return {
      primary: "trajectory_match",
      scores: { trajectory_match: match.score, ...(recall === undefined ? {} : { tool_recall: recall }) },
      outputs: { calls: run.toolCalls.map((c) => ({ tool: c.name, args: c.args })), status: run.status },
      details: { comment: match.comment, calls: run.toolCalls.map((c) => `${c.agent}:${c.name} ${JSON.stringify(c.args)}`), routes: run.routes, status: run.status },
      cost: runCost(run.usage, run.latencyMs),
    };
  },
});
