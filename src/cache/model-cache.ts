/**
 * The exact cache of model calls: LangChain's `BaseCache`, so a chat model with `cache` set looks each call up
 * before calling the provider (a hit costs nothing: LangChain zeroes its usage and marks the callback `cached`).
 * The key is a sha256 of the model's normalized call parameters (see exact-cache.ts: model, bound tools, tool
 * choice, structured-output schema) and the prompt (every message with its role, name, content and tool calls).
 *
 * A store that fails (Redis unreachable, an unwritable file) degrades to no caching with one warning per
 * outage; it never fails the call.
 */
import { createHash } from "node:crypto";
import { BaseCache, deserializeStoredGeneration, serializeGeneration } from "@langchain/core/caches";
import type { Generation } from "@langchain/core/outputs";
import { AIMessage, AIMessageChunk } from "@langchain/core/messages";
import type { CacheBackend } from "./backend.js";

export interface CacheStats {
  hits: number;
  misses: number;
  /** Lookups or writes that failed and were served uncached. */
  errors: number;
}

export class KeelModelCache extends BaseCache<Generation[]> {
  readonly stats: CacheStats = { hits: 0, misses: 0, errors: 0 };
  private warned = false;

  constructor(
    readonly backend: CacheBackend,
    private readonly ttlSeconds: number,
    private readonly warn: (message: string) => void = (m) => console.warn(m),
  ) {
    super();
  }

  static keyOf(prompt: string, llmKey: string): string {
    return createHash("sha256").update(llmKey).update("\u0000").update(prompt).digest("hex");
  }

  async lookup(prompt: string, llmKey: string): Promise<Generation[] | null> {
    let stored: string | undefined;
    try {
      stored = await this.backend.get(KeelModelCache.keyOf(prompt, llmKey));
    } catch (error) {
      this.failed("lookup", error);
      this.stats.misses += 1;
      return null;
    }
    if (stored === undefined) {
      this.stats.misses += 1;
      return null;
    }
    try {
      const generations = (JSON.parse(stored) as Parameters<typeof deserializeStoredGeneration>[0][]).map(deserializeStoredGeneration).map(asChunk);
      this.stats.hits += 1;
      this.warned = false;
      return generations;
    } catch {
      this.stats.misses += 1; // an unreadable entry is a miss; the fresh answer overwrites it
      return null;
    }
  }

  async update(prompt: string, llmKey: string, value: Generation[]): Promise<void> {
    try {
      await this.backend.set(KeelModelCache.keyOf(prompt, llmKey), JSON.stringify(value.map(serializeGeneration)), this.ttlSeconds);
      this.warned = false;
    } catch (error) {
      this.failed("write", error);
    }
  }

  private failed(what: string, error: unknown): void {
    this.stats.errors += 1;
    if (this.warned) return;
    this.warned = true;
    this.warn(`keel: the model cache (${this.backend.name}) failed a ${what} (${(error as Error).message}); calls go uncached until it is back.`);
  }
}

/**
 * Cached replies come back as chunks, as streaming providers and the offline model return them: LangChain's
 * generic structured-output parser refuses a plain AIMessage ("Input is not an AIMessageChunk").
 */
function asChunk(generation: Generation): Generation {
  const message = (generation as { message?: unknown }).message;
  if (!AIMessage.isInstance(message) || AIMessageChunk.isInstance(message)) return generation;
  const chunk = new AIMessageChunk({
    content: message.content,
    id: message.id,
    name: message.name,
    tool_calls: message.tool_calls ?? [],
    additional_kwargs: message.additional_kwargs,
    response_metadata: message.response_metadata,
    usage_metadata: message.usage_metadata,
  });
  return { ...generation, message: chunk } as Generation;
}
