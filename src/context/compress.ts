/**
 * `compressContext`: fits a conversation into a token budget that counts the whole model call (system message,
 * messages and bound tool schemas), without ever dropping the pinned messages or splitting a tool step.
 *
 * - Pinned, kept verbatim and in place: the goal (the first human message: what the agent was asked to do, with
 *   its constraints) and the latest human message (the current objective).
 * - Kept verbatim: the most recent whole steps that fit (an AI tool call with all its results).
 * - Summarized: every other step, into one summary message per stretch between pinned messages (so the order of
 *   events stays true); earlier summaries are folded into the new one.
 * - Restart: when not even the latest step fits beside the pinned messages, the history becomes the pinned
 *   messages plus the summary (`restarted: true`).
 *
 * Pure apart from the summarizer: the caller decides whether the result replaces the agent's state (the
 * middleware) or only this call's messages.
 *
 * @example
 * const { messages: fitted, fits } = await compressContext(messages, 8000, { system: prompt, toolSchemas });
 */
import { randomUUID } from "node:crypto";
import { AIMessage, SystemMessage, type BaseMessage, type ToolMessage } from "@langchain/core/messages";
import { textOf } from "../models/offline/planner.js";
import { callTokens, messageTokens, truncateToTokens } from "./tokens.js";
import { isComplete, toSteps, type Step } from "./steps.js";
import { CONTEXT_KIND_KEY, extractiveSummarizer, isSummaryMessage, resultDigest, type Summarizer } from "./summarizer.js";

export interface CompressOptions {
  /** The system prompt or message sent with the call (counted). @example request.systemMessage */
  system?: BaseMessage | string;
  /** Schemas of the tools bound to the call (counted as their JSON). @example boundToolSchemas(request.tools, request.responseFormat) */
  toolSchemas?: unknown[];
  /** Default: the deterministic extractive summarizer. @example modelSummarizer(chatModel("fast")) */
  summarizer?: Summarizer;
  /**
   * When over the budget, compress down to this many tokens (at most the budget), leaving room for the next
   * steps so that compaction does not run again at every call. @example 5000
   */
  target?: number;
  /** Share of the target a summary may take. @default 0.3 @example 0.5 */
  summaryShare?: number;
  /** Tokens the caller will add to the call itself (e.g. memory notes); counted against the budget. @default 0 @example 400 */
  reserveTokens?: number;
  /** Compress even when the conversation already fits (down to `target`). @default false @example true */
  force?: boolean;
}

/** What a summary message carries besides its text, for readers that need structure (the offline model). */
export interface SummaryMark {
  kind: "summary";
  /** Tool calls summarized so far, in all summaries folded into this one. */
  callCount: number;
  /** The most recent summarized tool calls (at most `RECENT_CALLS_KEPT`) with the gist of each result. */
  calls: { name: string; args: Record<string, unknown>; ok: boolean; digest: string }[];
}

export interface CompressResult {
  messages: BaseMessage[];
  /** False when the messages came back as they were (they fitted, or nothing could be done). */
  changed: boolean;
  /** True when the call fits the budget now. False only when the pinned messages, system and tools alone exceed it. */
  fits: boolean;
  tokensBefore: number;
  tokens: number;
  /** Messages replaced by summaries. */
  summarizedMessages: number;
  /** True when no step but the pinned messages survived verbatim: the history restarts from the summary. */
  restarted: boolean;
  /** The summary messages written (usually one). */
  summaries: AIMessage[];
  /** What no compression can remove: system message, tool schemas, pinned messages and reserved tokens. */
  floorTokens: number;
}

const RECENT_CALLS_KEPT = 20;
/** Share of the budget kept for the summary and recent steps whatever the target. */
const MIN_ROOM_SHARE = 0.15;
/** A summary smaller than this is not worth its message. */
const MIN_SUMMARY_TOKENS = 12;
/** Framing tokens per message, as `countPromptTokens` counts them. */
const MESSAGE_FRAMING = 4;

export async function compressContext(messages: BaseMessage[], budget: number, options: CompressOptions = {}): Promise<CompressResult> {
  const system = typeof options.system === "string" ? new SystemMessage(options.system) : options.system;
  const schemas = options.toolSchemas ?? [];
  const reserve = options.reserveTokens ?? 0;
  const count = (list: BaseMessage[]) => callTokens(system, list, schemas) + reserve;
  const tokensBefore = count(messages);
  const unchanged: CompressResult = { messages, changed: false, fits: tokensBefore <= budget, tokensBefore, tokens: tokensBefore, summarizedMessages: 0, restarted: false, summaries: [], floorTokens: 0 };
  if (tokensBefore <= budget && !options.force) return unchanged;

  const steps = toSteps(messages);
  const humans = steps.flatMap((s, i) => (s.kind === "human" && !isSummaryMessage(s.messages[0]!) ? [i] : []));
  const pinned = new Set(humans.length > 0 ? [humans[0]!, humans[humans.length - 1]!] : []);
  const pinnedMessages = [...pinned].sort((a, b) => a - b).flatMap((i) => steps[i]!.messages);
  const fixed = count(pinnedMessages);
  if (fixed > budget) return { ...unchanged, fits: false, floorTokens: fixed };
  // The target is a wish, the budget a limit: a target below what the pinned messages need is raised, so there is
  // always room for a summary (else everything but the goal would go, and an agent would start over).
  const minRoom = Math.min(budget - fixed, Math.max(4 * MIN_SUMMARY_TOKENS, Math.floor(budget * MIN_ROOM_SHARE)));
  const target = Math.max(Math.min(options.target ?? budget, budget), fixed + minRoom);

  // The newest whole steps that fit beside the pinned messages and room for a summary stay verbatim.
  const summaryCap = Math.max(MIN_SUMMARY_TOKENS, Math.floor(target * (options.summaryShare ?? 0.3)));
  const tailRoom = target - fixed - summaryCap - MESSAGE_FRAMING * 2;
  const kept = new Set<number>(pinned);
  let keptTokens = 0;
  for (let i = steps.length - 1; i >= 0; i--) {
    if (pinned.has(i)) continue;
    const step = steps[i]!;
    const cost = messageTokens(step.messages);
    if (!isComplete(step) || isSummaryMessage(step.messages[0]!) || keptTokens + cost > tailRoom) break;
    kept.add(i);
    keptTokens += cost;
  }
  // Past the target but within the budget, the latest step may still stay verbatim (with room for a summary):
  // restarting from the summary alone is for when it cannot.
  let limit = target;
  const latest = steps.findLastIndex((_, i) => !pinned.has(i));
  if (kept.size === pinned.size && latest >= 0) {
    const step = steps[latest]!;
    const cost = messageTokens(step.messages);
    const summaryFloor = Math.min(summaryCap, Math.max(4 * MIN_SUMMARY_TOKENS, Math.floor(budget * 0.1)));
    if (isComplete(step) && !isSummaryMessage(step.messages[0]!) && fixed + cost + summaryFloor + MESSAGE_FRAMING * 2 <= budget) {
      kept.add(latest);
      keptTokens = cost;
      limit = budget;
    }
  }

  // Stretches of summarized steps between kept ones: one summary each, in place.
  const stretches: Step[][] = [];
  steps.forEach((step, i) => {
    if (kept.has(i)) {
      if (stretches.length === 0 || stretches[stretches.length - 1]!.length > 0) stretches.push([]);
      return;
    }
    if (stretches.length === 0) stretches.push([]);
    stretches[stretches.length - 1]!.push(step);
  });
  const toSummarize = stretches.filter((s) => s.length > 0);
  const summarizedTokens = toSummarize.map((s) => messageTokens(s.flatMap((step) => step.messages)));
  const totalSummarized = summarizedTokens.reduce((a, b) => a + b, 0);
  const room = Math.max(0, limit - fixed - keptTokens - MESSAGE_FRAMING * toSummarize.length);

  const summaryOf = new Map<Step, AIMessage | null>();
  const summaries: AIMessage[] = [];
  const goal = humans.length > 0 ? textOf(steps[humans[0]!]!.messages[0]!) : undefined;
  for (const [n, stretch] of toSummarize.entries()) {
    const share = totalSummarized > 0 ? summarizedTokens[n]! / totalSummarized : 1;
    const allowance = Math.min(summaryCap, Math.floor(room * share));
    const stretchMessages = stretch.flatMap((s) => s.messages);
    if (allowance < MIN_SUMMARY_TOKENS) {
      summaryOf.set(stretch[0]!, null);
      continue;
    }
    const text = await (options.summarizer ?? extractiveSummarizer)({ messages: stretchMessages, maxTokens: allowance, goal });
    const summary = new AIMessage({ id: randomUUID(), content: text, additional_kwargs: { [CONTEXT_KIND_KEY]: summaryMark(stretchMessages) } });
    summaryOf.set(stretch[0]!, summary);
    summaries.push(summary);
  }

  const out: BaseMessage[] = [];
  steps.forEach((step, i) => {
    if (kept.has(i)) out.push(...step.messages);
    else if (summaryOf.has(step)) {
      const summary = summaryOf.get(step);
      if (summary) out.push(summary);
    }
  });
  let tokens = count(out);
  // A model's summary may count differently than it was told: cut it until the call fits.
  for (const summary of summaries) {
    if (tokens <= budget) break;
    const over = tokens - budget;
    const text = textOf(summary);
    summary.content = truncateToTokens(text, Math.max(MIN_SUMMARY_TOKENS, messageTokens([summary]) - MESSAGE_FRAMING - over));
    tokens = count(out);
  }
  const keptSteps = [...kept].filter((i) => !pinned.has(i)).length;
  return {
    messages: out,
    changed: true,
    fits: tokens <= budget,
    tokensBefore,
    tokens,
    summarizedMessages: toSummarize.reduce((n, s) => n + s.reduce((m, step) => m + step.messages.length, 0), 0),
    restarted: keptSteps === 0 && toSummarize.length > 0,
    summaries,
    floorTokens: fixed,
  };
}

/** The structured side of a summary: counts and the latest calls, including those of summaries folded in. */
function summaryMark(messages: BaseMessage[]): SummaryMark {
  let callCount = 0;
  const calls: SummaryMark["calls"] = [];
  for (const step of toSteps(messages)) {
    const first = step.messages[0]!;
    const earlier = (first.additional_kwargs as Record<string, unknown> | undefined)?.[CONTEXT_KIND_KEY] as SummaryMark | undefined;
    if (earlier?.kind === "summary") {
      callCount += earlier.callCount;
      calls.push(...earlier.calls);
      continue;
    }
    if (step.kind !== "tool_step") continue;
    const results = new Map(step.messages.slice(1).map((m) => [(m as ToolMessage).tool_call_id, m as ToolMessage]));
    for (const call of (first as AIMessage).tool_calls ?? []) {
      const result = results.get(call.id ?? "");
      const digest = result ? resultDigest(result.content, 40) : { ok: false, text: "no result" };
      callCount += 1;
      calls.push({ name: call.name, args: call.args, ok: digest.ok, digest: digest.text });
    }
  }
  return { kind: "summary", callCount, calls: calls.slice(-RECENT_CALLS_KEPT) };
}
