/**
 * `ToolIndex`: picks the few tools relevant to a request out of a catalogue of any size (RAG over tools), so a
 * model call binds 5 tool schemas instead of 50 or 2,000.
 *
 * - Dense half: the vectors live in a LangGraph store (`BaseStore` with an `index`): `InMemoryStore` by
 *   default, or any store you pass (e.g. `PostgresStore` from @langchain/langgraph-checkpoint-postgres/store
 *   configured with `toolStoreIndex(...)`). Items sit under `["keel", "tools", <catalogue id>]`, one per tool,
 *   with one vector for the tool's text and one per example request (the store scores an item by its best
 *   vector). With a store you pass, searches go through `store.search(namespace, { query, filter, limit })`;
 *   with the InMemoryStore the index fills itself, the same vectors are also kept unit-length in one Float32Array
 *   and scored in one pass (`VectorMatrix`), which is several times faster than the store's search.
 * - Keyword half: BM25F over name, description, parameters and examples (`bm25.ts`).
 * - Fusion (`fusion.ts`): weighted sum of cosine and scaled BM25; see the README for the measurements.
 * - Re-ranking (`rerank.ts`, opt-in): a fitted linear model re-orders the head of the whole request's fused ranking.
 * - Multi-task requests (`query-split.ts`) are ranked whole and per task, and the rankings merged so that every
 *   task that matches a tool well gets one into the top k (`coverRankings`).
 *
 * Guarantees:
 * - Filtering happens before ranking: a tool outside `allowed` (the agent's scope, the tenant's grants) is
 *   never scored, so it can never be selected, not even through `alwaysInclude`.
 * - A failing embedding backend (at build or at query time) never throws out of `select`/`search`: ranking
 *   falls back to BM25, the result says `fallback: "keyword"`, and a warning is logged once.
 */
import type { Embeddings } from "@langchain/core/embeddings";
import { Embeddings as EmbeddingsBase } from "@langchain/core/embeddings";
import { InMemoryStore, type BaseStore, type PutOperation } from "@langchain/langgraph";
import { createHash } from "node:crypto";
import { Bm25Index, type Bm25Options } from "./bm25.js";
import { DEFAULT_FUSION, fuse, type FusionOptions, type Fused } from "./fusion.js";
import { embeddingTexts, keywordFields, validateCatalog, type ToolDocument } from "./tool-document.js";
import { coverRankings, splitQuery } from "./query-split.js";
import { RerankContext } from "./rerank.js";
import { retrievalEmbeddings } from "./embeddings.js";
import { CachedEmbeddings } from "./embedding-cache.js";

/** The store fields holding a tool's texts: every entry of `texts` gets its own vector. */
export const TOOL_INDEX_FIELDS = ["texts[*]"];

/**
 * The `index` configuration a store needs to hold a tool index, under both spellings in use
 * (`embeddings` for InMemoryStore, `embed` for PostgresStore).
 * @example PostgresStore.fromConnString(url, { index: toolStoreIndex(embeddings, 512) })
 */
export function toolStoreIndex(embeddings: Embeddings, dims: number) {
  return { dims, embeddings, embed: embeddings, fields: TOOL_INDEX_FIELDS };
}

export type KeywordField = "name" | "description" | "parameters" | "examples";

/** BM25F field weights, chosen on the dev splits (see the README). */
export const DEFAULT_FIELD_WEIGHTS: Record<KeywordField, number> = { name: 2, description: 1, parameters: 1, examples: 1 };

export interface BuildProgress {
  phase: "embed" | "store";
  done: number;
  total: number;
}

export interface ToolIndexOptions {
  /** Store for the vectors. Pass one built with `toolStoreIndex(...)`. @default a new InMemoryStore */
  store?: BaseStore;
  /**
   * Embedding model. Used to fill the store the index creates; with your own `store`, pass the embeddings behind
   * its index (query vectors are then embedded in batches). @default `retrievalEmbeddings().embeddings`
   */
  embeddings?: Embeddings;
  /** Namespace of the items. @default ["keel", "tools", <hash of the catalogue>] */
  namespace?: string[];
  onProgress?: (progress: BuildProgress) => void;
  /** Score fusion. @default DEFAULT_FUSION */
  fusion?: FusionOptions;
  fieldWeights?: Partial<Record<KeywordField, number>>;
  bm25?: Bm25Options;
  /**
   * Dense results fetched per query from a store you pass (`store.search`); candidates beyond get the lowest
   * fetched score. An index that fills its own InMemoryStore scores every tool exactly. @default 256
   */
  denseCandidates?: number;
  /** Rank the task parts of a multi-task request separately (`query-split.ts`). @default true */
  splitQueries?: boolean;
  /**
   * Re-rank the head of the whole request's fused ranking with the fitted linear model of `rerank.ts`
   * (name-word and parameter-name matches, BM25 per field). Applies when dense scores exist. Off by default:
   * it raised every dev split but not the test splits (README, "Tool retrieval").
   * @default false
   * @example ToolIndex.build(docs, { rerank: true })
   */
  rerank?: boolean;
  /** Texts embedded per tool. @default `embeddingTexts` */
  texts?: (doc: ToolDocument) => string[];
  /** Where the one-time fallback warning goes. @default console.warn */
  warn?: (message: string) => void;
}

export interface SelectOptions {
  /** How many tools to return (before always-include ones). @default 5 */
  k?: number;
  /** Only tools for which this holds can be ranked or returned (agent scope, tenant grants). */
  allowed?: (doc: ToolDocument) => boolean;
  /** Tools added on top of the top k (when allowed), even when the request matches nothing. */
  alwaysInclude?: string[];
  /** Below this best fused score the request needs no tool: only always-include tools are returned. */
  noToolThreshold?: number;
}

export interface SelectedTool {
  name: string;
  /** Fused score (the ranking key). */
  score: number;
  /** Cosine similarity of the best vector, or null without dense scores. */
  dense: number | null;
  /** BM25 score scaled to 0..1 by the query's ceiling. */
  keyword: number;
}

export interface Selection {
  tools: SelectedTool[];
  /** The best fused score of the request (of any of its task parts): what `noToolThreshold` is compared with. */
  best: number;
  /** True when the best score was below the no-tool threshold. */
  noTool: boolean;
  /** Set when dense retrieval failed and BM25 ranked alone. */
  fallback?: "keyword";
}

/** Raw per-tool scores of one query, before fusion (for benchmarks and diagnostics). */
export interface RawScores {
  candidates: number[];
  dense?: Float64Array;
  keyword: Float64Array;
  keywordCeiling: number;
  fallback?: "keyword";
}

interface Scope {
  candidates: number[];
  permitted: Uint8Array;
  filtered: boolean;
}

/**
 * Longest query text the dense half embeds (its end: in a chat history the latest turn matters most). The
 * model's cost grows with length; on BFCL's dev split clipping at 600 characters left recall unchanged.
 */
const DENSE_QUERY_MAX_CHARS = 600;

/**
 * A no-tool threshold for the default fusion and USE-Lite: on BFCL's dev split, the highest that wrongly
 * flags at most about 2% of the requests that need a tool (see the README for what it catches). Another
 * embedding model or fusion needs its own. `select` applies no threshold unless given one.
 */
export const RECOMMENDED_NO_TOOL_THRESHOLD = 0.24;

export class ToolIndex {
  private readonly byName: Map<string, number>;
  private denseReady: boolean;
  private warned = false;

  private constructor(
    private readonly docs: readonly ToolDocument[],
    private readonly store: BaseStore,
    readonly namespace: string[],
    private readonly bm25: Bm25Index<KeywordField>,
    denseReady: boolean,
    private readonly options: ToolIndexOptions,
    private readonly queryEmbeddings?: Embeddings,
    private readonly matrix?: VectorMatrix,
    private readonly reranker?: RerankContext,
  ) {
    this.byName = new Map(docs.map((d, i) => [d.name, i]));
    this.denseReady = denseReady;
  }

  /** Validates the catalogue, embeds it (cached on disk by content) and fills the store. */
  static async build(docs: ToolDocument[], options: ToolIndexOptions = {}): Promise<ToolIndex> {
    validateCatalog(docs);
    const catalog = docs.map((d) => ({ ...d }));
    const textsOf = options.texts ?? embeddingTexts;
    const texts = catalog.map(textsOf);
    const namespace = options.namespace ?? ["keel", "tools", catalogId(texts)];
    const fieldWeights = { ...DEFAULT_FIELD_WEIGHTS, ...options.fieldWeights };
    const bm25 = new Bm25Index<KeywordField>(catalog.map((d) => ({ fields: keywordFields(d) })), fieldWeights, options.bm25);
    const warn = options.warn ?? ((message: string) => console.warn(message));
    const progress = options.onProgress ?? (() => {});

    let store = options.store;
    let denseReady = true;
    let matrix: VectorMatrix | undefined;
    // With your own store, `embeddings` (if given) should be the model behind the store's index: it is then
    // used to embed a multi-task request's parts in one batch (`prepare`).
    let queryEmbeddings: Embeddings | undefined = options.embeddings;
    if (!store) {
      // Embed here (in chunks, for progress) and hand the vectors to the store through a memo, so the store's
      // own embedding call costs nothing.
      // A malformed setting (KEEL_EMBEDDINGS=...) throws ConfigurationError here, like every other setting.
      const embeddings = options.embeddings ?? retrievalEmbeddings().embeddings;
      queryEmbeddings = embeddings;
      // Similar lengths batch together: the model pads each batch to its longest text.
      const unique = [...new Set(texts.flat())].sort((a, b) => a.length - b.length);
      const vectors = new Map<string, number[]>();
      const CHUNK = 128;
      try {
        for (let i = 0; i < unique.length; i += CHUNK) {
          const chunk = unique.slice(i, i + CHUNK);
          const out = await embeddings.embedDocuments(chunk);
          chunk.forEach((t, j) => vectors.set(t, out[j]!));
          progress({ phase: "embed", done: Math.min(i + CHUNK, unique.length), total: unique.length });
        }
      } catch (error) {
        denseReady = false;
        warn(`Tool retrieval: the embedding model failed while indexing (${(error as Error).message}); ranking tools by keywords only.`);
      }
      const dims = vectors.values().next().value?.length ?? 1;
      if (denseReady) matrix = VectorMatrix.of(texts, vectors, dims);
      store = denseReady
        ? new InMemoryStore({ index: { dims, embeddings: new MemoEmbeddings(vectors, embeddings), fields: TOOL_INDEX_FIELDS } })
        : new InMemoryStore();
    }
    const ops: PutOperation[] = catalog.map((doc, i) => ({
      namespace,
      key: doc.name,
      value: storeValue(doc, texts[i]!),
      ...(denseReady ? {} : { index: false as const }),
    }));
    const CHUNK = 256;
    for (let i = 0; i < ops.length; i += CHUNK) {
      const chunk = ops.slice(i, i + CHUNK);
      try {
        await store.batch(chunk);
      } catch (error) {
        if (!denseReady) throw error; // the store itself fails: nothing to fall back to
        denseReady = false;
        warn(`Tool retrieval: the store could not index the tools (${(error as Error).message}); ranking tools by keywords only.`);
        await store.batch(ops.map((op) => ({ ...op, index: false as const })));
        matrix = undefined;
        break;
      }
      progress({ phase: "store", done: Math.min(i + CHUNK, ops.length), total: ops.length });
    }
    const reranker = options.rerank === true ? new RerankContext(catalog) : undefined;
    const index = new ToolIndex(catalog, store, namespace, bm25, denseReady, options, queryEmbeddings, matrix, reranker);
    if (!denseReady) index.warned = true;
    return index;
  }

  /** The catalogue, in build order. */
  documents(): readonly ToolDocument[] {
    return this.docs;
  }

  /** Whether dense ranking is available (false after the embedding model failed at build time). */
  get dense(): boolean {
    return this.denseReady;
  }

  /**
   * The tools for a request: the top `k` in-scope tools, plus in-scope `alwaysInclude` tools; none but the
   * always-include ones when the best score is below `noToolThreshold`. Never throws for embedding failures.
   */
  async select(query: string, options: SelectOptions = {}): Promise<Selection> {
    const k = options.k ?? 5;
    const { ranked, candidates, best, fallback } = await this.rank(query, options.allowed);
    const allowedSet = new Set(candidates);
    const always = (options.alwaysInclude ?? [])
      .map((name) => this.byName.get(name))
      .filter((i): i is number => i !== undefined && allowedSet.has(i));
    // The threshold is calibrated on fused scores; keyword-only scores live on another scale, and a fallback
    // must not leave the agent without tools.
    const noTool = !fallback && options.noToolThreshold !== undefined && best < options.noToolThreshold;
    const top = noTool ? [] : ranked.slice(0, k);
    const chosen = new Map(top.map((t) => [t.index, t]));
    const byIndex = new Map(ranked.map((t) => [t.index, t]));
    for (const i of always) if (!chosen.has(i)) chosen.set(i, byIndex.get(i)!);
    return {
      tools: [...chosen.values()].map((t) => this.toSelected(t)),
      best,
      noTool,
      ...(fallback ? { fallback } : {}),
    };
  }

  /** The same ranking as `select`, for a `search_tools` tool: more results, no threshold, no always-include. */
  async search(query: string, options: { k?: number; allowed?: (doc: ToolDocument) => boolean } = {}): Promise<Selection> {
    const { ranked, best, fallback } = await this.rank(query, options.allowed);
    return { tools: ranked.slice(0, options.k ?? 10).map((t) => this.toSelected(t)), best, noTool: false, ...(fallback ? { fallback } : {}) };
  }

  /**
   * Every allowed tool, best first. A multi-task request (`splitQuery`) is ranked whole and per task part, and
   * the rankings are merged by `coverRankings` (each pick discounted by how many its ranking already got), so
   * every task that matches a tool well gets one into the top k. `best` is the highest fused score of any of
   * those rankings.
   */
  private async rank(query: string, allowed?: (doc: ToolDocument) => boolean): Promise<{ ranked: Fused[]; candidates: number[]; best: number; fallback?: "keyword" }> {
    const scope = this.scope(allowed);
    const fusion = this.options.fusion ?? DEFAULT_FUSION;
    const parts = this.options.splitQueries === false ? [] : splitQuery(query);
    // The parts in one batch (the model pads a batch to its longest text, so not with the whole request).
    if (parts.length > 0) await Promise.all([this.prepare([query]), this.prepare(parts)]);
    const lists: Fused[][] = [];
    let fallback: "keyword" | undefined;
    for (const text of [query, ...parts]) {
      const raw = await this.scoreText(text, scope);
      if (raw.fallback) fallback = raw.fallback;
      const fused = fuse(raw, fusion);
      // Only the whole request is re-ranked (see rerank.ts), and only with dense scores (its features assume them).
      lists.push(this.reranker && lists.length === 0 && raw.dense ? this.reranker.rerank(text, fused) : fused);
    }
    const ranked = coverRankings(lists, (f) => String(f.index), scope.candidates.length);
    const best = Math.max(0, ...lists.map((l) => l[0]?.score ?? 0));
    return { ranked, candidates: scope.candidates, best, ...(fallback ? { fallback } : {}) };
  }

  /**
   * Embeds several queries in one batch ahead of `select` (about 3x cheaper per query than one by one), when
   * the index's embeddings cache queries (`CachedEmbeddings`). A no-op otherwise; never throws.
   */
  async prepare(queries: string[]): Promise<void> {
    if (!this.denseReady || !(this.queryEmbeddings instanceof CachedEmbeddings)) return;
    try {
      await this.queryEmbeddings.primeQueries(queries.map(denseQueryText));
    } catch {
      // select() will try again and fall back if needed.
    }
  }

  /** Per-tool dense and keyword scores of the allowed tools for one text, before fusion (no query splitting). */
  rawScores(query: string, allowed?: (doc: ToolDocument) => boolean): Promise<RawScores> {
    return this.scoreText(query, this.scope(allowed));
  }

  private scope(allowed?: (doc: ToolDocument) => boolean): Scope {
    const candidates: number[] = [];
    const permitted = new Uint8Array(this.docs.length);
    this.docs.forEach((doc, i) => {
      if (!allowed || allowed(doc)) {
        candidates.push(i);
        permitted[i] = 1;
      }
    });
    return { candidates, permitted, filtered: candidates.length < this.docs.length };
  }

  private async scoreText(query: string, scope: Scope): Promise<RawScores> {
    const { candidates, permitted, filtered } = scope;
    const keyword = this.bm25.scores(query, filtered ? (i) => permitted[i] === 1 : undefined);
    const keywordCeiling = this.bm25.ceiling(query);
    if (candidates.length === 0) return { candidates, keyword, keywordCeiling };
    if (!this.denseReady) return { candidates, keyword, keywordCeiling, fallback: "keyword" };
    try {
      const dense = await this.denseScores(query, candidates, filtered);
      return { candidates, dense, keyword, keywordCeiling };
    } catch (error) {
      if (!this.warned) {
        this.warned = true;
        (this.options.warn ?? console.warn)(`Tool retrieval: the embedding model failed (${(error as Error).message}); ranking tools by keywords until it recovers.`);
      }
      return { candidates, keyword, keywordCeiling, fallback: "keyword" };
    }
  }

  private async denseScores(query: string, candidates: number[], filtered: boolean): Promise<Float64Array> {
    if (this.matrix && this.queryEmbeddings) {
      // The store this index filled itself holds the same vectors; InMemoryStore.search recomputes every
      // norm and sorts every vector per query (about 5 ms at 2,000 tools), this is one pass over a Float32Array.
      return this.matrix.bestScores(await this.queryEmbeddings.embedQuery(denseQueryText(query)), this.docs.length);
    }
    let filter: Record<string, unknown> | undefined;
    if (filtered) {
      // `$in` over the allowed names, or `$nin` over the others when that list is shorter (InMemoryStore
      // checks each item against the whole list).
      const inSet = new Set(candidates);
      const excluded = this.docs.filter((_, i) => !inSet.has(i)).map((d) => d.name);
      const included = candidates.map((i) => this.docs[i]!.name);
      filter = { name: included.length <= excluded.length ? { $in: included } : { $nin: excluded } };
    }
    const limit = Math.min(candidates.length, this.options.denseCandidates ?? 256);
    const hits = await this.store.search(this.namespace, { query: denseQueryText(query), limit, ...(filter ? { filter: filter as never } : {}) });
    const dense = new Float64Array(this.docs.length).fill(Number.NaN);
    let lowest = Number.POSITIVE_INFINITY;
    let scored = 0;
    for (const hit of hits) {
      const i = this.byName.get(String((hit.value as { name?: unknown }).name ?? hit.key));
      if (i === undefined || typeof hit.score !== "number" || Number.isNaN(hit.score)) continue;
      dense[i] = hit.score;
      lowest = Math.min(lowest, hit.score);
      scored++;
    }
    if (scored === 0) throw new Error("the store returned no similarity scores (is its index configured?)");
    // Candidates past the fetched results: bounded above by the lowest fetched score.
    for (const i of candidates) if (Number.isNaN(dense[i]!)) dense[i] = lowest;
    return dense;
  }

  private toSelected(t: Fused): SelectedTool {
    return { name: this.docs[t.index]!.name, score: t.score, dense: t.dense ?? null, keyword: t.keyword };
  }
}

/** What the dense half embeds for a query: the request, clipped (long chat histories keep their end). */
export function denseQueryText(query: string): string {
  const q = query.trim();
  return q.length <= DENSE_QUERY_MAX_CHARS ? q : q.slice(q.length - DENSE_QUERY_MAX_CHARS);
}

function storeValue(doc: ToolDocument, texts: string[]): Record<string, unknown> {
  const value: Record<string, unknown> = { name: doc.name, texts };
  for (const key of ["domain", "scopes", "sideEffect", "source"] as const) if (doc[key] !== undefined) value[key] = doc[key];
  return value;
}

function catalogId(texts: string[][]): string {
  const hash = createHash("sha256");
  for (const t of texts) hash.update(JSON.stringify(t)).update("\n");
  return hash.digest("hex").slice(0, 16);
}

/** Answers the store's document embedding call from vectors computed during build. */
class MemoEmbeddings extends EmbeddingsBase {
  constructor(
    private readonly vectors: Map<string, number[]>,
    private readonly inner: Embeddings,
  ) {
    super({});
  }

  override async embedDocuments(texts: string[]): Promise<number[][]> {
    const missing = texts.filter((t) => !this.vectors.has(t));
    if (missing.length > 0) {
      const out = await this.inner.embedDocuments(missing);
      missing.forEach((t, i) => this.vectors.set(t, out[i]!));
    }
    return texts.map((t) => this.vectors.get(t)!);
  }

  override embedQuery(text: string): Promise<number[]> {
    return this.inner.embedQuery(text);
  }
}

/**
 * Every tool vector, unit length, in one Float32Array (row r belongs to tool `owner[r]`): the dense half of an
 * index whose InMemoryStore it filled itself. A tool's score is its best vector's cosine (as the store scores).
 */
export class VectorMatrix {
  private constructor(
    readonly rows: Float32Array,
    readonly owner: Int32Array,
    readonly dims: number,
  ) {}

  static of(texts: string[][], vectors: Map<string, number[]>, dims: number): VectorMatrix | undefined {
    const count = texts.reduce((n, t) => n + t.length, 0);
    const rows = new Float32Array(count * dims);
    const owner = new Int32Array(count);
    let r = 0;
    for (let tool = 0; tool < texts.length; tool++) {
      for (const text of texts[tool]!) {
        const v = vectors.get(text);
        if (!v || v.length !== dims) return undefined; // let the store rank instead
        let norm = 0;
        for (let d = 0; d < dims; d++) norm += v[d]! * v[d]!;
        const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
        for (let d = 0; d < dims; d++) rows[r * dims + d] = v[d]! * scale;
        owner[r++] = tool;
      }
    }
    return new VectorMatrix(rows, owner, dims);
  }

  /** Per tool (by position), the best cosine of its vectors with `query`; NaN for a tool without vectors. */
  bestScores(query: number[], tools: number): Float64Array {
    const { rows, owner, dims } = this;
    if (query.length !== dims) throw new Error(`the query vector has ${query.length} dimensions, the index ${dims}`);
    const q = new Float32Array(dims);
    let norm = 0;
    for (let d = 0; d < dims; d++) norm += query[d]! * query[d]!;
    if (!(norm > 0) || !Number.isFinite(norm)) throw new Error("the query vector is empty or not finite");
    const scale = 1 / Math.sqrt(norm);
    for (let d = 0; d < dims; d++) q[d] = query[d]! * scale;
    const out = new Float64Array(tools).fill(Number.NaN);
    for (let r = 0, base = 0; r < owner.length; r++, base += dims) {
      // Four partial sums: V8 keeps them in registers (about 2x faster than one running sum).
      let a = 0, b = 0, c = 0, e = 0;
      let d = 0;
      for (; d + 3 < dims; d += 4) {
        a += rows[base + d]! * q[d]!;
        b += rows[base + d + 1]! * q[d + 1]!;
        c += rows[base + d + 2]! * q[d + 2]!;
        e += rows[base + d + 3]! * q[d + 3]!;
      }
      for (; d < dims; d++) a += rows[base + d]! * q[d]!;
      const dot = a + b + c + e;
      const tool = owner[r]!;
      const best = out[tool]!;
      if (Number.isNaN(best) || dot > best) out[tool] = dot;
    }
    return out;
  }
}
