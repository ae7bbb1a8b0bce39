/**
 * The semantic cache of final answers to read-only requests: a new request gets a stored answer when it means
 * the same (USE-Lite cosine over the request texts, through a LangGraph `BaseStore` with an index) AND names the
 * same numbers, entities, record kinds and action (`semantic-signature.ts`) with enough words in common (a
 * floor on shared content words), for the same tenant, and no record
 * the answer read has been written since (record versions, bumped by every audited write in
 * tools/shared/db-helpers.ts).
 *
 * What is stored: only answers of turns whose every tool was a read, completed with no human review, routed to
 * task agents (the weekly brief writes a chart file). Steps with side effects are never cached.
 *
 * Settings:
 * - `KEEL_SEMANTIC_CACHE`: `on` (default) | `off`. @example KEEL_SEMANTIC_CACHE=off
 * - `KEEL_SEMANTIC_CACHE_MIN_SIMILARITY`: cosine a stored request must reach (default 0.55, tuned on the dev half
 *   of evals/datasets/cost-paraphrases.jsonl). @example KEEL_SEMANTIC_CACHE_MIN_SIMILARITY=0.7
 */
import { InMemoryStore, type BaseStore } from "@langchain/langgraph";
import type { Embeddings } from "@langchain/core/embeddings";
import { retrievalEmbeddings } from "../retrieval/embeddings.js";
import { requestSignature, signatureDifference, signatureKey, type RequestSignature } from "./semantic-signature.js";
import { recordVersions } from "../../tools/shared/db-helpers.js";
import { companyDb } from "../db/index.js";
import { ConfigurationError } from "../errors.js";
import { contentWords } from "../models/offline/relevance.js";
import { recordCacheLookup } from "../observability/metrics.js";

export interface SemanticCacheSettings {
  enabled: boolean;
  minSimilarity: number;
  /** Share of content words two requests must have in common (Jaccard), besides the signature. */
  minWordOverlap?: number;
}

/**
 * A floor on shared words: "How is UPS performing on time?" and "How long does ground shipping take with UPS?"
 * have one signature (UPS) and cosine 0.71, but share one word in eight. The lowest overlap among the dev
 * paraphrases is 0.25 ("How are our carriers performing on time?" / "How punctual are our carriers?").
 */
export const DEFAULT_MIN_WORD_OVERLAP = 0.2;

export const DEFAULT_MIN_SIMILARITY = 0.55;

export function semanticCacheSettings(env: NodeJS.ProcessEnv = process.env): SemanticCacheSettings {
  const mode = (env.KEEL_SEMANTIC_CACHE ?? "on").trim().toLowerCase();
  if (mode !== "on" && mode !== "off") throw new ConfigurationError(`KEEL_SEMANTIC_CACHE is "${env.KEEL_SEMANTIC_CACHE}".`, 'Use "on" (default) or "off".');
  const raw = env.KEEL_SEMANTIC_CACHE_MIN_SIMILARITY?.trim();
  const minSimilarity = raw ? Number(raw) : DEFAULT_MIN_SIMILARITY;
  if (!Number.isFinite(minSimilarity) || minSimilarity <= 0 || minSimilarity > 1) {
    throw new ConfigurationError(`KEEL_SEMANTIC_CACHE_MIN_SIMILARITY is "${raw}".`, "Give a cosine similarity above 0 and at most 1, e.g. 0.55.");
  }
  return { enabled: mode === "on", minSimilarity };
}

/** What one cached answer keeps. */
interface CachedAnswer {
  request: string;
  answer: string;
  signature: string;
  /** Versions of the records (and record kinds) the answer read, when it was made. */
  versions: Record<string, number>;
  routes: string[];
  createdAt: string;
  /** What the caller keeps beside the answer (the meta agent: its agents' reports). */
  extra?: Record<string, unknown>;
}

export interface SemanticCacheStats {
  lookups: number;
  hits: number;
  /** A stored request was similar enough but named other numbers, entities, kinds or actions, or shared too few words. */
  signatureRejects: number;
  /** A matching entry whose records had been written since; it is deleted. */
  stale: number;
  stores: number;
}

export interface SemanticHit {
  answer: string;
  similarity: number;
  /** The stored request that matched. */
  request: string;
  extra?: Record<string, unknown>;
}

export interface StoreInput {
  tenant: string;
  request: string;
  answer: string;
  routes: string[];
  /** Ids of the records the answer rests on (agents' evidence). */
  evidence: string[];
  /** Kept and given back with a hit. */
  extra?: Record<string, unknown>;
}

export interface SemanticCacheOptions {
  /** Default: an `InMemoryStore` indexed with the retrieval embeddings (USE-Lite offline). */
  store?: BaseStore;
  embeddings?: Embeddings;
  settings?: SemanticCacheSettings;
  /** Current record versions; default: the company database's. */
  versions?: (keys: string[]) => Record<string, number>;
}

export class SemanticCache {
  readonly stats: SemanticCacheStats = { lookups: 0, hits: 0, signatureRejects: 0, stale: 0, stores: 0 };
  readonly settings: SemanticCacheSettings;
  private readonly store: BaseStore;
  private readonly versions: (keys: string[]) => Record<string, number>;

  constructor(options: SemanticCacheOptions = {}) {
    this.settings = options.settings ?? semanticCacheSettings();
    const embeddings = options.embeddings ?? retrievalEmbeddings(process.env, { cache: false }).embeddings;
    this.store = options.store ?? new InMemoryStore({ index: { dims: 512, embeddings, fields: ["request"] } });
    this.versions = options.versions ?? ((keys) => recordVersions(companyDb(), keys));
  }

  /** The cached answer for `request` in `tenant`, or undefined. */
  async lookup(tenant: string, request: string): Promise<SemanticHit | undefined> {
    if (!this.settings.enabled || !cacheable(request)) return undefined;
    this.stats.lookups++;
    const signature = requestSignature(request);
    const key = signatureKey(signature);
    const candidates = await this.store.search(namespaceOf(tenant), { query: request, limit: 5 });
    for (const item of candidates) {
      const value = item.value as unknown as CachedAnswer;
      if ((item.score ?? 0) < this.settings.minSimilarity) break;
      if (value.signature !== key || wordOverlap(request, value.request) < (this.settings.minWordOverlap ?? DEFAULT_MIN_WORD_OVERLAP)) {
        this.stats.signatureRejects++;
        continue;
      }
      const now = this.versions(Object.keys(value.versions));
      if (Object.entries(value.versions).some(([k, v]) => now[k] !== v)) {
        this.stats.stale++;
        await this.store.delete(namespaceOf(tenant), item.key);
        continue;
      }
      this.stats.hits++;
      recordCacheLookup("semantic", true);
      return { answer: value.answer, similarity: item.score ?? 0, request: value.request, ...(value.extra ? { extra: value.extra } : {}) };
    }
    recordCacheLookup("semantic", false);
    return undefined;
  }

  /** Keeps an answer with the versions of what it read. The caller decides it is cacheable (read-only turn). */
  async remember(input: StoreInput): Promise<void> {
    if (!this.settings.enabled || !cacheable(input.request)) return;
    const signature = requestSignature(input.request);
    const named = signature.entities.filter((e) => /^[A-Z]{2,4}-\d+$/.test(e) || /^[a-z0-9]+(?:-[a-z0-9]+)+$/.test(e));
    const records = [...new Set([...named, ...input.evidence])];
    // A request naming no record (a list, a total) depends on every record of the kinds it returned.
    const kinds = named.length === 0 ? [...new Set(records.map((id) => `kind:${id.split("-")[0]}`))] : [];
    const keys = [...records, ...kinds];
    const value: CachedAnswer = {
      request: input.request,
      answer: input.answer,
      signature: signatureKey(signature),
      versions: this.versions(keys),
      routes: input.routes,
      createdAt: new Date().toISOString(),
      ...(input.extra ? { extra: input.extra } : {}),
    };
    this.stats.stores++;
    await this.store.put(namespaceOf(input.tenant), signatureKey(signature) + "\u0000" + input.request, value as unknown as Record<string, unknown>);
  }

  /** Why `candidate` would not share an answer with `request` on signature alone (for benches and tests). */
  static mismatch(request: string, candidate: string): string[] {
    return signatureDifference(requestSignature(request), requestSignature(candidate));
  }
}

/** Jaccard overlap of the two requests' content words (light stems; ids and names included). */
export function wordOverlap(a: string, b: string): number {
  const left = new Set(contentWords(a));
  const right = new Set(contentWords(b));
  const shared = [...left].filter((w) => right.has(w)).length;
  const union = new Set([...left, ...right]).size;
  return union === 0 ? 1 : shared / union;
}

/** A request asking for an action is never answered from the cache. */
export function cacheable(request: string, signature: RequestSignature = requestSignature(request)): boolean {
  return signature.actions.length === 0 && request.trim().length > 0;
}

function namespaceOf(tenant: string): string[] {
  return ["keel", "semantic_cache", tenant || "default"];
}
