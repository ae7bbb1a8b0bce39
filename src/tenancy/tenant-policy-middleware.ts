/**
 * Applies the caller's tenant configuration inside a task agent (the tenant comes from the authenticated user in
 * the run config, `tenantOf`):
 * - model tier: the tenant's tier for this agent replaces the agent's own for every model call;
 * - tokens per minute: each model call's tokens (input + output, as the provider reports them) are debited from
 *   the tenant's bucket after the call; the API refuses new runs while the bucket is in debt (src/server);
 * - tool calls per minute: a call over the tenant's limit for that tool does not run; the model gets a
 *   `rate_limited` error with the wait, like any other tool failure;
 * - denied tools: a tool in the tenant's `deniedTools` does not run (`forbidden`), whatever its scopes.
 *
 * Written as one `createMiddleware` because langchain's `toolCallLimitMiddleware` counts calls per thread or
 * run, not per tenant per minute across runs, and has no shared (Redis) state.
 */
import { createMiddleware } from "langchain";
import { ToolMessage, type AIMessage } from "@langchain/core/messages";
import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { tenantOf } from "../guardrails/manifest.js";
import { chatModel, type ModelTier } from "../models/provider.js";
import { rateLimiter } from "../rate-limit/limiter.js";
import type { RateLimiter } from "../rate-limit/token-bucket.js";
import { tenantSettings, type TenantSettings } from "./tenant-config.js";
import { toolFailure } from "../toolkit/tool-result.js";

export interface TenantPolicyOptions {
  /** The agent's own tier (its default or `KEEL_AGENT_TIERS`). */
  agentTier: ModelTier;
  /** When the agent was built with a fixed model (tests), tiers are not swapped. */
  fixedModel?: boolean;
  limiter?: () => RateLimiter;
  settings?: (tenant: string) => TenantSettings | undefined;
  /** Builds a model of a tier (cached per tier). */
  modelOfTier?: (tier: ModelTier) => BaseChatModel;
}

/** Bucket keys, shared with the API side. */
export const tokenBucketKey = (tenant: string) => `tokens:${tenant}`;
export const toolBucketKey = (tenant: string, tool: string) => `tool:${tenant}:${tool}`;

/** The per-minute limit for `tool` in a tenant's settings (`*` when the tool is not named), if any. */
export function toolLimitOf(settings: TenantSettings | undefined, tool: string): number | undefined {
  const limits = settings?.rateLimits.toolCallsPerMinute;
  return limits?.[tool] ?? limits?.["*"];
}

/** Tokens a model call reports: its AI message's usage, or, for a structured response, its messages'. */
export function tokensOf(response: unknown): number {
  const one = (m: unknown) => {
    const usage = (m as AIMessage | undefined)?.usage_metadata;
    return usage ? usage.input_tokens + usage.output_tokens : 0;
  };
  const messages = (response as { messages?: unknown } | undefined)?.messages;
  return Array.isArray(messages) ? messages.reduce((sum: number, m) => sum + one(m), 0) : one(response);
}

function lookupSettings(tenant: string): TenantSettings | undefined {
  try {
    return tenantSettings(tenant);
  } catch {
    // A broken tenants file is reported at server start-up; in-process use (CLI) runs without tenant limits.
    return undefined;
  }
}

export function tenantPolicyMiddleware(agent: string, options: TenantPolicyOptions) {
  const limiter = options.limiter ?? rateLimiter;
  const settingsOf = options.settings ?? lookupSettings;
  const models = new Map<ModelTier, BaseChatModel>();
  const modelOfTier = (tier: ModelTier) => {
    let model = models.get(tier);
    if (!model) models.set(tier, (model = (options.modelOfTier ?? chatModel)(tier)));
    return model;
  };

  return createMiddleware({
    name: "KeelTenantPolicy",
    async wrapModelCall(request, handler) {
      const configurable = (request.runtime as { configurable?: Record<string, unknown> }).configurable;
      const tenant = tenantOf(configurable);
      const settings = settingsOf(tenant);
      const tier = settings?.modelTiers[agent as keyof TenantSettings["modelTiers"]];
      const swap = tier && tier !== options.agentTier && !options.fixedModel;
      const response = await handler(swap ? { ...request, model: modelOfTier(tier) } : request);
      const perMinute = settings?.rateLimits.tokensPerMinute;
      const tokens = tokensOf(response);
      if (perMinute && tokens > 0) await limiter().consume(tokenBucketKey(tenant), tokens, { perMinute }, "debit");
      return response;
    },
    async wrapToolCall(request, handler) {
      const configurable = request.runtime.configurable as Record<string, unknown> | undefined;
      const tenant = tenantOf(configurable);
      const tool = request.toolCall.name;
      const settings = settingsOf(tenant);
      if (settings?.deniedTools.includes(tool)) {
        const failure = toolFailure("forbidden", `Not permitted: the ${tool} tool is turned off for this organisation.`, "Tell the user this action is not available to them; do not try another tool to do the same.");
        return new ToolMessage({ content: JSON.stringify(failure), tool_call_id: request.toolCall.id ?? "", name: tool, status: "error" });
      }
      const perMinute = toolLimitOf(settings, tool);
      if (!perMinute) return handler(request);
      const decision = await limiter().consume(toolBucketKey(tenant, tool), 1, { perMinute }, "take");
      if (decision.allowed) return handler(request);
      const seconds = Math.max(1, Math.ceil(decision.retryAfterMs / 1000));
      const failure = {
        ok: false,
        error: {
          code: "rate_limited",
          message: `The ${tool} tool is over its limit of ${perMinute} calls a minute for this organisation.`,
          next_step: `Tell the user to try again in about ${seconds} seconds; do not call ${tool} again now.`,
          retry_after_seconds: seconds,
        },
      };
      return new ToolMessage({ content: JSON.stringify(failure), tool_call_id: request.toolCall.id ?? "", name: tool, status: "error" });
    },
  });
}
