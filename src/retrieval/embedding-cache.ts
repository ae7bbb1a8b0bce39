/**
 * `CachedEmbeddings`: an `Embeddings` wrapper that keeps document vectors on disk, keyed by content
 * (sha256 of the model id and the text), so a restart or an unchanged tool catalogue embeds nothing.
 *
 * - Layout: `<dir>/<2 hex>/<64 hex>.vec`, one vector per file: magic "KEV1", dimension count (uint32 LE),
 *   the first 8 bytes of the sha256 of the payload, then float32 values. Files are written to a temporary
 *   name and renamed into place, so a crash never leaves a half-written vector under its real name.
 * - A corrupt file (wrong size, magic or checksum) is ignored with one warning and rewritten; an unwritable
 *   directory turns the disk cache off with one warning. Neither ever fails an embedding call.
 * - Query vectors stay in memory only (an LRU of `queryCacheSize` entries): the same request is ranked once
 *   per model call of an agent loop, while writing every query to disk would only grow the cache.
 */
import { Embeddings } from "@langchain/core/embeddings";
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { dataDir } from "../db/index.js";
import { makeDirs } from "../db/fs.js";

const MAGIC = 0x3156454b; // "KEV1" read as little-endian uint32
const HEADER_BYTES = 16;

export interface CachedEmbeddingsOptions {
  /** The model that makes the vectors. */
  embeddings: Embeddings;
  /** Identifies the model and its settings; part of every key. @example "use-lite@0.2.0" */
  modelId: string;
  /** Cache directory. @default `dataDir()/embeddings` */
  dir?: string;
  /** Query vectors kept in memory. @default 2048 */
  queryCacheSize?: number;
  /** Where warnings go. @default console.warn */
  warn?: (message: string) => void;
}

export interface EmbeddingCacheStats {
  /** Vectors read from disk. */
  hits: number;
  /** Vectors computed by the model for documents. */
  misses: number;
  /** Calls to the wrapped model (documents and queries). */
  modelCalls: number;
  /** Corrupt files found (and rewritten). */
  corrupt: number;
  /** Query vectors answered from memory. */
  queryHits: number;
}

export class CachedEmbeddings extends Embeddings {
  readonly modelId: string;
  readonly dir: string;
  readonly stats: EmbeddingCacheStats = { hits: 0, misses: 0, modelCalls: 0, corrupt: 0, queryHits: 0 };
  private readonly inner: Embeddings;
  private readonly queryCacheSize: number;
  private readonly queries = new Map<string, number[]>();
  private readonly warn: (message: string) => void;
  private diskEnabled = true;

  constructor(options: CachedEmbeddingsOptions) {
    super({});
    this.inner = options.embeddings;
    this.modelId = options.modelId;
    this.dir = path.resolve(options.dir ?? path.join(dataDir(), "embeddings"));
    this.queryCacheSize = options.queryCacheSize ?? 2048;
    this.warn = options.warn ?? ((message) => console.warn(message));
  }

  /** The cache key of a text: sha256 of the model id and the text. */
  key(text: string): string {
    return createHash("sha256").update(this.modelId).update("\0").update(text).digest("hex");
  }

  fileFor(text: string): string {
    const key = this.key(text);
    return path.join(this.dir, key.slice(0, 2), `${key}.vec`);
  }

  override async embedDocuments(texts: string[]): Promise<number[][]> {
    const out: (number[] | undefined)[] = new Array(texts.length);
    const missing = new Map<string, number[]>(); // text -> positions
    const corrupt: string[] = [];
    texts.forEach((text, i) => {
      const cached = this.diskEnabled ? this.read(text, corrupt) : undefined;
      if (cached) {
        out[i] = cached;
        this.stats.hits++;
      } else {
        const positions = missing.get(text);
        if (positions) positions.push(i);
        else missing.set(text, [i]);
      }
    });
    if (corrupt.length > 0) {
      this.stats.corrupt += corrupt.length;
      this.warn(
        `Embedding cache: ignored ${corrupt.length} corrupt file${corrupt.length > 1 ? "s" : ""} (first: ${corrupt[0]}); re-embedding ${corrupt.length > 1 ? "them" : "it"}.`,
      );
    }
    if (missing.size > 0) {
      const unique = [...missing.keys()];
      this.stats.modelCalls++;
      const vectors = await this.inner.embedDocuments(unique);
      if (vectors.length !== unique.length) {
        throw new Error(`The embedding model returned ${vectors.length} vectors for ${unique.length} texts.`);
      }
      unique.forEach((text, j) => {
        const vector = vectors[j]!;
        this.stats.misses++;
        for (const i of missing.get(text)!) out[i] = vector;
        if (this.diskEnabled) this.write(text, vector);
      });
    }
    return out as number[][];
  }

  override async embedQuery(text: string): Promise<number[]> {
    const cached = this.queries.get(text);
    if (cached) {
      this.stats.queryHits++;
      // Refresh its place in the LRU order.
      this.queries.delete(text);
      this.queries.set(text, cached);
      return cached;
    }
    this.stats.modelCalls++;
    const vector = await this.inner.embedQuery(text);
    this.rememberQuery(text, vector);
    return vector;
  }

  /**
   * Embeds several queries in one model call and keeps them in the query cache, so the `embedQuery` calls
   * that follow (for instance from `store.search`) cost nothing. Batching is ~2-3x cheaper per text.
   */
  async primeQueries(texts: string[]): Promise<void> {
    const missing = [...new Set(texts.filter((t) => !this.queries.has(t)))];
    if (missing.length === 0) return;
    this.stats.modelCalls++;
    const vectors = await this.inner.embedDocuments(missing);
    missing.forEach((text, i) => this.rememberQuery(text, vectors[i]!));
  }

  private rememberQuery(text: string, vector: number[]): void {
    this.queries.set(text, vector);
    while (this.queries.size > this.queryCacheSize) this.queries.delete(this.queries.keys().next().value!);
  }

  private read(text: string, corrupt: string[]): number[] | undefined {
    const file = this.fileFor(text);
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(file);
    } catch {
      return undefined; // not cached yet (or unreadable: treated alike)
    }
    const vector = decode(bytes);
    if (!vector) corrupt.push(file);
    return vector;
  }

  private write(text: string, vector: number[]): void {
    const file = this.fileFor(text);
    const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    try {
      makeDirs(path.dirname(file));
      fs.writeFileSync(tmp, encode(vector));
      fs.renameSync(tmp, file);
    } catch (error) {
      try {
        fs.rmSync(tmp, { force: true });
      } catch {
        // nothing to clean up
      }
      this.diskEnabled = false;
      this.warn(
        `Embedding cache: cannot write under ${this.dir} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); vectors will not be cached on disk in this process.`,
      );
    }
  }
}

/** Bytes of one cache file. */
export function encode(vector: number[]): Buffer {
  const payload = Buffer.from(Float32Array.from(vector).buffer);
  const header = Buffer.alloc(HEADER_BYTES);
  header.writeUInt32LE(MAGIC, 0);
  header.writeUInt32LE(vector.length, 4);
  createHash("sha256").update(payload).digest().copy(header, 8, 0, 8);
  return Buffer.concat([header, payload]);
}

/** The vector in a cache file, or undefined when the file is not a complete, intact vector. */
export function decode(bytes: Buffer): number[] | undefined {
  if (bytes.length < HEADER_BYTES || bytes.readUInt32LE(0) !== MAGIC) return undefined;
  const dims = bytes.readUInt32LE(4);
  if (dims === 0 || bytes.length !== HEADER_BYTES + dims * 4) return undefined;
  const payload = bytes.subarray(HEADER_BYTES);
  if (!createHash("sha256").update(payload).digest().subarray(0, 8).equals(bytes.subarray(8, 16))) return undefined;
  const floats = new Float32Array(payload.buffer.slice(payload.byteOffset, payload.byteOffset + payload.length));
  const vector = Array.from(floats);
  return vector.every(Number.isFinite) ? vector : undefined;
}
