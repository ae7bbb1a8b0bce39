import { describe, expect, it } from "vitest";
import { OpenAIEmbeddings } from "@langchain/openai";
import { ConfigurationError } from "../errors.js";
import { UseLiteEmbeddings } from "../embeddings/use-lite.js";
import { CachedEmbeddings } from "./embedding-cache.js";
import { retrievalEmbeddings } from "./embeddings.js";

describe("retrievalEmbeddings", () => {
  it.each([[{}], [{ KEEL_EMBEDDINGS: "" }], [{ KEEL_EMBEDDINGS: "use-lite" }], [{ KEEL_EMBEDDINGS: "offline" }]])("%j: offline USE-Lite behind the disk cache", (env) => {
    const r = retrievalEmbeddings(env);
    expect(r).toMatchObject({ backend: "use-lite", modelId: "use-lite@0.2.0", dims: 512 });
    expect(r.embeddings).toBeInstanceOf(CachedEmbeddings);
    expect((r.embeddings as unknown as { inner: unknown }).inner).toBeInstanceOf(UseLiteEmbeddings);
  });

  it("KEEL_EMBEDDINGS=openai: OpenAIEmbeddings, default model text-embedding-3-small", () => {
    const r = retrievalEmbeddings({ KEEL_EMBEDDINGS: "openai", OPENAI_API_KEY: "sk-test" }, { cache: false });
    expect(r.backend).toBe("openai");
    expect(r.dims).toBe(1536);
    expect(r.embeddings).toBeInstanceOf(OpenAIEmbeddings);
    expect((r.embeddings as OpenAIEmbeddings).model).toBe("text-embedding-3-small");
    expect(r.modelId).toBe("openai:api.openai.com:text-embedding-3-small");
  });

  it("honours KEEL_EMBEDDINGS_MODEL, OPENAI_BASE_URL (no key needed) and KEEL_EMBEDDINGS_DIMS", () => {
    const r = retrievalEmbeddings(
      { KEEL_EMBEDDINGS: "openai", KEEL_EMBEDDINGS_MODEL: "nomic-embed-text", OPENAI_BASE_URL: "http://127.0.0.1:11434/v1", KEEL_EMBEDDINGS_DIMS: "768" },
      { cache: false },
    );
    const model = r.embeddings as OpenAIEmbeddings & { clientConfig: { baseURL?: string } };
    expect(model.model).toBe("nomic-embed-text");
    expect(model.clientConfig.baseURL).toBe("http://127.0.0.1:11434/v1");
    expect(r.dims).toBe(768);
    expect(r.modelId).toBe("openai:http://127.0.0.1:11434/v1:nomic-embed-text");
  });

  it("text-embedding-3 models shorten their vectors to KEEL_EMBEDDINGS_DIMS, and the cache key says so", () => {
    const r = retrievalEmbeddings({ KEEL_EMBEDDINGS: "openai", OPENAI_API_KEY: "k", KEEL_EMBEDDINGS_DIMS: "256" }, { cache: false });
    expect((r.embeddings as OpenAIEmbeddings).dimensions).toBe(256);
    expect(r.modelId).toBe("openai:api.openai.com:text-embedding-3-small:256");
  });

  it.each([
    [{ KEEL_EMBEDDINGS: "bert" }, /KEEL_EMBEDDINGS is "bert"/],
    [{ KEEL_EMBEDDINGS: "openai" }, /neither OPENAI_API_KEY nor OPENAI_BASE_URL/],
    [{ KEEL_EMBEDDINGS: "openai", OPENAI_BASE_URL: "localhost:11434" }, /OPENAI_BASE_URL is not an http/],
    [{ KEEL_EMBEDDINGS_DIMS: "many" }, /KEEL_EMBEDDINGS_DIMS is "many"/],
    [{ KEEL_EMBEDDINGS_DIMS: "768" }, /USE-Lite vectors have 512 dimensions/],
  ])("%j -> ConfigurationError", (env, message) => {
    expect(() => retrievalEmbeddings(env)).toThrow(ConfigurationError);
    expect(() => retrievalEmbeddings(env)).toThrow(message);
  });

  it("the cache directory is configurable", () => {
    const r = retrievalEmbeddings({}, { cacheDir: "/tmp/keel-embeddings-x" });
    expect((r.embeddings as CachedEmbeddings).dir).toBe("/tmp/keel-embeddings-x");
  });
});
