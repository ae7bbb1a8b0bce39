/**
 * Model calls under the failure handling: each model of the chain (the tier's model, then `KEEL_MODEL_FALLBACKS`)
 * gets retries with backoff honouring `Retry-After`, a timeout per attempt and its own circuit breaker; when one
 * gives up or its breaker is open, the next model answers. A reply whose tool-call arguments are not valid JSON
 * counts as a transient failure, so it is asked again.
 *
 * Hand-written around cockatiel rather than langchain's modelRetryMiddleware + modelFallbackMiddleware: those have
 * no circuit breaker, and the meta router calls its model outside any agent, so one function serves both.
 */
import { createMiddleware } from "langchain";
import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import type { AIMessage } from "@langchain/core/messages";
import { chatModelChain, modelSettings, type ModelTier } from "../models/provider.js";
import { resilientCall, isOpenBreaker } from "./policy.js";
import { isTransientError, MalformedToolCallError } from "./transient.js";
import { count } from "./stats.js";

/** Breaker key of a model: provider endpoint and model name. @example "model:http://127.0.0.1:8080/v1#gpt-4o" */
export function modelKey(model: BaseChatModel): string {
  const m = model as unknown as { model?: string; modelName?: string; clientConfig?: { baseURL?: string } };
  const endpoint = m.clientConfig?.baseURL ?? (model._llmType() === "openai" ? "openai" : model._llmType());
  return `model:${endpoint}#${m.model ?? m.modelName ?? model.getName()}`;
}

/** Throws `MalformedToolCallError` for a reply whose only tool calls could not be parsed. */
export function assertWellFormed<T>(reply: T): T {
  const message = reply as Partial<AIMessage> | undefined;
  if (message && Array.isArray(message.invalid_tool_calls) && message.invalid_tool_calls.length > 0 && !(message.tool_calls?.length)) {
    count("malformedToolCalls");
    const names = message.invalid_tool_calls.map((c) => c.name ?? "?").join(", ");
    throw new MalformedToolCallError(`The model's tool call arguments (${names}) are not valid JSON.`);
  }
  return reply;
}

/**
 * Runs `call` on each model of `chain` in turn under the model policy until one succeeds. A failure that is
 * neither transient nor an open breaker (a bad request, a refused key) stops at once: another model would not help.
 * @example const decision = await runModelChain(chatModelChain("fast"), (model) => decideRoute(model, request));
 */
export async function runModelChain<T>(chain: BaseChatModel[], call: (model: BaseChatModel) => Promise<T>, timeoutMs = modelSettings().timeoutMs): Promise<T> {
  let lastError: unknown;
  for (const [index, model] of chain.entries()) {
    if (index > 0) count("modelFallbacks");
    try {
      return await resilientCall({ key: modelKey(model), kind: "model", timeoutMs }, async () => assertWellFormed(await call(model)));
    } catch (error) {
      lastError = error;
      if (!isTransientError(error) && !isOpenBreaker(error)) throw error;
    }
  }
  throw lastError;
}

/**
 * The agent middleware: put it last in an agent's list, so a retry re-sends the request exactly as the other
 * middleware prepared it. The primary model is the request's (a tenant's tier or a test's model); the fallbacks
 * are those of `tier`.
 */
export function modelReliabilityMiddleware(tier: ModelTier) {
  return createMiddleware({
    name: "ModelReliability",
    wrapModelCall: async (request, handler) => {
      const [, ...fallbacks] = chatModelChain(tier);
      const chain = [request.model as BaseChatModel, ...fallbacks.filter((m) => modelKey(m) !== modelKey(request.model as BaseChatModel))];
      return runModelChain(chain, (model) => Promise.resolve(handler({ ...request, model })));
    },
  });
}
