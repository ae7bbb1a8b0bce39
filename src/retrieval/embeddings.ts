/**
 * The embedding model of tool retrieval, chosen by configuration and wrapped in the on-disk cache.
 *
 * - default: USE-Lite (offline, 512 dimensions, bundled in npm; nothing is downloaded);
 * - `KEEL_EMBEDDINGS=openai`: `OpenAIEmbeddings` from @langchain/openai, model `KEEL_EMBEDDINGS_MODEL`
 *   (default text-embedding-3-small), against `OPENAI_BASE_URL` when set (any OpenAI-compatible server,
 *   e.g. Ollama's /v1 with nomic-embed-text), key `OPENAI_API_KEY` (optional with a base URL).
 * - `KEEL_EMBEDDINGS_DIMS`: output dimensions (text-embedding-3-* can shorten their vectors; for other
 *   models it only declares the size, which a PostgresStore index needs).
 */
import type { Embeddings } from "@langchain/core/embeddings";
import { OpenAIEmbeddings } from "@langchain/openai";
import { ConfigurationError } from "../errors.js";
import { offlineEmbeddings } from "../embeddings/use-lite.js";
import { CachedEmbeddings } from "./embedding-cache.js";

export const EMBEDDING_BACKENDS = ["use-lite", "openai"] as const;
export type EmbeddingBackend = (typeof EMBEDDING_BACKENDS)[number];

export interface RetrievalEmbeddings {
  /** The model, behind the disk cache unless `cache: false`. */
  embeddings: Embeddings;
  backend: EmbeddingBackend;
  /** Model and settings, the cache's key prefix. @example "openai:text-embedding-3-small" */
  modelId: string;
  /** Vector size when known in advance (a store index may need it); otherwise found at build time. */
  dims?: number;
}

export interface RetrievalEmbeddingsOptions {
  /** Cache directory. @default `dataDir()/embeddings` */
  cacheDir?: string;
  /** Set false to get the bare model. @default true */
  cache?: boolean;
}

const OPENAI_DIMS: Record<string, number> = {
  "text-embedding-3-small": 1536,
  "text-embedding-3-large": 3072,
  "text-embedding-ada-002": 1536,
};

/** Reads the embedding settings; a malformed value throws `ConfigurationError` naming it. */
export function retrievalEmbeddings(env: NodeJS.ProcessEnv = process.env, options: RetrievalEmbeddingsOptions = {}): RetrievalEmbeddings {
  const requested = (env.KEEL_EMBEDDINGS ?? "").trim().toLowerCase();
  const backend: EmbeddingBackend | undefined = requested === "" || requested === "use-lite" || requested === "offline" ? "use-lite" : requested === "openai" ? "openai" : undefined;
  if (!backend) {
    throw new ConfigurationError(`KEEL_EMBEDDINGS is "${env.KEEL_EMBEDDINGS}".`, 'Use "openai" (OpenAI or an OpenAI-compatible server), or leave it unset for the offline USE-Lite model.');
  }
  let dims: number | undefined;
  if (env.KEEL_EMBEDDINGS_DIMS?.trim()) {
    dims = Number(env.KEEL_EMBEDDINGS_DIMS);
    if (!Number.isInteger(dims) || dims < 1 || dims > 16_384) {
      throw new ConfigurationError(`KEEL_EMBEDDINGS_DIMS is "${env.KEEL_EMBEDDINGS_DIMS}".`, "Give a whole number of dimensions, e.g. 512, or leave it unset.");
    }
  }
  let model: Embeddings;
  let modelId: string;
  if (backend === "use-lite") {
    if (dims !== undefined && dims !== 512) {
      throw new ConfigurationError(`KEEL_EMBEDDINGS_DIMS is ${dims}, but USE-Lite vectors have 512 dimensions.`, "Unset KEEL_EMBEDDINGS_DIMS, or set KEEL_EMBEDDINGS=openai.");
    }
    model = offlineEmbeddings();
    modelId = "use-lite@0.2.0";
    dims = 512;
  } else {
    const name = env.KEEL_EMBEDDINGS_MODEL?.trim() || "text-embedding-3-small";
    const baseURL = env.OPENAI_BASE_URL?.trim() || undefined;
    if (baseURL && !/^https?:\/\/[^\s]+$/.test(baseURL)) {
      throw new ConfigurationError(`OPENAI_BASE_URL is not an http(s) URL: "${baseURL}".`, "Set it to the server's base URL, for example http://localhost:11434/v1.");
    }
    const apiKey = env.OPENAI_API_KEY?.trim() || undefined;
    if (!apiKey && !baseURL) {
      throw new ConfigurationError("KEEL_EMBEDDINGS=openai but neither OPENAI_API_KEY nor OPENAI_BASE_URL is set.", "Set one of them, or unset KEEL_EMBEDDINGS to use the offline model.");
    }
    const shortens = name.startsWith("text-embedding-3") && dims !== undefined;
    model = new OpenAIEmbeddings({
      model: name,
      apiKey: apiKey ?? "not-needed",
      ...(shortens ? { dimensions: dims } : {}),
      configuration: baseURL ? { baseURL } : undefined,
      maxRetries: 2,
    });
    modelId = `openai:${baseURL ?? "api.openai.com"}:${name}${shortens ? `:${dims}` : ""}`;
    dims ??= OPENAI_DIMS[name];
  }
  const embeddings = options.cache === false ? model : new CachedEmbeddings({ embeddings: model, modelId, dir: options.cacheDir });
  return { embeddings, backend, modelId, ...(dims !== undefined ? { dims } : {}) };
}
