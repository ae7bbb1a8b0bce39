/**
 * Tool-selection suite: for each labelled request, the tools a task agent would bind (the tool index's top k
 * within the agent's own tools, as src/tool-selection/middleware.ts selects them). Tool recall of the gold
 * tools; rows with no gold tool score whether the index finds that no tool applies at the recommended no-tool
 * threshold (the agents always bind their top k, so this measures the index, as the retrieval bench does).
 */
import { RECOMMENDED_NO_TOOL_THRESHOLD, ToolIndex } from "../../src/retrieval/tool-index.js";
import { toolDocumentFromTool } from "../../src/retrieval/tool-document.js";
import { toolSelectionSettings } from "../../src/tool-selection/middleware.js";
import { supportTools } from "../../tools/support/index.js";
import { incidentTools } from "../../tools/incidents/index.js";
import { financeTools } from "../../tools/finance/index.js";
import { shippingTools } from "../../tools/shipping/index.js";
import { reportTools } from "../../tools/reports/index.js";
import { loadDataset } from "../lib/dataset.js";
import { ToolSelectionRow } from "../lib/rows.js";
import { defineEvalSuite } from "../lib/suite.js";
import { toolRecall } from "../evaluators/tool-recall.js";
import { datasetFile } from "./paths.js";

defineEvalSuite({
  suite: "tool_selection",
  primary: "tool_recall",
  load: () => {
    const { file, rows, skipped } = loadDataset(datasetFile("tool-selection.jsonl"), ToolSelectionRow);
    return {
      skipped,
      examples: rows.map((row) => ({ id: row.id, source: `${file}:${row.line}`, inputs: { query: row.query, agent: row.agent }, reference: { gold_tools: row.gold_tools }, row })),
    };
  },
  setup: async () => {
    const tools = [...supportTools, ...incidentTools, ...financeTools, ...shippingTools, ...reportTools];
    return { index: await ToolIndex.build(tools.map(toolDocumentFromTool)), k: toolSelectionSettings().k };
  },
  evaluate: async (example, ctx) => {
    const started = performance.now();
    const selection = await ctx.index.select(example.row.query, { k: ctx.k, allowed: (doc) => doc.domain === example.row.agent, noToolThreshold: RECOMMENDED_NO_TOOL_THRESHOLD });
    const bound = selection.tools.map((t) => t.name);
    const recall = toolRecall(example.row.gold_tools, bound);
    const scores: Record<string, number> = recall === undefined ? { no_tool_accuracy: selection.noTool ? 1 : 0 } : { tool_recall: recall };
    return {
      primary: recall === undefined ? "no_tool_accuracy" : "tool_recall",
      scores,
      outputs: { bound, no_tool: selection.noTool },
      details: { gold: example.row.gold_tools, bound, best: Number(selection.best.toFixed(3)) },
      cost: { tokens: 0, cost_usd: null, latency_ms: Math.round(performance.now() - started) },
    };
  },
});
