/**
 * Tool selection in the agent loop: before each model call of a task agent, retrieve the few tools relevant to
 * the current objective (the pinned goal plus the latest turn) and bind only those.
 *
 * langchain's `llmToolSelectorMiddleware` does the same with an extra model call per step; this one ranks
 * with the `ToolIndex` (embeddings + BM25), so it costs no tokens. Selection is never a dead end: the
 * `search_tools` tool (always bound) lets the model ask for more in-scope tools, and the tools it found are
 * bound from the next call on.
 *
 * Switch: `KEEL_TOOL_SELECTION=all` binds every tool of the agent (for comparison); default `retrieval`.
 * `KEEL_TOOL_SELECTION_K` sets k (default 5).
 */
import { createMiddleware } from "langchain";
import type { BaseMessage } from "@langchain/core/messages";
import { ConfigurationError } from "../errors.js";
import { textOf } from "../models/offline/planner.js";
import { SEARCH_TOOLS_NAME, toolsFoundBySearch } from "./search-tools.js";
import type { ToolIndex } from "../retrieval/tool-index.js";
import { grantedScopes, isGranted } from "./grants.js";
import { emitTraceEvent } from "../observability/trace-events.js";

export interface ToolSelectionSettings {
  mode: "retrieval" | "all";
  k: number;
}

export function toolSelectionSettings(env: NodeJS.ProcessEnv = process.env): ToolSelectionSettings {
  const mode = (env.KEEL_TOOL_SELECTION ?? "retrieval").trim();
  if (mode !== "retrieval" && mode !== "all") {
    throw new ConfigurationError(`KEEL_TOOL_SELECTION is "${mode}".`, 'Use "retrieval" (bind the top k tools) or "all" (bind every tool of the agent).');
  }
  const k = Number(env.KEEL_TOOL_SELECTION_K ?? 5);
  if (!Number.isInteger(k) || k < 1 || k > 50) {
    throw new ConfigurationError(`KEEL_TOOL_SELECTION_K is "${env.KEEL_TOOL_SELECTION_K}".`, "Give a whole number from 1 to 50.");
  }
  return { mode, k };
}

export interface ToolSelectionOptions {
  /** The shared index over every tool of the app (built lazily, once). */
  index: () => Promise<ToolIndex>;
  /** Tools always bound for this agent, in addition to the retrieved ones. @example ["search_policies"] */
  alwaysInclude?: string[];
  settings?: ToolSelectionSettings;
}

/** The objective a selection is made for: the agent's first human message (its goal) and the latest one. */
export function selectionObjective(messages: BaseMessage[]): string {
  const humans = messages.filter((m) => m.getType() === "human").map(textOf);
  const goal = humans[0] ?? "";
  const latest = humans[humans.length - 1] ?? "";
  return latest && latest !== goal ? `${goal}\n${latest}` : goal;
}

export function toolSelectionMiddleware(options: ToolSelectionOptions) {
  const settings = options.settings ?? toolSelectionSettings();
  return createMiddleware({
    name: "KeelToolSelection",
    async wrapModelCall(request, handler) {
      const named = request.tools.filter((t): t is typeof t & { name: string } => typeof (t as { name?: unknown }).name === "string");
      if (settings.mode === "all" || named.length === 0) return handler(request);
      // The agent's own tools are its scope; the tenant's grants narrow it. Both apply before ranking.
      const grants = grantedScopes(request.runtime.configurable as Record<string, unknown> | undefined);
      const permitted = named.filter((t) => isGranted(scopesOf(t), grants));
      const permittedNames = new Set(permitted.map((t) => t.name));
      const index = await options.index();
      const selection = await index.select(selectionObjective(request.messages), {
        k: settings.k,
        allowed: (doc) => permittedNames.has(doc.name),
        alwaysInclude: options.alwaysInclude ?? [],
      });
      const chosen = new Set([...selection.tools.map((t) => t.name), ...toolsFoundBySearch(request.messages), SEARCH_TOOLS_NAME]);
      const tools = permitted.filter((t) => chosen.has(t.name));
      const keelToolSelection = {
        bound: tools.map((t) => t.name),
        scores: Object.fromEntries(selection.tools.map((t) => [t.name, Number(t.score.toFixed(4))])),
        ...(selection.fallback ? { fallback: selection.fallback } : {}),
      };
      // Into the trace before the call (tracing metadata of the model run, retrieval metrics).
      emitTraceEvent("keel.tool_selection", { ...keelToolSelection, ...(selection.noTool ? { noTool: true } : {}) });
      const response = await handler({ ...request, tools });
      // Visible in streams and the agent's state: what was bound, with scores.
      response.response_metadata = { ...response.response_metadata, keel_tool_selection: keelToolSelection };
      return response;
    },
  });
}

function scopesOf(tool: unknown): string[] | undefined {
  return (tool as { metadata?: { scopes?: string[] } }).metadata?.scopes;
}
