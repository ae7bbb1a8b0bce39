/**
 * What the provider layer puts on every chat model it makes: the exact cache (src/cache/) and the cost
 * governor's callback (admission for calls no middleware governs, and spend records for all).
 */
import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { attachExactCache } from "../cache/exact-cache.js";
import { attachCostGovernor } from "./governor-callback.js";

/** @example const model = withCostControls(new ChatOpenAI({ model: "gpt-4o" }), "gpt-4o"); */
export function withCostControls<M extends BaseChatModel>(model: M, modelName: string): M {
  return attachCostGovernor(attachExactCache(model, modelName), modelName);
}
