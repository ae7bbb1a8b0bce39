/**
 * The governor's door on every model the provider layer makes: a LangChain callback on the model itself, so it
 * sees each call however it is made (the meta router's structured output, the weekly brief's summary, a task
 * agent's step) and on any server that runs the graphs. Before a call it admits it or stops it with a
 * `BudgetExceededError` (calls the task-agent middleware already admitted pass with their reservation); after
 * it, it records the spend: the provider's `usage_metadata` when present, js-tiktoken counts otherwise.
 *
 * Why a callback rather than a middleware: the router and the workflow are not langchain agents, and a callback
 * registered on the model needs no change at each call site. It must run before the call and may throw, hence
 * `awaitHandlers` and `raiseError`.
 */
import { BaseCallbackHandler } from "@langchain/core/callbacks/base";
import type { Serialized } from "@langchain/core/load/serializable";
import type { BaseMessage } from "@langchain/core/messages";
import type { LLMResult } from "@langchain/core/outputs";
import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { BudgetExceededError, costGovernor, governedCall, modelNameOf, scopeFromMetadata, type CostGovernor, type Reservation } from "./governor.js";
import { countReplyTokens } from "./tokens.js";

interface UsageMetadata {
  input_tokens: number;
  output_tokens: number;
}

export class CostGovernorCallback extends BaseCallbackHandler {
  name = "keel_cost_governor";
  override raiseError = true;
  override awaitHandlers = true;
  private readonly runs = new Map<string, Reservation>();

  constructor(
    private readonly modelName: string,
    private readonly governor: () => CostGovernor = costGovernor,
  ) {
    super();
  }

  override async handleChatModelStart(_llm: Serialized, messages: BaseMessage[][], runId: string, _parentRunId?: string, extraParams?: Record<string, unknown>, _tags?: string[], metadata?: Record<string, unknown>): Promise<void> {
    const ticket = governedCall.getStore();
    if (ticket && !ticket.used) {
      ticket.used = true;
      this.runs.set(runId, ticket.reservation);
      return;
    }
    const governor = this.governor();
    const tools = (extraParams?.options as { tools?: unknown[] } | undefined)?.tools;
    const estimate = governor.estimate(this.modelName, messages[0] ?? [], tools);
    const scope = scopeFromMetadata(metadata);
    const breach = governor.breach(scope, estimate);
    if (breach) {
      governor.stats.stopped += 1;
      throw new BudgetExceededError(breach, this.modelName);
    }
    this.runs.set(runId, governor.reserve(scope, estimate));
  }

  override async handleLLMEnd(output: LLMResult, runId: string, _parentRunId?: string, _tags?: string[], extraParams?: Record<string, unknown>): Promise<void> {
    const reservation = this.runs.get(runId);
    if (!reservation) return;
    this.runs.delete(runId);
    const message = (output.generations[0]?.[0] as { message?: BaseMessage } | undefined)?.message;
    const usage = (message as { usage_metadata?: UsageMetadata } | undefined)?.usage_metadata;
    const reported = (message?.response_metadata as { model_name?: string } | undefined)?.model_name;
    const cached = extraParams?.cached === true;
    try {
      this.governor().settle(reservation, {
        model: reported,
        inputTokens: usage?.input_tokens ?? (cached ? 0 : reservation.estimate.inputTokens),
        outputTokens: usage?.output_tokens ?? (cached ? 0 : countReplyTokens(message)),
        cached,
      });
    } catch (error) {
      // Accounting must never fail the answer it accounts for.
      console.warn(`keel: could not record the spend of a model call (${(error as Error).message}).`);
    }
  }

  override async handleLLMError(_error: unknown, runId: string): Promise<void> {
    const reservation = this.runs.get(runId);
    if (!reservation) return;
    this.runs.delete(runId);
    this.governor().release(reservation);
  }
}

/** Puts the governor on a chat model (once); every call of it, bound or not, is then governed and recorded. */
export function attachCostGovernor<M extends BaseChatModel>(model: M, modelName = modelNameOf(model)): M {
  const existing = Array.isArray(model.callbacks) ? model.callbacks : model.callbacks ? undefined : [];
  if (existing === undefined) return model; // a CallbackManager of its own: leave it alone
  if (existing.some((h) => h instanceof CostGovernorCallback)) return model;
  model.callbacks = [...existing, new CostGovernorCallback(modelName)];
  return model;
}
