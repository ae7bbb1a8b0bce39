/**
 * Collects token usage of every model call in a run, through LangChain callbacks, so any provider (the offline
 * model included) is counted the same way: the provider's `usage_metadata` when present, js-tiktoken counts of
 * the prompt and the reply otherwise. Totals by model, by agent and by node, and the exact cache's hits and misses.
 */
import { BaseCallbackHandler } from "@langchain/core/callbacks/base";
import type { Serialized } from "@langchain/core/load/serializable";
import type { BaseMessage } from "@langchain/core/messages";
import type { LLMResult } from "@langchain/core/outputs";
import { costUsd } from "./prices.js";
import { countPromptTokens, countReplyTokens, normalizedToolSchemas } from "./tokens.js";
import { agentOf } from "./governor.js";
import type { SpendTotals } from "./spend-store.js";

/** The metadata key the exact cache puts on the models it serves (src/cache/exact-cache.ts). */
const CACHE_METADATA_KEY = "keel_exact_cache";

export interface UsageEntry {
  calls: number;
  inputTokens: number;
  outputTokens: number;
  /** USD; `undefined` when some model had no known price. */
  costUsd?: number | undefined;
}

export interface UsageTotals {
  modelCalls: number;
  inputTokens: number;
  outputTokens: number;
  /** USD; `undefined` when some model had no known price. */
  costUsd: number | undefined;
  byModel: Record<string, { calls: number; inputTokens: number; outputTokens: number }>;
  /** By agent (`meta` for the router, `weekly_brief`, or a task agent's name). */
  byAgent?: Record<string, UsageEntry>;
  /** By `agent/node` (e.g. `finance/model_request`, `meta/route`). */
  byNode?: Record<string, UsageEntry>;
  /** Calls answered by the exact cache, and calls to a cached model that missed it. */
  cache?: { hits: number; misses: number };
  /** Spend of the whole thread and of the tenant's current budget period, from the spend records. */
  thread?: SpendTotals;
  tenant?: SpendTotals;
}

interface StartedCall {
  agent: string;
  node: string;
  /** Counts the prompt with tiktoken; used only when the provider reports no usage. */
  countInput: () => number;
  cacheable: boolean;
}

export class UsageTracker extends BaseCallbackHandler {
  name = "keel_usage_tracker";
  private readonly byModel: UsageTotals["byModel"] = {};
  private readonly byAgent: Record<string, UsageEntry> = {};
  private readonly byNode: Record<string, UsageEntry> = {};
  private readonly started = new Map<string, StartedCall>();
  private readonly cache = { hits: 0, misses: 0 };

  override async handleChatModelStart(_llm: Serialized, messages: BaseMessage[][], runId: string, _parentRunId?: string, extraParams?: Record<string, unknown>, _tags?: string[], metadata?: Record<string, unknown>): Promise<void> {
    const tools = (extraParams?.options as { tools?: unknown[] } | undefined)?.tools;
    const agent = agentOf(metadata?.langgraph_checkpoint_ns ?? metadata?.checkpoint_ns);
    this.started.set(runId, {
      agent,
      node: `${agent}/${typeof metadata?.langgraph_node === "string" ? metadata.langgraph_node : "model"}`,
      countInput: () => countPromptTokens(messages[0] ?? [], normalizedToolSchemas(tools)),
      cacheable: Boolean(metadata?.[CACHE_METADATA_KEY]),
    });
  }

  override async handleLLMEnd(output: LLMResult, runId: string, _parentRunId?: string, _tags?: string[], extraParams?: Record<string, unknown>): Promise<void> {
    const started = this.started.get(runId);
    this.started.delete(runId);
    const cached = extraParams?.cached === true;
    if (started?.cacheable || cached) {
      if (cached) this.cache.hits += 1;
      else this.cache.misses += 1;
    }
    for (const generation of output.generations.flat()) {
      const message = (generation as { message?: BaseMessage }).message;
      const usage = (message as { usage_metadata?: { input_tokens: number; output_tokens: number } } | undefined)?.usage_metadata;
      if (!message && !started) continue;
      const inputTokens = usage?.input_tokens ?? (cached ? 0 : (started?.countInput() ?? 0));
      const outputTokens = usage?.output_tokens ?? (cached ? 0 : countReplyTokens(message));
      const model = (message?.response_metadata as { model_name?: string } | undefined)?.model_name ?? "unknown";
      const entry = (this.byModel[model] ??= { calls: 0, inputTokens: 0, outputTokens: 0 });
      entry.calls += 1;
      entry.inputTokens += inputTokens;
      entry.outputTokens += outputTokens;
      const cost = costUsd(model, inputTokens, outputTokens);
      for (const [table, key] of [[this.byAgent, started?.agent ?? "unknown"], [this.byNode, started?.node ?? "unknown/model"]] as const) {
        const e = (table[key] ??= { calls: 0, inputTokens: 0, outputTokens: 0, costUsd: 0 });
        e.calls += 1;
        e.inputTokens += inputTokens;
        e.outputTokens += outputTokens;
        e.costUsd = e.costUsd === undefined || cost === undefined ? undefined : e.costUsd + cost;
      }
    }
  }

  totals(): UsageTotals {
    let modelCalls = 0;
    let inputTokens = 0;
    let outputTokens = 0;
    let cost: number | undefined = 0;
    for (const [model, entry] of Object.entries(this.byModel)) {
      modelCalls += entry.calls;
      inputTokens += entry.inputTokens;
      outputTokens += entry.outputTokens;
      const c = costUsd(model, entry.inputTokens, entry.outputTokens);
      cost = cost === undefined || c === undefined ? undefined : cost + c;
    }
    return {
      modelCalls,
      inputTokens,
      outputTokens,
      costUsd: cost,
      byModel: structuredClone(this.byModel),
      byAgent: structuredClone(this.byAgent),
      byNode: structuredClone(this.byNode),
      cache: { ...this.cache },
    };
  }
}

const usd = (value: number | undefined) => (value === undefined ? "cost unknown (no price for a model)" : `$${value.toFixed(4)}`);

export function formatUsage(totals: UsageTotals): string {
  const parts = [`${totals.modelCalls} model calls, ${totals.inputTokens} input + ${totals.outputTokens} output tokens, ${usd(totals.costUsd)}`];
  if (totals.cache && totals.cache.hits + totals.cache.misses > 0) parts.push(`cache ${totals.cache.hits} hit${totals.cache.hits === 1 ? "" : "s"} / ${totals.cache.misses} miss${totals.cache.misses === 1 ? "" : "es"}`);
  if (totals.thread) parts.push(`thread total $${totals.thread.costUsd.toFixed(4)}`);
  if (totals.tenant) parts.push(`tenant total $${totals.tenant.costUsd.toFixed(4)}`);
  return parts.join("; ");
}

/** One line per agent with its calls and cost, for the CLI summary. */
export function formatAgentCosts(totals: UsageTotals): string {
  return Object.entries(totals.byAgent ?? {})
    .map(([agent, e]) => `${agent} ${e.calls} call${e.calls === 1 ? "" : "s"} ${usd(e.costUsd)}`)
    .join(", ");
}
