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
 * - `KEEL_MODEL_TIMEOUT_MS`: per-call timeout for real providers (default 60000).
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
}

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
  return new ChatOpenAI({
    model: settings.models[tier],
    apiKey: settings.apiKey ?? "not-needed",
    configuration: settings.baseURL ? { baseURL: settings.baseURL } : undefined,
    timeout: settings.timeoutMs,
    maxRetries: 2,
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
