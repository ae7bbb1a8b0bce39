/**
 * Collects token usage of every model call in a run, through LangChain callbacks, so any provider (the offline
 * model included) is counted the same way.
 */
import { BaseCallbackHandler } from "@langchain/core/callbacks/base";
import type { LLMResult } from "@langchain/core/outputs";
import { costUsd } from "./prices.js";

export interface UsageTotals {
  modelCalls: number;
  inputTokens: number;
  outputTokens: number;
  /** USD; `undefined` when some model had no known price. */
  costUsd: number | undefined;
  byModel: Record<string, { calls: number; inputTokens: number; outputTokens: number }>;
}

export class UsageTracker extends BaseCallbackHandler {
  name = "keel_usage_tracker";
  private readonly byModel: UsageTotals["byModel"] = {};

  override async handleLLMEnd(output: LLMResult): Promise<void> {
    for (const generation of output.generations.flat()) {
      const message = (generation as { message?: { usage_metadata?: { input_tokens: number; output_tokens: number }; response_metadata?: { model_name?: string } } }).message;
      const usage = message?.usage_metadata;
      if (!usage) continue;
      const model = message?.response_metadata?.model_name ?? "unknown";
      const entry = (this.byModel[model] ??= { calls: 0, inputTokens: 0, outputTokens: 0 });
      entry.calls += 1;
      entry.inputTokens += usage.input_tokens;
      entry.outputTokens += usage.output_tokens;
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
    return { modelCalls, inputTokens, outputTokens, costUsd: cost, byModel: structuredClone(this.byModel) };
  }
}

export function formatUsage(totals: UsageTotals): string {
  const cost = totals.costUsd === undefined ? "cost unknown (no price for a model)" : `$${totals.costUsd.toFixed(4)}`;
  return `${totals.modelCalls} model calls, ${totals.inputTokens} input + ${totals.outputTokens} output tokens, ${cost}`;
}
