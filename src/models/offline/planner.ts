/**
 * The offline model's decisions, as pure functions of the conversation and the tools bound to the call:
 * - `planToolStep`: which bound tool to call next (by relevance to the objective), with arguments filled from
 *   the request; or, when no further tool helps, the final answer written from the tool results;
 * - `extractStructured`: a structured output (such as the meta agent's routing decision) filled from the request.
 *
 * Rules that keep it safe to run unattended: it never calls the same tool twice for one objective, takes an
 * action (a non-read tool) only when it ranks first and every argument came from the user's own words, stops
 * after a few tool rounds, and asks for a missing required field instead of inventing it.
 */
import { AIMessage, type BaseMessage, ToolMessage } from "@langchain/core/messages";
import { fillArguments, type JsonSchema } from "./argument-filler.js";
import { describeOutcome, evidenceIds, summarizeDocument, type ToolOutcome } from "./answer-writer.js";
import { contentWords, rankCandidates } from "./relevance.js";
import { parseToolResult } from "../../toolkit/tool-result.js";
import { unspotlight } from "../../guardrails/spotlight.js";

export interface OfflineTool {
  name: string;
  description: string;
  parameters: JsonSchema;
  /** Example requests from the tool's metadata, when it has any. */
  examples: string[];
  /** Side-effect class from Keel metadata; tools from elsewhere count as actions. */
  sideEffect: string;
}

/** Tool rounds per objective before the model answers with what it has. */
export const MAX_TOOL_ROUNDS = 3;
/** Relevance below which a tool is not worth calling. */
export const MIN_TOOL_SCORE = 0.3;
/** Later rounds only call tools nearly as relevant as the best one. */
const FOLLOW_UP_MARGIN = 0.08;

let callCounter = 0;
const nextCallId = () => `offline_call_${++callCounter}_${Date.now().toString(36)}`;

/** A tool that carries the final answer (langchain's structured-response tool): it has an `answer` field. */
export function isResponseTool(tool: OfflineTool): boolean {
  return Boolean(tool.parameters.properties?.answer);
}

interface Turn {
  objective: string;
  calls: { name: string; args: Record<string, unknown> }[];
  /** `error`: the tool message has status "error" (a failed call, or an action a human rejected). */
  outcomes: (ToolOutcome & { error?: boolean })[];
}

/** The structured side of a context summary message (see `SummaryMark` in src/context/compress.ts). */
interface SummarizedSteps {
  kind: string;
  calls?: { name: string; args: Record<string, unknown>; ok: boolean; digest: string }[];
}

/** The current objective (the latest human message) and what has been done for it since. */
export function currentTurn(messages: BaseMessage[]): Turn {
  let start = messages.length - 1;
  while (start >= 0 && messages[start]!.getType() !== "human") start--;
  const objective = start >= 0 ? textOf(messages[start]!) : "";
  const calls: Turn["calls"] = [];
  const outcomes: Turn["outcomes"] = [];
  for (const message of messages.slice(start + 1)) {
    // A context summary (src/context) stands for tool steps it replaced: they still count as done.
    const summary = (message.additional_kwargs as { keel_context?: SummarizedSteps } | undefined)?.keel_context;
    if (message.getType() === "ai" && summary?.kind === "summary") {
      for (const c of summary.calls ?? []) {
        calls.push({ name: c.name, args: c.args });
        outcomes.push({ tool: c.name, content: JSON.stringify(c.ok ? { ok: true, data: c.digest } : { ok: false, error: { code: "internal_error", message: c.digest, next_step: "" } }), error: !c.ok });
      }
    }
    if (message.getType() === "ai") calls.push(...((message as AIMessage).tool_calls ?? []).map((c) => ({ name: c.name, args: c.args })));
    if (message.getType() === "tool") {
      const tool = message as ToolMessage;
      // Read the tool's own output, without the spotlighting markers around it.
      outcomes.push({ tool: tool.name ?? "tool", content: unspotlight(textOf(message)), error: tool.status === "error" });
    }
  }
  return { objective, calls, outcomes };
}

export async function planToolStep(messages: BaseMessage[], tools: OfflineTool[]): Promise<AIMessage> {
  const turn = currentTurn(messages);
  const responseTool = tools.find(isResponseTool);
  const workTools = tools.filter((t) => !isResponseTool(t));

  if (workTools.length === 0) {
    return finish(responseTool, { text: summarizeDocument(turn.objective) ?? offlineNotice(turn.objective), outcome: "completed", confidence: 0.6, evidence: [] });
  }

  const failure = turn.outcomes.map((o) => ({ o, r: parseToolResult(o.content) })).find(({ r }) => !r.ok);
  // A rejection is the approval middleware's plain-text error message in place of an action's result (Keel tools
  // answer in JSON, even when they fail). Its text is the reviewer's own message when they gave one, e.g. through the
  // LangGraph API `{type: "reject", message: "not today"}`, so it need not say "rejected".
  const isAction = (name: string) => (tools.find((t) => t.name === name)?.sideEffect ?? "read") !== "read";
  const rejected = turn.outcomes.find(
    (o) => !o.content.trim().startsWith("{") && (/rejected/i.test(o.content) || (o.error === true && isAction(o.tool))),
  );
  if (rejected) {
    return finish(responseTool, { text: `The action was not taken: ${rejected.content}`, outcome: "declined", confidence: 0.9, evidence: evidenceIds(turn.outcomes) });
  }
  if (failure) {
    const answer = [...turn.outcomes.map(describeOutcome)].join("\n");
    const outcome = failure.r.ok ? "failed" : ["invalid_arguments", "not_found"].includes(failure.r.error.code) ? "needs_input" : "failed";
    return finish(responseTool, { text: answer, outcome, confidence: 0.5, evidence: evidenceIds(turn.outcomes), review: outcome === "failed" });
  }

  const calledNames = new Set(turn.calls.map((c) => c.name));
  const rounds = turn.outcomes.length;
  const ranked = await rankCandidates(
    turn.objective,
    workTools.map((t) => ({ key: t.name, texts: [`${t.name.replace(/_/g, " ")}: ${t.description}`, ...t.examples] })),
  );
  const top = ranked[0]?.score ?? 0;
  const resultTexts = turn.outcomes.map((o) => o.content);

  if (rounds < MAX_TOOL_ROUNDS) {
    for (const [position, { key, score }] of ranked.entries()) {
      if (score < MIN_TOOL_SCORE) break;
      if (rounds > 0 && score < top - FOLLOW_UP_MARGIN) break;
      if (calledNames.has(key)) continue;
      const tool = workTools.find((t) => t.name === key)!;
      const isAction = tool.sideEffect !== "read";
      if (isAction && !asksFor(turn.objective, tool.name)) continue;
      const filled = fillArguments(tool.parameters, turn.objective, resultTexts);
      if (filled.missing.length > 0) {
        // The most relevant tool needs something only the user can give: ask for it rather than guess.
        if (position === 0 && rounds === 0) return askFor(responseTool, tool, filled.missing);
        continue;
      }
      if (isAction && (position !== 0 || filled.fromContext.length > 0)) continue;
      return new AIMessage({ content: "", tool_calls: [{ id: nextCallId(), name: tool.name, args: filled.args, type: "tool_call" }] });
    }
  }

  if (turn.outcomes.length === 0) {
    return finish(responseTool, {
      text: "I could not find a tool of mine that fits this request. Could you say more about what you need?",
      outcome: "needs_input",
      confidence: 0.2,
      evidence: [],
    });
  }
  const evidence = evidenceIds(turn.outcomes);
  const text = turn.outcomes.map(describeOutcome).join("\n") + policyCaveat(turn.objective, evidence);
  return finish(responseTool, { text, outcome: "completed", confidence: Math.min(0.95, 0.4 + top), evidence });
}

/** Verbs by which a request asks for an action, keyed by the first word of the tool's name. */
const ACTION_VERBS: Record<string, string[]> = {
  update: ["update", "change", "set", "mark", "move"],
  issue: ["issue", "give", "grant", "credit", "refund"],
  reply: ["reply", "respond", "answer", "write"],
  page: ["page", "alert", "wake"],
  post: ["post", "publish", "announce"],
  notify: ["notify", "tell", "inform", "let"],
  send: ["send", "email", "resend", "forward"],
  create: ["create", "open", "file", "declare", "log"],
  render: ["render", "draw", "chart", "plot"],
};

/** True when the request names the action in so many words: the offline model never acts on a hunch. */
function asksFor(objective: string, toolName: string): boolean {
  const verb = toolName.split("_")[0]!;
  const words = new Set(contentWords(objective));
  return (ACTION_VERBS[verb] ?? [verb]).some((v) => words.has(contentWords(v)[0] ?? v));
}

/** A policy question answered without a knowledge-base article says so instead of stating a policy. */
function policyCaveat(objective: string, evidence: string[]): string {
  const asksPolicy = /\b(polic(y|ies)|allowed|entitled|eligible|rules?)\b/i.test(objective);
  return asksPolicy && !evidence.some((id) => id.startsWith("KB-"))
    ? "\nNo knowledge-base article covers this question, so I cannot state a policy for it."
    : "";
}

function askFor(responseTool: OfflineTool | undefined, tool: OfflineTool, missing: string[]): AIMessage {
  const fields = missing
    .map((name) => {
      const description = tool.parameters.properties?.[name]?.description;
      return description ? `${name} (${description})` : name;
    })
    .join(", ");
  return finish(responseTool, {
    text: `To ${tool.name.replace(/_/g, " ")} I need: ${fields}. Could you provide it?`,
    outcome: "needs_input",
    confidence: 0.3,
    evidence: [],
  });
}

interface Finish {
  text: string;
  outcome: string;
  confidence: number;
  evidence: string[];
  review?: boolean;
}

function finish(responseTool: OfflineTool | undefined, result: Finish): AIMessage {
  if (!responseTool) return new AIMessage(result.text);
  const args = fillResponse(responseTool.parameters, result);
  return new AIMessage({ content: "", tool_calls: [{ id: nextCallId(), name: responseTool.name, args, type: "tool_call" }] });
}

/** Fills the final-answer schema by field meaning: answer, evidence, confidence, outcome, review flag. */
function fillResponse(schema: JsonSchema, result: Finish): Record<string, unknown> {
  const args: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(schema.properties ?? {})) {
    if (name === "answer") args[name] = result.text;
    else if (name.includes("evidence")) args[name] = result.evidence;
    else if (name.includes("confidence")) args[name] = Number(result.confidence.toFixed(2));
    else if (name.includes("review")) args[name] = result.review ?? false;
    else if (field.enum) args[name] = field.enum.includes(result.outcome) ? result.outcome : field.enum[0];
  }
  return args;
}

/**
 * Fills a structured-output schema from the request. Enum fields are decided by relevance between the request
 * and the lines of the system prompt that describe each option (`- option: description`); a request with
 * several clauses is scored clause by clause, so "refund X and track Y" picks both options.
 */
export async function extractStructured(messages: BaseMessage[], tool: OfflineTool): Promise<AIMessage> {
  const system = messages.find((m) => m.getType() === "system");
  const request = currentTurn(messages).objective;
  const lines = system ? textOf(system).split("\n") : [];
  const args: Record<string, unknown> = {};
  let confidence = 0;
  for (const [name, field] of Object.entries(tool.parameters.properties ?? {})) {
    const options = field.enum ?? field.items?.enum;
    if (!options) continue;
    const decision = await decideOptions(request, options.map(String), lines);
    args[name] = field.type === "array" ? decision.options : decision.options[0];
    confidence = decision.confidence;
  }
  for (const name of Object.keys(tool.parameters.properties ?? {})) {
    if (name.includes("confidence")) args[name] = Number(confidence.toFixed(2));
    else if (name === "reason" || name === "reasoning") args[name] = `Offline relevance routing (confidence ${confidence.toFixed(2)}).`;
  }
  return new AIMessage({ content: "", tool_calls: [{ id: nextCallId(), name: tool.name, args, type: "tool_call" }] });
}

/** A clause must reach this relevance to pick an option. */
const OPTION_MIN_SCORE = 0.35;

async function decideOptions(request: string, options: string[], promptLines: string[]) {
  const candidates = options.map((option) => ({
    key: option,
    texts: promptLines
      .filter((line) => line.trim().toLowerCase().startsWith(`- ${option.toLowerCase()}:`))
      .map((line) => line.trim().slice(option.length + 3).trim()),
  }));
  for (const c of candidates) if (c.texts.length === 0) c.texts.push(option_words(c.key));
  const clauses = splitClauses(request);
  const chosen: string[] = [];
  const scores: number[] = [];
  for (const clause of clauses) {
    const [best, second] = await rankCandidates(clause, candidates);
    if (!best || best.score < OPTION_MIN_SCORE) continue;
    if (!chosen.includes(best.key)) chosen.push(best.key);
    // Confidence grows with the best match and with its lead over the runner-up.
    scores.push(Math.max(0, Math.min(1, 0.6 * best.score + 1.5 * (best.score - (second?.score ?? 0)))));
  }
  const confidence = scores.length === 0 ? 0 : Math.min(...scores);
  return { options: chosen, confidence };
}

function option_words(option: string): string {
  return option.replace(/[_-]/g, " ");
}

/** Clauses joined by "and", "also", ";" or sentence ends, each long enough to mean something alone. */
export function splitClauses(request: string): string[] {
  const parts = request
    .split(/(?:[.;?!]\s+|\s+and also\s+|\s+also\s+|\s+and\s+(?=(?:then\s+)?(?:also\s+)?(?:what|why|where|when|how|is|are|can|could|please|check|tell|show|give|refund|track|page|issue|send|list|find|update|cancel|change|escalate|they|we|i|it)\b))/i)
    .map((p) => p.trim())
    .filter((p) => contentWords(p).length >= 2);
  return parts.length > 0 ? parts : [request];
}

function offlineNotice(objective: string): string {
  return objective.trim().length > 0
    ? `Offline stand-in model: there is nothing to look up for "${objective.slice(0, 80)}".`
    : "Offline stand-in model: no request given.";
}

export function textOf(message: BaseMessage): string {
  const { content } = message;
  if (typeof content === "string") return content;
  return content.map((part) => (typeof part === "string" ? part : "text" in part ? String(part.text) : "")).join("");
}
