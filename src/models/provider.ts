/**
 * The model provider layer. Two tiers, `fast` and `strong`, chosen per agent by configuration; each resolves to
 * - OpenAI (`@langchain/openai`) when `OPENAI_API_KEY` is set,
 * - any OpenAI-compatible server (Ollama, vLLM, llama.cpp server, LiteLLM) when `OPENAI_BASE_URL` is set,
 * - otherwise the built-in offline model.
 *
 * Environment:
 * - `KEEL_MODEL_PROVIDER`: `openai` | `offline`; default: `openai` when a key or base URL is set.
 * - `KEEL_MODEL_FAST`, `KEEL_MODEL_STRONG`: model names. @example KEEL_MODEL_FAST=llama3.1:8b
 * - `KEEL_AGENT_TIERS`: per-agent tiers. @example KEEL_AGENT_TIERS=meta=fast,finance=strong
 * - `KEEL_MODEL_TIMEOUT_MS`: timeout of one model call attempt (default 60000). @example KEEL_MODEL_TIMEOUT_MS=20000
 * - `KEEL_MODEL_FALLBACKS`: the models tried, in order, when a tier's model keeps failing or its breaker is open:
 *   `fast`, `strong`, `offline` (the built-in stand-in) or `<model>@<base URL>` (another OpenAI-compatible
 *   provider, keyed by `KEEL_FALLBACK_API_KEY` or `OPENAI_API_KEY`). Default: the other tier. `none` turns it off.
 *   @example KEEL_MODEL_FALLBACKS=fast,llama3.1:8b@http://127.0.0.1:11434/v1
 *
 * Retries, breakers and fallbacks live in src/reliability/ (one layer): the OpenAI client's own retry is off.
 */
import { ChatOpenAI } from "@langchain/openai";
import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { OfflineChatModel, OFFLINE_MODEL_NAME } from "./offline/offline-chat-model.js";
import { ConfigurationError } from "../errors.js";
import { withCostControls } from "../cost/model-controls.js";

export const MODEL_TIERS = ["fast", "strong"] as const;
export type ModelTier = (typeof MODEL_TIERS)[number];

export interface ModelSettings {
  provider: "openai" | "offline";
  models: Record<ModelTier, string>;
  baseURL?: string;
  apiKey?: string;
  /** Tier per agent name; agents not listed use their default. */
  agentTiers: Record<string, ModelTier>;
  timeoutMs: number;
  /** `KEEL_MODEL_FALLBACKS`, parsed; `undefined` means the default (the other tier). */
  fallbacks?: ModelFallback[];
  /** Key for `<model>@<base URL>` fallbacks. */
  fallbackApiKey?: string;
}

/** One entry of the fallback chain. */
export type ModelFallback = { kind: "tier"; tier: ModelTier } | { kind: "offline" } | { kind: "endpoint"; model: string; baseURL: string };

const DEFAULT_MODELS: Record<ModelTier, string> = { fast: "gpt-4o-mini", strong: "gpt-4o" };

/** Reads and validates the model settings; a malformed value throws `ConfigurationError` naming it. */
export function modelSettings(env: NodeJS.ProcessEnv = process.env): ModelSettings {
  const requested = env.KEEL_MODEL_PROVIDER?.trim();
  if (requested && requested !== "openai" && requested !== "offline") {
    throw new ConfigurationError(`KEEL_MODEL_PROVIDER is "${requested}".`, `Use "openai" (OpenAI or any OpenAI-compatible server) or "offline".`);
  }
  const baseURL = env.OPENAI_BASE_URL?.trim() || undefined;
  if (baseURL && !/^https?:\/\/[^\s]+$/.test(baseURL)) {
    throw new ConfigurationError(`OPENAI_BASE_URL is not an http(s) URL: "${baseURL}".`, `Set it to the server's base URL, for example http://localhost:11434/v1.`);
  }
  const apiKey = env.OPENAI_API_KEY?.trim() || undefined;
  const provider = requested === "offline" ? "offline" : requested === "openai" || apiKey || baseURL ? "openai" : "offline";
  if (provider === "openai" && !apiKey && !baseURL) {
    throw new ConfigurationError("KEEL_MODEL_PROVIDER=openai but neither OPENAI_API_KEY nor OPENAI_BASE_URL is set.", "Set one of them, or unset KEEL_MODEL_PROVIDER to use the offline model.");
  }
  const timeoutMs = env.KEEL_MODEL_TIMEOUT_MS ? Number(env.KEEL_MODEL_TIMEOUT_MS) : 60_000;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    throw new ConfigurationError(`KEEL_MODEL_TIMEOUT_MS is "${env.KEEL_MODEL_TIMEOUT_MS}".`, "Give a positive number of milliseconds.");
  }
  return {
    provider,
    models: {
      fast: env.KEEL_MODEL_FAST?.trim() || DEFAULT_MODELS.fast,
      strong: env.KEEL_MODEL_STRONG?.trim() || DEFAULT_MODELS.strong,
    },
    baseURL,
    apiKey,
    agentTiers: parseAgentTiers(env.KEEL_AGENT_TIERS),
    timeoutMs,
    fallbacks: parseFallbacks(env.KEEL_MODEL_FALLBACKS),
    fallbackApiKey: env.KEEL_FALLBACK_API_KEY?.trim() || apiKey,
  };
}

function parseAgentTiers(value: string | undefined): Record<string, ModelTier> {
  const tiers: Record<string, ModelTier> = {};
  if (!value?.trim()) return tiers;
  for (const entry of value.split(",")) {
    const [agent, tier] = entry.split("=").map((s) => s.trim());
    if (!agent || !MODEL_TIERS.includes(tier as ModelTier)) {
      throw new ConfigurationError(`KEEL_AGENT_TIERS has a malformed entry "${entry.trim()}".`, `Write agent=tier pairs separated by commas, tier one of ${MODEL_TIERS.join(", ")}; for example meta=fast,finance=strong.`);
    }
    tiers[agent] = tier as ModelTier;
  }
  return tiers;
}

function parseFallbacks(value: string | undefined): ModelFallback[] | undefined {
  if (!value?.trim()) return undefined;
  if (value.trim() === "none") return [];
  return value.split(",").map((raw) => {
    const entry = raw.trim();
    if (MODEL_TIERS.includes(entry as ModelTier)) return { kind: "tier", tier: entry as ModelTier };
    if (entry === "offline") return { kind: "offline" };
    const at = entry.lastIndexOf("@");
    const model = entry.slice(0, at).trim();
    const baseURL = entry.slice(at + 1).trim();
    if (at > 0 && model && /^https?:\/\/[^\s]+$/.test(baseURL)) return { kind: "endpoint", model, baseURL };
    throw new ConfigurationError(`KEEL_MODEL_FALLBACKS has a malformed entry "${entry}".`, "Use fast, strong, offline or <model>@<http(s) base URL>, separated by commas; or none.");
  });
}

/**
 * The models a call of this tier tries in order: the tier's own model, then the fallback chain (duplicates and,
 * on the offline provider, every fallback dropped: the offline model does not fail transiently).
 * @example chatModelChain("strong") // [gpt-4o, gpt-4o-mini]
 */
export function chatModelChain(tier: ModelTier, settings: ModelSettings = modelSettings()): BaseChatModel[] {
  if (settings.provider === "offline") return [chatModel(tier, settings)];
  const other: ModelTier = tier === "fast" ? "strong" : "fast";
  const entries = settings.fallbacks ?? (settings.models[other] !== settings.models[tier] ? [{ kind: "tier", tier: other } as ModelFallback] : []);
  const seen = new Set([`${settings.baseURL ?? "openai"}#${settings.models[tier]}`]);
  const chain = [chatModel(tier, settings)];
  for (const entry of entries) {
    const id = entry.kind === "tier" ? `${settings.baseURL ?? "openai"}#${settings.models[entry.tier]}` : entry.kind === "offline" ? "offline" : `${entry.baseURL}#${entry.model}`;
    if (seen.has(id)) continue;
    seen.add(id);
    if (entry.kind === "tier") chain.push(chatModel(entry.tier, settings));
    // Fallbacks are cached, priced and governed like the tiers.
    else if (entry.kind === "offline") chain.push(withCostControls(new OfflineChatModel({}), OFFLINE_MODEL_NAME));
    else chain.push(withCostControls(openAIModel(entry.model, entry.baseURL, settings.fallbackApiKey, settings.timeoutMs), entry.model));
  }
  return chain;
}

/** The tier an agent runs on: configured, else its default. */
export function tierFor(agent: string, fallback: ModelTier, settings = modelSettings()): ModelTier {
  return settings.agentTiers[agent] ?? fallback;
}

/** A chat model of the given tier under the current settings, with the exact cache and the cost governor. */
export function chatModel(tier: ModelTier, settings: ModelSettings = modelSettings()): BaseChatModel {
  return withCostControls(bareChatModel(tier, settings), settings.provider === "offline" ? OFFLINE_MODEL_NAME : settings.models[tier]);
}

function bareChatModel(tier: ModelTier, settings: ModelSettings): BaseChatModel {
  if (settings.provider === "offline") return new OfflineChatModel({});
  return openAIModel(settings.models[tier], settings.baseURL, settings.apiKey, settings.timeoutMs);
}

function openAIModel(model: string, baseURL: string | undefined, apiKey: string | undefined, timeoutMs: number): ChatOpenAI {
  return new ChatOpenAI({
    model,
    apiKey: apiKey ?? "not-needed",
    configuration: baseURL ? { baseURL } : undefined,
    timeout: timeoutMs,
    // One retry layer: src/reliability (Retry-After, breakers, fallbacks) retries; the client does not.
    maxRetries: 0,
    streamUsage: true,
  });
}

/** One line for start-up: which model answers, and that the offline one is a stand-in. */
export function describeModels(settings: ModelSettings = modelSettings()): string {
  if (settings.provider === "offline") {
    return `Model: ${OFFLINE_MODEL_NAME}, the built-in offline stand-in (deterministic; embedding-ranked tools, no LLM). Set OPENAI_API_KEY or OPENAI_BASE_URL for a real model.`;
  }
  const where = settings.baseURL ? `OpenAI-compatible server at ${settings.baseURL}` : "OpenAI";
  return `Models: ${settings.models.fast} (fast) and ${settings.models.strong} (strong) via ${where}.`;
}
