/**
 * The cost governor in the task agents: before each model call it estimates the call's cost and, when a budget
 * (request, thread or tenant; see budgets.ts) has no room for it, climbs a ladder until it fits:
 *
 *   1. compress the context (older completed steps shortened, tool call/result pairs kept whole);
 *   2. switch the call to the fast tier, when that tier is cheaper;
 *   3. ask a human (an interrupt of type "budget", when `onExceeded` is `approve`), or stop with a
 *      `BudgetExceededError` naming the budget, what is spent and what to do.
 *
 * The admitted call carries its reservation to the model's governor callback, which records the actual spend;
 * the model's message gets `response_metadata.keel_cost` (model, tokens, USD, cached, estimate), so every step
 * in the agent's state and in traces shows its cost. Put it last in the middleware list, so each call it wraps is
 * one model call with the final messages.
 *
 * @example createAgent({ model, tools, middleware: [..., costGovernorMiddleware({ agent: "finance" })] })
 */
import { createMiddleware } from "langchain";
import { interrupt } from "@langchain/langgraph";
import { AIMessage, type BaseMessage } from "@langchain/core/messages";
import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { BudgetExceededError, costGovernor, governedCall, modelNameOf, scopeFrom, type BudgetBreach, type CallCost, type CostGovernor, type CostEstimate } from "./governor.js";
import { compressSteps, type Compressor } from "./compress.js";
import { countReplyTokens } from "./tokens.js";
import { priceOf } from "./prices.js";
import { chatModel, modelSettings } from "../models/provider.js";

/** What a budget interrupt asks a human; resume with `{ decision: "approve" }` or `{ decision: "reject" }`. */
export interface BudgetApprovalRequest {
  type: "budget";
  agent: string;
  model: string;
  breach: BudgetBreach;
  /** The rungs already tried. */
  ladder: ("compress" | "fast_tier")[];
  description: string;
}

export interface CostGovernorOptions {
  /** The agent the calls belong to (for the spend records). @example "finance" */
  agent: string;
  /** Rung 1. Default: `compressSteps`. @example (messages) => compressSteps(messages, { keepRecent: 3 }) */
  compress?: Compressor;
  /** Rung 2: the fast-tier model. Default: the provider's fast tier (none offline, where every tier is the same model). @example () => chatModel("fast") */
  fastModel?: () => BaseChatModel | undefined;
  /** The governor to use; default the process's. @example () => new CostGovernor() */
  governor?: () => CostGovernor;
}

function defaultFastModel(): BaseChatModel | undefined {
  const settings = modelSettings();
  return settings.provider === "offline" ? undefined : chatModel("fast", settings);
}

/** True when a resume value approves (accepts `{decision:"approve"}`, `{type:"approve"}` or HITL's `{decisions:[...]}`). */
function approves(value: unknown): boolean {
  const v = value as { decision?: string; type?: string; decisions?: { type?: string }[] } | undefined;
  return v?.decision === "approve" || v?.type === "approve" || v?.decisions?.[0]?.type === "approve";
}

export function costGovernorMiddleware(options: CostGovernorOptions) {
  const compress = options.compress ?? ((m: BaseMessage[]) => compressSteps(m));
  const fastModel = options.fastModel ?? defaultFastModel;
  const governorOf = options.governor ?? costGovernor;
  return createMiddleware({
    name: "KeelCostGovernor",
    async wrapModelCall(request, handler) {
      const governor = governorOf();
      const configurable = (request.runtime as { configurable?: Record<string, unknown> }).configurable;
      const scope = scopeFrom({ ...configurable, langgraph_node: "model_request" }, options.agent);
      const estimateOf = (r: typeof request): CostEstimate => {
        const system = r.systemMessage?.content ? [r.systemMessage as BaseMessage] : [];
        return governor.estimate(modelNameOf(r.model), [...system, ...r.messages], r.tools);
      };
      let current = request;
      let estimate = estimateOf(current);
      let breach = governor.breach(scope, estimate);
      const ladder: BudgetApprovalRequest["ladder"] = [];
      if (breach) {
        const messages = compress(current.messages);
        if (messages !== current.messages) {
          ladder.push("compress");
          current = { ...current, messages };
          estimate = estimateOf(current);
          breach = governor.breach(scope, estimate);
          if (!breach) governor.stats.compressed += 1;
        }
      }
      if (breach) {
        const fast = fastModel();
        const fastPrice = fast ? priceOf(modelNameOf(fast)) : undefined;
        const currentPrice = priceOf(estimate.model);
        if (fast && fastPrice && (!currentPrice || fastPrice.input + fastPrice.output < currentPrice.input + currentPrice.output)) {
          ladder.push("fast_tier");
          current = { ...current, model: fast };
          estimate = estimateOf(current);
          breach = governor.breach(scope, estimate);
          if (!breach) governor.stats.downgraded += 1;
        }
      }
      let approved = false;
      if (breach) {
        if (governor.config()?.onExceeded !== "approve") {
          governor.stats.stopped += 1;
          throw new BudgetExceededError(breach, estimate.model);
        }
        governor.stats.approvalsRequested += 1;
        const description = `Over budget: the next ${options.agent} model call (${estimate.model}, ~$${breach.estimateUsd.toFixed(4)}) would take the ${breach.scope} spend to $${(breach.spentUsd + breach.estimateUsd).toFixed(4)} of $${breach.budgetUsd.toFixed(4)}${ladder.length ? ` after ${ladder.join(" and ")}` : ""}. Continue?`;
        const answer = interrupt<BudgetApprovalRequest, unknown>({ type: "budget", agent: options.agent, model: estimate.model, breach, ladder, description });
        if (!approves(answer)) {
          governor.stats.stopped += 1;
          throw new BudgetExceededError(breach, estimate.model, "was rejected by a human: it would exceed");
        }
        governor.stats.approved += 1;
        approved = true;
      }
      const ticket = { reservation: governor.reserve(scope, estimate, approved), used: false };
      let response: Awaited<ReturnType<typeof handler>>;
      try {
        response = await governedCall.run(ticket, () => handler(current));
      } catch (error) {
        if (!ticket.reservation.settled) governor.release(ticket.reservation);
        throw error;
      }
      // A model without the governor callback (one passed in by hand) is settled here from its reply.
      const message = AIMessage.isInstance(response) ? response : undefined;
      // A first attempt that failed was released; the retry that answered was admitted and recorded on its own.
      const cost: CallCost | undefined = ticket.reservation.settled ?? (ticket.reservation.released ? undefined : governor.settle(ticket.reservation, {
          model: (message?.response_metadata as { model_name?: string } | undefined)?.model_name,
          inputTokens: message?.usage_metadata?.input_tokens ?? estimate.inputTokens,
          outputTokens: message?.usage_metadata?.output_tokens ?? countReplyTokens(message),
          cached: false,
        }));
      if (message && cost) message.response_metadata = { ...message.response_metadata, keel_cost: { ...cost, ladder, approved } };
      return response;
    },
  });
}
