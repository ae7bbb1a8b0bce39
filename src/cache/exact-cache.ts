/**
 * The exact model-call cache of the app: one `KeelModelCache` per process (SQLite by default, Redis with
 * `REDIS_URL`, none with `KEEL_CACHE=off`; see settings.ts), attached by the provider layer to every chat model.
 *
 * Key: LangChain's prompt string (each message's role, name, content and tool calls, ids included) with the
 * call's parameters normalized here: the model name, the bound tools as JSON schemas, tool choice, the
 * structured-output schema and the other call options, without run-time fields (signals, callbacks) or secrets.
 * LangChain's own parameter string does not fit as it is: it drops the schemas of tools that are not plain JSON
 * (the offline model's bound tools all serialize as "not_implemented", so two tool sets would collide) and it
 * holds the API key.
 *
 * A cached reply can contain tool calls, with the ids of the reply it copies. Running them is still governed
 * like any call (approval, least privilege), and the exactly-once ledger of write tools is keyed by thread and
 * checkpoint namespace as well as the call id, so a cached reply in another thread or turn never finds (and
 * never replays) another run's recorded write.
 *
 * @example
 * KEEL_CACHE=on REDIS_URL=redis://127.0.0.1:6379/0 npm start -- "why was customer CUS-1042 charged twice?"
 * exactCacheStats() // { enabled: true, backend: "redis", hits: 3, misses: 0, errors: 0 }
 */
import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { cacheSettings, type CacheSettings } from "./settings.js";
import { KeelModelCache, type CacheStats } from "./model-cache.js";
import { SqliteCacheBackend } from "./sqlite-backend.js";
import { RedisCacheBackend } from "./redis-backend.js";
import { normalizedToolSchemas } from "../cost/tokens.js";
import { dataDir } from "../db/index.js";

/** Metadata that marks a model as cached, so usage trackers can count misses as well as hits. */
export const CACHE_METADATA_KEY = "keel_exact_cache";

/** Call options that are run-time plumbing, not part of what the model is asked. */
// A denylist, not an allowlist: an unknown option then costs a miss, never a wrong hit.
const RUNTIME_OPTIONS = new Set([
  ...["signal", "callbacks", "runName", "runId", "metadata", "tags", "configurable", "recursionLimit", "maxConcurrency", "timeout", "config"],
  // LangGraph's run-time config (checkpoint ids, task ids, timestamps): different on every call.
  ...["outputKeys", "streamMode", "store", "writer", "interrupt", "context", "interruptBefore", "interruptAfter", "checkpointDuring", "durability", "heartbeat", "executionInfo", "serverInfo", "control", "subgraphs", "cache"],
]);
const SECRET_PARAMS = new Set(["apiKey", "openAIApiKey", "azureOpenAIApiKey", "configuration", "dangerouslyAllowBrowser", "organization"]);

/** JSON with object keys sorted, so equal values give equal strings. */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v && typeof v === "object" && !Array.isArray(v)) {
      return Object.fromEntries(Object.keys(v as Record<string, unknown>).sort().map((k) => [k, (v as Record<string, unknown>)[k]]));
    }
    return v;
  });
}

/** The normalized parameter string of one call (the "llm string" half of the cache key). */
export function normalizedLlmKey(model: BaseChatModel, modelName: string, callOptions: Record<string, unknown>): string {
  const identifying = Object.fromEntries(Object.entries((model as unknown as { _identifyingParams(): Record<string, unknown> })._identifyingParams?.() ?? {}).filter(([k]) => !SECRET_PARAMS.has(k)));
  const options: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(callOptions)) {
    if (value === undefined || RUNTIME_OPTIONS.has(key)) continue;
    options[key] = key === "tools" ? normalizedToolSchemas(value as unknown[]) : value;
  }
  return stableJson({ model: modelName, type: model._llmType(), identifying, options });
}

let shared: { signature: string; cache: KeelModelCache } | undefined;

function signatureOf(settings: CacheSettings): string {
  return settings.backend === "redis" ? `redis ${settings.redisUrl}` : `sqlite ${dataDir()}`;
}

/** The process's exact cache under the current settings, or `undefined` when caching is off. */
export function exactCache(settings: CacheSettings = cacheSettings()): KeelModelCache | undefined {
  if (!settings.enabled) return undefined;
  const signature = signatureOf(settings);
  if (shared?.signature !== signature) {
    const backend = settings.backend === "redis" ? new RedisCacheBackend(settings.redisUrl!) : new SqliteCacheBackend();
    const previous = shared?.cache;
    shared = { signature, cache: new KeelModelCache(backend, settings.ttlSeconds) };
    void previous?.backend.close();
  }
  return shared.cache;
}

/**
 * Sets the exact cache on a chat model, with the normalized key. Returns the model unchanged when caching is off
 * (or `cacheToUse` is null).
 * @example const model = attachExactCache(new ChatOpenAI({ model: "gpt-4o-mini" }), "gpt-4o-mini");
 */
export function attachExactCache<M extends BaseChatModel>(model: M, modelName: string, cacheToUse?: KeelModelCache | null): M {
  // undefined: the process's cache under the current settings; null: none.
  const cache = cacheToUse === undefined ? exactCache() : cacheToUse;
  if (!cache) return model;
  model.cache = cache;
  // The instance's parameter string, normalized (see the module comment for why LangChain's does not fit).
  model._getSerializedCacheKeyParametersForCall = ({ config: _config, ...options }) => normalizedLlmKey(model, modelName, options as Record<string, unknown>);
  model.metadata = { ...model.metadata, [CACHE_METADATA_KEY]: cache.backend.name };
  return model;
}

/** Hits, misses and errors of the process's exact cache since start (or the last reset). */
export function exactCacheStats(): CacheStats & { enabled: boolean; backend?: "sqlite" | "redis" } {
  const settings = cacheSettings();
  const cache = settings.enabled ? shared?.cache : undefined;
  return { enabled: settings.enabled, backend: cache?.backend.name ?? (settings.enabled ? settings.backend : undefined), hits: cache?.stats.hits ?? 0, misses: cache?.stats.misses ?? 0, errors: cache?.stats.errors ?? 0 };
}

export function resetExactCacheStats(): void {
  if (!shared) return;
  Object.assign(shared.cache.stats, { hits: 0, misses: 0, errors: 0 });
}

/** Closes the cache's connection or file (it reopens on next use); for shutdown and tests. */
export async function closeExactCache(): Promise<void> {
  await shared?.cache.backend.close();
}
