import { describe, expect, it } from "vitest";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Embeddings } from "@langchain/core/embeddings";
import { CachedEmbeddings, decode, encode } from "./embedding-cache.js";

/** A deterministic stand-in model that counts what it is asked to embed. */
class CountingEmbeddings extends Embeddings {
  documentCalls = 0;
  queryCalls = 0;
  texts: string[] = [];
  constructor() {
    super({});
  }
  async embedDocuments(texts: string[]) {
    this.documentCalls++;
    this.texts.push(...texts);
    return texts.map(vectorOf);
  }
  async embedQuery(text: string) {
    this.queryCalls++;
    return vectorOf(text);
  }
}

function vectorOf(text: string): number[] {
  return [text.length, text.charCodeAt(0) || 0, 0.5, -1.25];
}

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), "keel-embcache-"));

describe("CachedEmbeddings", () => {
  it("a second instance on the same directory makes zero embed calls", async () => {
    const dir = tmp();
    const first = new CountingEmbeddings();
    const a = new CachedEmbeddings({ embeddings: first, modelId: "m1", dir });
    const v1 = await a.embedDocuments(["alpha", "beta", "alpha"]);
    expect(first.documentCalls).toBe(1);
    expect(first.texts).toEqual(["alpha", "beta"]); // duplicates embedded once

    const second = new CountingEmbeddings();
    const b = new CachedEmbeddings({ embeddings: second, modelId: "m1", dir });
    const v2 = await b.embedDocuments(["alpha", "beta", "alpha"]);
    expect(second.documentCalls).toBe(0);
    expect(b.stats).toMatchObject({ hits: 3, misses: 0, modelCalls: 0 });
    expect(v2).toEqual(v1);
  });

  it("keys by model id and text: another model id re-embeds", async () => {
    const dir = tmp();
    await new CachedEmbeddings({ embeddings: new CountingEmbeddings(), modelId: "m1", dir }).embedDocuments(["alpha"]);
    const other = new CountingEmbeddings();
    await new CachedEmbeddings({ embeddings: other, modelId: "m2", dir }).embedDocuments(["alpha"]);
    expect(other.documentCalls).toBe(1);
  });

  it("embeds only the texts it has not seen", async () => {
    const dir = tmp();
    await new CachedEmbeddings({ embeddings: new CountingEmbeddings(), modelId: "m", dir }).embedDocuments(["a1", "b1"]);
    const model = new CountingEmbeddings();
    const cache = new CachedEmbeddings({ embeddings: model, modelId: "m", dir });
    const out = await cache.embedDocuments(["a1", "c1", "b1"]);
    expect(model.texts).toEqual(["c1"]);
    expect(out).toEqual(["a1", "c1", "b1"].map(vectorOf));
  });

  it.each([
    ["truncated", (bytes: Buffer) => bytes.subarray(0, bytes.length - 3)],
    ["garbage", () => Buffer.from("not a vector at all")],
    ["a flipped value", (bytes: Buffer) => Buffer.concat([bytes.subarray(0, 20), Buffer.from([bytes[20]! ^ 0xff]), bytes.subarray(21)])],
    ["empty", () => Buffer.alloc(0)],
  ])("a corrupt cache file (%s) is ignored with one warning and rewritten", async (_label, corrupt) => {
    const dir = tmp();
    const warm = new CachedEmbeddings({ embeddings: new CountingEmbeddings(), modelId: "m", dir });
    await warm.embedDocuments(["alpha", "beta"]);
    const file = warm.fileFor("alpha");
    fs.writeFileSync(file, corrupt(fs.readFileSync(file)));

    const warnings: string[] = [];
    const model = new CountingEmbeddings();
    const cache = new CachedEmbeddings({ embeddings: model, modelId: "m", dir, warn: (m) => warnings.push(m) });
    const out = await cache.embedDocuments(["alpha", "beta"]);
    expect(out).toEqual([vectorOf("alpha"), vectorOf("beta")]);
    expect(model.texts).toEqual(["alpha"]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/ignored 1 corrupt file .*re-embedding it/);
    expect(decode(fs.readFileSync(file))).toEqual(vectorOf("alpha")); // rebuilt
  });

  it("an unwritable directory warns once and still embeds", async () => {
    const blocker = path.join(tmp(), "file");
    fs.writeFileSync(blocker, "x"); // a file where the cache directory should be
    const warnings: string[] = [];
    const model = new CountingEmbeddings();
    const cache = new CachedEmbeddings({ embeddings: model, modelId: "m", dir: path.join(blocker, "sub"), warn: (m) => warnings.push(m) });
    expect(await cache.embedDocuments(["a1", "b1"])).toEqual(["a1", "b1"].map(vectorOf));
    expect(await cache.embedDocuments(["c1"])).toEqual([vectorOf("c1")]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/cannot write/);
  });

  it("writes atomically: no temporary files are left behind", async () => {
    const dir = tmp();
    await new CachedEmbeddings({ embeddings: new CountingEmbeddings(), modelId: "m", dir }).embedDocuments(["a1", "b1", "c1"]);
    const files = fs.readdirSync(dir, { recursive: true }).map(String);
    expect(files.filter((f) => f.endsWith(".tmp"))).toEqual([]);
    expect(files.filter((f) => f.endsWith(".vec"))).toHaveLength(3);
  });

  it("defaults to dataDir()/embeddings", () => {
    const cache = new CachedEmbeddings({ embeddings: new CountingEmbeddings(), modelId: "m" });
    expect(cache.dir).toBe(path.join(process.env.KEEL_DATA_DIR!, "embeddings"));
  });

  it("keeps query vectors in memory (LRU), and primes them in one batch", async () => {
    const model = new CountingEmbeddings();
    const cache = new CachedEmbeddings({ embeddings: model, modelId: "m", dir: tmp(), queryCacheSize: 2 });
    await cache.embedQuery("q1");
    await cache.embedQuery("q1");
    expect(model.queryCalls).toBe(1);
    await cache.primeQueries(["q2", "q3", "q2"]);
    expect(model.documentCalls).toBe(1);
    expect(model.texts).toEqual(["q2", "q3"]);
    expect(await cache.embedQuery("q3")).toEqual(vectorOf("q3"));
    await cache.embedQuery("q1"); // evicted by q2, q3
    expect(model.queryCalls).toBe(2);
  });

  it.each([[[0.25, -1, 3.5]], [[0]], [Array.from({ length: 512 }, (_, i) => Math.fround(Math.sin(i)))]])("encode/decode round-trips %#", (vector) => {
    expect(decode(encode(vector))).toEqual(vector);
  });
});
