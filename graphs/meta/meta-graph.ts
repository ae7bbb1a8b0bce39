/**
 * The meta agent: routes each request to one or more task agents (in parallel with `Send` when it spans
 * domains) or to the weekly brief workflow, asks one clarifying question when routing is unsure, and merges
 * the task agents' structured results into one answer.
 *
 *   START -> route -(Send)-> support | incidents | finance | shipping | weekly_brief -> review -> merge -> END
 *                  \-> clarify -> END
 *                  \-> cached -> END          (semantic cache hit: a read-only answer given before, data unchanged)
 *
 * Routing takes the fast path when it can (src/routing/: an embedding router over example requests, no model
 * call) and asks the router model otherwise. Final answers of read-only turns go to the semantic cache
 * (src/cache/semantic-cache.ts), per tenant, dropped when a write touches a record they read.
 *
 * Task agents are called from node functions rather than added with `addNode(name, agent.graph)`: each agent
 * keeps its own state (its message history is not the user conversation) and the wrapper maps a routed
 * objective in and a `TaskResult` out. LangGraph still treats them as subgraphs (checkpoints, interrupts, streaming).
 */
import { Annotation, END, MessagesAnnotation, Send, START, StateGraph, type LangGraphRunnableConfig } from "@langchain/langgraph";
import { restoreForUser } from "../../src/guardrails/pii-redaction.js";
import { AIMessage, HumanMessage, type BaseMessage } from "@langchain/core/messages";
import { chatModelChain, tierFor } from "../../src/models/provider.js";
import { validateCostSettings } from "../../src/cost/app-support.js";
import { runModelChain } from "../../src/reliability/model-chain.js";
import { isTransientError } from "../../src/reliability/transient.js";
import { reliabilitySettings } from "../../src/reliability/settings.js";
import { textOf } from "../../src/models/offline/planner.js";
import { validateRequest } from "../../src/app/request.js";
import { TASK_AGENTS, type RouteName, type TaskAgentName } from "./directory.js";
import { decideRoute, routingThreshold, DEFAULT_CLARIFYING_QUESTION, type RouteDecision, type RoutingHint } from "./router.js";
import { mergeReports, type AgentReport } from "./merge.js";
import { reviewReports } from "./review.js";
import { injectionDetector } from "../../src/guardrails/untrusted-content.js";
import { recordGuardrailEvent } from "../../src/guardrails/events.js";
import { TASK_AGENT_GRAPHS, type TaskAgents } from "../agents/index.js";
import { weeklyBrief } from "../workflows/weekly-brief.js";
import { TaskResultSchema, type TaskResult } from "../agents/task-result.js";
import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { routeRequest, type RoutedDecision } from "../../src/routing/route-request.js";
import { fastRouterSettings } from "../../src/routing/embedding-router.js";
import { SemanticCache, semanticCacheSettings } from "../../src/cache/semantic-cache.js";
import { tenantOf } from "../../src/guardrails/manifest.js";
import { isKeelTool } from "../../src/toolkit/define-tool.js";
import { observability } from "../../src/observability/observability.js";

export const MetaState = Annotation.Root({
  ...MessagesAnnotation.spec,
  /** The routing decision of the current turn, with where it came from (`embedding`, `model` or `cache`). */
  routing: Annotation<(RouteDecision & { source?: RoutedDecision["source"] | "cache" }) | null>({ reducer: (_, next) => next, default: () => null }),
  /** The request of this turn when its answer may be cached (a new request, not a reply to a clarifying question). */
  cacheRequest: Annotation<string | null>({ reducer: (_, next) => next, default: () => null }),
  /** The semantic cache's answer for this turn, when it had one, and the reports it was merged from. */
  cachedAnswer: Annotation<string | null>({ reducer: (_, next) => next, default: () => null }),
  cachedReports: Annotation<Record<string, AgentReport> | null>({ reducer: (_, next) => next, default: () => null }),
  /** Reports of the current turn by route; `null` clears them at the start of a turn. */
  reports: Annotation<Record<string, AgentReport>, Record<string, AgentReport> | null>({
    reducer: (current, update) => (update === null ? {} : { ...current, ...update }),
    default: () => ({}),
  }),
  /** The injection screening of the latest user request (flagged, never blocked: the user is the principal). */
  inputScreening: Annotation<{ verdict: string; score: number } | null>({ reducer: (_, next) => next, default: () => null }),
  /** The request that a pending clarifying question refers to. */
  pendingClarification: Annotation<string | null>({ reducer: (_, next) => next, default: () => null }),
});
export type MetaStateType = typeof MetaState.State;

/** What a routed node receives through `Send`. */
interface RoutedInput {
  objective: string;
  route: RouteName;
}

export interface MetaGraphOptions {
  /** The router model asked when the fast path is unsure; default: the fast tier through the reliability chain. */
  routerModel?: BaseChatModel;
  /** Route without a model call when the embedding router is confident; default `KEEL_FAST_ROUTING` (on). @example false */
  fastRouting?: boolean;
  /** The semantic cache of final answers; default: one per graph under `KEEL_SEMANTIC_CACHE` (on); `null`: none. */
  semanticCache?: SemanticCache | null;
}

function routeNode(options: MetaGraphOptions, cache: SemanticCache | null) {
  const settings = { ...fastRouterSettings(), ...(options.fastRouting === undefined ? {} : { enabled: options.fastRouting }) };
  const fallback = options.routerModel
    ? () => options.routerModel!
    : // Retries, breaker and fallback models as in the agents (src/reliability/model-chain.ts).
      { decide: (request: string, similar: RoutingHint[]) => runModelChain(chatModelChain(tierFor("meta", "fast")), (model) => decideRoute(model, request, similar)) };
  return async (state: MetaStateType, config: LangGraphRunnableConfig) => {
    const latest = latestHumanText(state.messages);
    validateRequest(latest);
    // A reply to a clarifying question is routed together with the request it clarifies (and never cached).
    const request = state.pendingClarification ? `${state.pendingClarification}\n${latest}` : latest;
    const cacheRequest = cache && !state.pendingClarification ? latest : null;
    const screening = injectionDetector().then((d) => d.scan(latest, { source: "user" }));
    const hit = cacheRequest ? await cache!.lookup(tenantOf(config.configurable), cacheRequest).catch(() => undefined) : undefined;
    let decision: MetaStateType["routing"];
    if (hit) {
      decision = { routes: [], confidence: 1, reason: `Semantic cache: answered before as "${hit.request}" (similarity ${hit.similarity.toFixed(2)}), data unchanged.`, source: "cache" };
    } else {
      const { fast: _scores, ...routed } = await routeRequest(request, { model: fallback, settings });
      decision = routed;
    }
    const scanned = await screening;
    if (scanned.verdict !== "clean") {
      recordGuardrailEvent({ kind: "injection_detected", agent: "meta", tool: "user_input", args: null, reason: `flag (${scanned.verdict}): ${scanned.reasons.slice(0, 3).join("; ")}` });
    }
    const inputScreening = { verdict: scanned.verdict, score: Number(scanned.score.toFixed(3)) };
    // A hit brings back the reports the answer was merged from (evidence and tools), as the turn that made it had them.
    const cachedReports = (hit?.extra?.reports ?? null) as Record<string, AgentReport> | null;
    return { routing: decision, reports: null, pendingClarification: null, inputScreening, cacheRequest, cachedAnswer: hit?.answer ?? null, cachedReports };
  };
}

function dispatch(state: MetaStateType): Send[] | "clarify" | "cached" {
  if (state.cachedAnswer) return "cached";
  const decision = state.routing;
  if (!decision || decision.routes.length === 0 || decision.confidence < routingThreshold()) return "clarify";
  // Each routed agent gets the whole request: its own prompt and tool scope keep it to its part.
  const objective = latestHumanText(state.messages);
  return decision.routes.map((route) => new Send(route, { route, objective } satisfies RoutedInput));
}

function clarify(state: MetaStateType) {
  const question = state.routing?.clarifying_question?.trim() || DEFAULT_CLARIFYING_QUESTION;
  return { messages: [new AIMessage({ content: question, name: "meta" })], pendingClarification: latestHumanText(state.messages) };
}

function cached(state: MetaStateType) {
  return { messages: [new AIMessage({ content: state.cachedAnswer ?? "", name: "meta" })], reports: state.cachedReports ?? {} };
}

function taskAgentNode(name: TaskAgentName, agent: TaskAgents[TaskAgentName]) {
  return async (input: RoutedInput) => {
    const output = await agent.invoke({ messages: [new HumanMessage(input.objective)] }, { runName: `agent:${name}`, metadata: { agent_path: `meta/${name}` } });
    return { reports: { [name]: toReport(name, output.messages, output.structuredResponse as TaskResult | undefined) } };
  };
}

async function weeklyBriefNode() {
  const brief = await weeklyBrief.invoke({}, { runName: "workflow:weekly_brief", metadata: { agent_path: "meta/weekly_brief" } });
  const report: AgentReport = {
    route: "weekly_brief",
    outcome: "completed",
    answer: `${brief.summary}\nChart: ${brief.chartPath}`,
    evidence: [],
    confidence: 1,
    needs_human_review: false,
    tools: ["incident_figures", "finance_figures", "shipping_figures", "render_chart_svg"],
  };
  return { reports: { weekly_brief: report } };
}

function review(state: MetaStateType) {
  const updated = reviewReports(state.reports);
  return updated ? { reports: updated } : {};
}

function mergeNode(cache: SemanticCache | null, readOnlyTools: Set<string>) {
  return async (state: MetaStateType, config: LangGraphRunnableConfig) => {
    // Agents saw placeholders for personal data; the user who asked gets the real values back.
    const merged = await restoreForUser(String(config.configurable?.thread_id ?? "no-thread"), mergeReports(state.reports));
    const reports = Object.values(state.reports ?? {});
    // Only answers of turns that read and nothing else, completed with no human review, are kept.
    const cacheable =
      reports.length > 0 &&
      reports.every((r) => r.route !== "weekly_brief" && r.outcome === "completed" && !r.needs_human_review && r.tools.every((t) => readOnlyTools.has(t)));
    if (cache && state.cacheRequest && cacheable) {
      await cache
        .remember({ tenant: tenantOf(config.configurable), request: state.cacheRequest, answer: merged, routes: reports.map((r) => r.route), evidence: reports.flatMap((r) => r.evidence), extra: { reports: state.reports } })
        .catch(() => undefined); // a cache that fails only costs the next request a full run
    }
    return { messages: [new AIMessage({ content: merged, name: "meta" })] };
  };
}

/** Names of the agents' tools whose side-effect class is `read`. */
function readOnlyToolsOf(agents: TaskAgents): Set<string> {
  const names = new Set<string>(["search_tools"]);
  for (const agent of Object.values(agents)) {
    for (const tool of ((agent as { options?: { tools?: unknown[] } }).options?.tools ?? []) as unknown[]) {
      if (isKeelTool(tool) && tool.metadata.sideEffect === "read") names.add(tool.name);
    }
  }
  return names;
}

function toReport(route: TaskAgentName, messages: BaseMessage[], result: TaskResult | undefined): AgentReport {
  const tools = messages.filter((m) => m.getType() === "tool" && m.name !== "task_result").map((m) => m.name ?? "tool");
  if (result) return { route, ...result, tools };
  // An agent resumed after a crash can return without the parsed result although its task_result call is in
  // the history: take the last valid one rather than send a finished task to review.
  const recorded = lastTaskResultCall(messages);
  if (recorded) return { route, ...recorded, tools };
  // The model ended without the structured result: keep its last words and flag for review.
  const last = [...messages].reverse().find((m) => m.getType() === "ai");
  return { route, outcome: "failed", answer: last ? textOf(last) : "The agent returned no answer.", evidence: [], confidence: 0, needs_human_review: true, tools };
}

function lastTaskResultCall(messages: BaseMessage[]): TaskResult | undefined {
  for (const message of [...messages].reverse()) {
    const call = (message as AIMessage).tool_calls?.find((c) => c.name === "task_result");
    if (!call) continue;
    const parsed = TaskResultSchema.safeParse(call.args);
    if (parsed.success) return parsed.data;
  }
  return undefined;
}

function latestHumanText(messages: BaseMessage[]): string {
  const human = [...messages].reverse().find((m) => m.getType() === "human");
  return human ? textOf(human) : "";
}

/** LangGraph's node retry for transient failures (rate limits, timeouts, a busy database), with KEEL_RETRY_* settings. */
function transientRetryPolicy() {
  const settings = reliabilitySettings();
  return { maxAttempts: settings.retryAttempts, initialInterval: settings.retryBaseMs, maxInterval: settings.retryMaxMs, backoffFactor: 2, jitter: true, retryOn: isTransientError, logWarning: false };
}

/** @param agents the task agents to route to; the Studio build uses the default ones. */
export function buildMetaGraph(agents: TaskAgents = TASK_AGENT_GRAPHS, options: MetaGraphOptions = {}) {
  const cache = options.semanticCache !== undefined ? options.semanticCache : semanticCacheSettings().enabled ? new SemanticCache() : null;
  const builder = new StateGraph(MetaState)
    .addNode("route", routeNode(options, cache))
    .addNode("clarify", clarify)
    .addNode("cached", cached)
    // The workflow's one model call and its figures are retried as a whole on transient failures.
    .addNode("weekly_brief", weeklyBriefNode, { retryPolicy: transientRetryPolicy() })
    .addNode("review", review)
    .addNode("merge", mergeNode(cache, readOnlyToolsOf(agents)));
  for (const name of TASK_AGENTS) builder.addNode(name, taskAgentNode(name, agents[name]), { subgraphs: [agents[name]] } as never);
  const typed = builder as unknown as StateGraph<typeof MetaState.spec, any, any, string>;
  typed.addEdge(START, "route");
  typed.addConditionalEdges("route", dispatch, ["clarify", "cached", ...TASK_AGENTS, "weekly_brief"]);
  for (const name of [...TASK_AGENTS, "weekly_brief"]) typed.addEdge(name, "review");
  typed.addEdge("review", "merge");
  typed.addEdge("merge", END);
  typed.addEdge("clarify", END);
  typed.addEdge("cached", END);
  return typed;
}

// The server loads this module at start-up: malformed prices, budgets or cache settings stop it there, naming the field.
validateCostSettings();

/** The compiled meta graph without a checkpointer, for LangGraph Studio and the server (which bring their own). */
// The server runs this graph itself: the trace log, metrics and LangSmith handlers come with it (createKeelApp
// passes its own per run instead).
export const graph = buildMetaGraph().compile({ name: "meta" }).withConfig({ callbacks: observability().callbacks(), metadata: { agent_path: "meta" } });
