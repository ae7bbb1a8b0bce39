/**
 * Context management for a task agent over long tasks: every model call stays within
 * `KEEL_CONTEXT_BUDGET_TOKENS`, counting the system prompt and the bound tool schemas, with the pinned goal in it.
 *
 * - `beforeModel` (persistent): when the conversation reaches 80% of the budget, older steps are summarized
 *   (`compressContext`, down to 60%, so it does not run at every step) and the state's messages are replaced
 *   (`RemoveMessage(REMOVE_ALL_MESSAGES)` + the compacted list); the tool calls summarized become thread facts in
 *   the memory store. When not even the latest step fits, the history restarts from goal + summary; the previous
 *   history stays in the checkpoint before this step, and `keelContext.restarts` records that it happened.
 * - `wrapModelCall` (per call, exact): puts the remembered facts next to the goal, counts what is really sent
 *   (system message, messages, the tools bound after tool selection and the structured-response tool) and, if
 *   it is still over the budget, compresses this call's messages; if even the system prompt, tools and goal do
 *   not fit, the call fails with a `ContextBudgetError` naming the setting.
 *
 * Hand-written because langchain's `summarizationMiddleware` counts only the messages (not the system prompt or
 * the bound tool schemas) and replaces the goal along with the other old messages by a summary written as a
 * human message (which would become the offline model's objective and tool selection's goal); and
 * `contextEditingMiddleware` only blanks old tool results with a placeholder, losing the ids a summary keeps.
 */
import { createMiddleware } from "langchain";
import { RemoveMessage, SystemMessage, type BaseMessage } from "@langchain/core/messages";
import { REMOVE_ALL_MESSAGES, type BaseStore } from "@langchain/langgraph";
import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { z } from "zod";
import { chatModel } from "../models/provider.js";
import { persistVault, threadVault } from "../guardrails/pii/vault-store.js";
import { compressContext, type CompressResult } from "./compress.js";
import { ContextBudgetError, contextSettings, type ContextSettings } from "./settings.js";
import { extractiveSummarizer, isSummaryMessage, modelSummarizer, type Summarizer } from "./summarizer.js";
import { boundToolSchemas, callTokens, messageTokens, type ToolSchema } from "./tokens.js";
import { defaultMemoryStore, factsFromSteps, memoryNote, memoryScopeOf, recallFacts, rememberFact } from "./memory.js";

/** Compaction starts when a call would take this share of the budget... */
export const COMPACT_AT = 0.8;
/** ...and brings the conversation down to this share, leaving room for the next steps. */
export const COMPACT_TO = 0.6;
/** Share of the budget the remembered facts may take in a call. */
export const MEMORY_SHARE = 0.1;

export interface ContextBudgetOptions {
  /** The agent, for error messages. @example "finance" */
  agent: string;
  /** The agent's system prompt, for the estimate before the first call has been measured. @example "You are the finance agent. ..." */
  systemPrompt?: string;
  /** The agent's tools, for the same estimate (an upper bound: tool selection binds fewer). @example financeTools */
  tools?: readonly unknown[];
  /** Default: from the environment (`contextSettings()`). @example { budgetTokens: 16000, summarizer: "extractive" } */
  settings?: ContextSettings;
  /** @example extractiveSummarizer. Default: per `KEEL_CONTEXT_SUMMARIZER`, the fast tier's model (extractive for the offline model). */
  summarizer?: Summarizer;
  /** The memory store when the graph has none. Default: the process-wide one (`useMemoryStore`). @example new InMemoryStore() */
  store?: BaseStore;
  /** Put remembered facts next to the goal. @default true @example false */
  memory?: boolean;
}

/** Kept in the agent's state (and so in every checkpoint): what context management did in this thread. */
export const ContextStateSchema = z.object({
  keelContext: z
    .object({
      compactions: z.number(),
      restarts: z.number(),
      summarizedMessages: z.number(),
      /** Tokens of the conversation before and after the last compaction (overhead included). */
      lastTokensBefore: z.number(),
      lastTokensAfter: z.number(),
    })
    .optional(),
});
export type ContextState = z.infer<typeof ContextStateSchema>["keelContext"];

/** Measured overhead (system message + bound tool schemas) of the last call per thread; bounded. */
class OverheadMemo {
  private readonly entries = new Map<string, number>();
  get(key: string): number | undefined {
    return this.entries.get(key);
  }
  set(key: string, value: number): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size > 2000) this.entries.delete(this.entries.keys().next().value as string);
  }
}

/** Per thread (the memo is per agent already); not per checkpoint namespace, which differs between the hook nodes. */
function threadKey(configurable: Record<string, unknown> | undefined): string {
  return String(configurable?.thread_id ?? "");
}

export function contextBudgetMiddleware(options: ContextBudgetOptions) {
  const settings = options.settings ?? contextSettings();
  const budget = settings.budgetTokens;
  const memoryAllowance = options.memory === false ? 0 : Math.floor(budget * MEMORY_SHARE);
  const overheads = new OverheadMemo();
  const estimate = messageTokens(options.systemPrompt ? [new SystemMessage(options.systemPrompt)] : [], options.tools ? boundToolSchemas(options.tools) : []);
  let summarizer = options.summarizer;
  const summarizerFor = (configurable: Record<string, unknown> | undefined): Summarizer => (request) => {
    if (options.summarizer) return options.summarizer(request);
    if (settings.summarizer === "extractive") return extractiveSummarizer(request);
    summarizer ??= modelSummarizer(fastModel());
    if (summarizer === extractiveSummarizer) return summarizer(request);
    // A summary model is a provider like any other: PII goes to it redacted, through the thread's vault.
    return redacted(summarizer, String(configurable?.thread_id ?? "no-thread"))(request);
  };
  const storeOf = (runtime: { store?: BaseStore }) => runtime.store ?? options.store ?? defaultMemoryStore();

  return createMiddleware({
    name: "KeelContextBudget",
    stateSchema: ContextStateSchema,

    async beforeModel(state, runtime) {
      const configurable = (runtime as { configurable?: Record<string, unknown> }).configurable;
      const overhead = overheads.get(threadKey(configurable)) ?? estimate;
      const messages = state.messages;
      const used = messageTokens(messages) + overhead + memoryAllowance;
      if (used <= budget * COMPACT_AT) return undefined;
      const result = await compressContext(messages, budget, {
        reserveTokens: overhead + memoryAllowance,
        target: Math.floor(budget * COMPACT_TO),
        summarizer: summarizerFor(configurable),
        force: true,
      });
      // Nothing to summarize, or the pinned messages alone exceed it: wrapModelCall decides (and explains).
      if (!result.changed) return undefined;
      await rememberSummarized(storeOf(runtime as { store?: BaseStore }), configurable, messages, result);
      const previous = state.keelContext;
      const keelContext: NonNullable<ContextState> = {
        compactions: (previous?.compactions ?? 0) + 1,
        restarts: (previous?.restarts ?? 0) + (result.restarted ? 1 : 0),
        summarizedMessages: (previous?.summarizedMessages ?? 0) + result.summarizedMessages,
        lastTokensBefore: result.tokensBefore,
        lastTokensAfter: result.tokens,
      };
      return { messages: [new RemoveMessage({ id: REMOVE_ALL_MESSAGES }), ...result.messages], keelContext };
    },

    async wrapModelCall(request, handler) {
      const configurable = request.runtime.configurable as Record<string, unknown> | undefined;
      const schemas: ToolSchema[] = boundToolSchemas(request.tools, request.responseFormat);
      const system = request.systemMessage;
      overheads.set(threadKey(configurable), callTokens(system, [], schemas));

      let messages = request.messages;
      let note = memoryAllowance > 0 ? await memoryNoteFor(storeOf(request.runtime as { store?: BaseStore }), configurable, messages, memoryAllowance) : undefined;
      let tokens = callTokens(system, messages, schemas) + (note ? messageTokens([note]) : 0);
      let compressed: CompressResult | undefined;
      if (tokens > budget) {
        const compress = (reserveTokens: number) => compressContext(messages, budget, { system, toolSchemas: schemas, reserveTokens, summarizer: summarizerFor(configurable) });
        compressed = await compress(note ? messageTokens([note]) : 0);
        // Remembered facts are a help, the pinned goal a must: without room for both, the facts stay out.
        if (!compressed.fits && note) {
          note = undefined;
          compressed = await compress(0);
        }
        if (!compressed.fits) {
          throw new ContextBudgetError(
            `The ${options.agent} agent's system prompt, bound tool schemas and pinned goal take ${compressed.floorTokens} tokens, more than KEEL_CONTEXT_BUDGET_TOKENS (${budget}).`,
            "Raise KEEL_CONTEXT_BUDGET_TOKENS, bind fewer tools (KEEL_TOOL_SELECTION_K) or shorten the request.",
          );
        }
        messages = compressed.messages;
        tokens = compressed.tokens;
      }
      const sent = note ? withNoteAfterGoal(messages, note) : messages;
      const response = await handler({ ...request, messages: sent });
      response.response_metadata = {
        ...response.response_metadata,
        keel_context: { tokens, budget, ...(note ? { memory_facts: (note.additional_kwargs.keel_context as { facts: number }).facts } : {}), ...(compressed ? { compressed_in_call: true } : {}) },
      };
      return response;
    },
  });
}

function redacted(inner: Summarizer, threadId: string): Summarizer {
  return async (request) => {
    const vault = await threadVault(threadId);
    const messages = request.messages.map((message) => {
      if (typeof message.content !== "string") return message;
      const { text } = vault.redact(message.content);
      if (text === message.content) return message;
      const Ctor = message.constructor as new (fields: Record<string, unknown>) => BaseMessage;
      return new Ctor({ ...(message as unknown as Record<string, unknown>), content: text });
    });
    const goal = request.goal === undefined ? undefined : vault.redact(request.goal).text;
    await persistVault(vault);
    return inner({ ...request, messages, ...(goal === undefined ? {} : { goal }) });
  };
}

let fast: BaseChatModel | undefined;
function fastModel(): BaseChatModel {
  fast ??= chatModel("fast");
  return fast;
}

/** The memory note goes right after the goal (and the summaries that follow it), before the recent steps. */
function withNoteAfterGoal(messages: BaseMessage[], note: BaseMessage): BaseMessage[] {
  let at = messages.findIndex((m) => m.getType() === "human");
  if (at < 0) return [note, ...messages];
  at += 1;
  while (at < messages.length && isSummaryMessage(messages[at]!)) at += 1;
  return [...messages.slice(0, at), note, ...messages.slice(at)];
}

async function memoryNoteFor(store: BaseStore, configurable: Record<string, unknown> | undefined, messages: BaseMessage[], allowance: number) {
  const scope = memoryScopeOf(configurable);
  if (!scope.threadId && !scope.userId) return undefined;
  const facts = await recallFacts(store, scope);
  if (facts.length === 0) return undefined;
  // The note joins the call after the PII middleware has run: user facts are redacted here, through the same vault.
  const vault = await threadVault(String(configurable?.thread_id ?? "no-thread"));
  const redactedFacts = facts.map((fact) => ({ ...fact, text: vault.redact(fact.text).text }));
  await persistVault(vault);
  return memoryNote(redactedFacts, messages, allowance);
}

/** Every tool call that a compaction folded into a summary becomes a thread fact. */
async function rememberSummarized(store: BaseStore, configurable: Record<string, unknown> | undefined, before: BaseMessage[], result: CompressResult) {
  const scope = memoryScopeOf(configurable);
  if (!scope.threadId) return;
  const kept = new Set(result.messages);
  const gone = before.filter((m) => !kept.has(m));
  for (const fact of factsFromSteps(gone)) await rememberFact(store, scope, "thread", fact.key, fact.text, fact.source);
}
