import { describe, expect, it, vi } from "vitest";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Embeddings } from "@langchain/core/embeddings";
import { InMemoryStore } from "@langchain/langgraph";
import { tokenize } from "./bm25.js";
import { CachedEmbeddings } from "./embedding-cache.js";
import { CatalogError, type ToolDocument } from "./tool-document.js";
import { ToolIndex, toolStoreIndex, type ToolIndexOptions } from "./tool-index.js";
import { fuse } from "./fusion.js";

/** Deterministic bag-of-words vectors (hashed stems), counting calls; fast enough for unit tests. */
class WordEmbeddings extends Embeddings {
  documentCalls = 0;
  queryCalls = 0;
  constructor() {
    super({});
  }
  async embedDocuments(texts: string[]) {
    this.documentCalls++;
    return texts.map(bagOfWords);
  }
  async embedQuery(text: string) {
    this.queryCalls++;
    return bagOfWords(text);
  }
}

function bagOfWords(text: string): number[] {
  const v = new Array(64).fill(0);
  for (const word of tokenize(text)) {
    let h = 7;
    for (const c of word) h = (h * 31 + c.charCodeAt(0)) % 64;
    v[h] += 1;
  }
  v[63] += 0.01; // never all zeros
  return v;
}

/** An embedding backend that is down. */
class FailingEmbeddings extends Embeddings {
  constructor(private readonly failQueriesOnly = false) {
    super({});
  }
  async embedDocuments(texts: string[]) {
    if (this.failQueriesOnly) return texts.map(bagOfWords);
    throw new Error("model failed to load");
  }
  async embedQuery(): Promise<number[]> {
    throw new Error("embedding service unavailable");
  }
}

const catalog: ToolDocument[] = [
  { name: "issue_refund", description: "Refunds a payment to the customer.", domain: "finance", scopes: ["finance:refund"], examples: ["give the money back"] },
  { name: "get_invoice", description: "Reads one invoice with its payments.", domain: "finance", scopes: ["finance:read"] },
  { name: "track_shipment", description: "Tracking events of a parcel from the carrier.", domain: "shipping", scopes: ["shipping:read"] },
  { name: "cancel_order", description: "Cancels an order that has not shipped.", domain: "shipping", scopes: ["shipping:write"] },
  { name: "search_policies", description: "Searches the company's policies and FAQs.", domain: "support", scopes: ["support:read"] },
  { name: "page_oncall", description: "Pages the on-call engineer of a service.", domain: "incidents", scopes: ["incidents:write"] },
];

const build = (options: ToolIndexOptions = {}) => ToolIndex.build(catalog, { embeddings: new WordEmbeddings(), warn: () => {}, ...options });

describe("ToolIndex.select", () => {
  it.each([
    ["refund the customer's payment", "issue_refund"],
    ["where is my parcel? tracking please", "track_shipment"],
    ["page the on-call engineer", "page_oncall"],
    ["what do our policies say", "search_policies"],
  ])("%j -> %s first", async (query, best) => {
    const index = await build();
    const selection = await index.select(query, { k: 3 });
    expect(selection.tools[0]!.name).toBe(best);
    expect(selection.tools).toHaveLength(3);
    expect(selection.noTool).toBe(false);
    expect(selection.fallback).toBeUndefined();
  });

  it("reports fused, dense and keyword scores, best first", async () => {
    const index = await build();
    const { tools } = await index.select("refund a payment", { k: 6 });
    expect(tools.map((t) => t.score)).toEqual([...tools.map((t) => t.score)].sort((a, b) => b - a));
    for (const t of tools) {
      expect(typeof t.dense).toBe("number");
      expect(t.keyword).toBeGreaterThanOrEqual(0);
      expect(t.keyword).toBeLessThanOrEqual(1);
    }
  });

  it.each([
    ["refund the customer's payment", "issue_refund"],
    ["track the parcel", "track_shipment"],
  ])("filters before ranking: the best text match %s is never returned when out of scope", async (query, excluded) => {
    const index = await build();
    const allowed = (d: ToolDocument) => d.name !== excluded;
    for (const k of [1, 3, 10]) {
      const selection = await index.select(query, { k, allowed, alwaysInclude: [excluded] });
      expect(selection.tools.map((t) => t.name)).not.toContain(excluded);
    }
    expect((await index.search(query, { k: 10, allowed })).tools.map((t) => t.name)).not.toContain(excluded);
  });

  it("scope by domain and grants: only allowed tools, whatever the query", async () => {
    const index = await build();
    const grants = new Set(["shipping:read"]);
    const allowed = (d: ToolDocument) => d.domain === "shipping" && (d.scopes ?? []).every((s) => grants.has(s));
    const { tools } = await index.select("refund the payment and cancel the order", { k: 5, allowed });
    expect(tools.map((t) => t.name)).toEqual(["track_shipment"]);
  });

  it("nothing allowed: no tools", async () => {
    const index = await build();
    const selection = await index.select("refund", { allowed: () => false, alwaysInclude: ["issue_refund"] });
    expect(selection.tools).toEqual([]);
  });

  it("always-include tools are added on top of the top k (in scope only), without duplicates", async () => {
    const index = await build();
    const { tools } = await index.select("refund the customer's payment", {
      k: 1,
      alwaysInclude: ["search_policies", "issue_refund", "page_oncall", "no_such_tool"],
      allowed: (d) => d.domain !== "incidents",
    });
    expect(tools.map((t) => t.name)).toEqual(["issue_refund", "search_policies"]);
  });

  it.each([
    ["write me a haiku about the sea", true],
    ["refund the customer's payment", false],
  ])("no-tool threshold: %j -> noTool %s (only always-include tools then)", async (query, noTool) => {
    const index = await build();
    const selection = await index.select(query, { k: 3, noToolThreshold: 0.3, alwaysInclude: ["search_policies"] });
    expect(selection.noTool).toBe(noTool);
    expect(selection.best < 0.3).toBe(noTool);
    if (noTool) expect(selection.tools.map((t) => t.name)).toEqual(["search_policies"]);
    else expect(selection.tools[0]!.name).toBe("issue_refund");
  });

  it.each([
    ["First refund the customer's payment for the invoice. Then track the parcel with the carrier, please.", ["issue_refund", "track_shipment"]],
    ["Cancel the order that has not shipped; also page the on-call engineer of the service.", ["cancel_order", "page_oncall"]],
  ])("a multi-task request gets a tool per task into the top k: %j", async (query, expected) => {
    const index = await build();
    const { tools } = await index.select(query, { k: 3 });
    expect(tools.map((t) => t.name)).toEqual(expect.arrayContaining(expected));
  });

  it("splitQueries: false ranks a multi-task request whole", async () => {
    const embeddings = new WordEmbeddings();
    const index = await ToolIndex.build(catalog, { embeddings, splitQueries: false });
    await index.select("First refund the customer's payment for the invoice. Then track the parcel with the carrier, please.");
    expect(embeddings.queryCalls).toBe(1);
  });

  it("rerank: true re-ranks the whole request (rerank.ts): the near-duplicate whose name and parameters the request uses moves up; the default keeps the fused order", async () => {
    const restaurants: ToolDocument[] = [
      { name: "restaurant_search", description: "Search restaurants in a city that serve a cuisine, within a distance in miles." },
      { name: "restaurant_find_nearby", description: "Restaurants close to a location.", parameters: { type: "object", properties: { location: { type: "string" }, max_distance: { type: "number" } } } },
      { name: "hotel_search", description: "Search hotels in a city." },
      { name: "weather_get", description: "Current weather of a city." },
    ];
    const query = "find restaurants nearby serving a cuisine in the city within a distance in miles of my location";
    const options = { embeddings: new WordEmbeddings(), warn: () => {} };
    const plain = await ToolIndex.build(restaurants, options);
    const fused = fuse(await plain.rawScores(query));
    expect((await plain.search(query, { k: 4 })).tools.map((t) => t.name)).toEqual(fused.map((f) => restaurants[f.index]!.name));
    expect(fused[0]!.index).toBe(0);
    const { tools } = await (await ToolIndex.build(restaurants, { ...options, rerank: true })).search(query, { k: 4 });
    expect(tools.map((t) => t.name).slice(0, 2)).toEqual(["restaurant_find_nearby", "restaurant_search"]);
    expect(tools.map((t) => t.score)).toEqual(fused.map((f) => f.score)); // the fused scale, slot by slot
  });

  it("examples are their own vectors: a request phrased like an example finds its tool", async () => {
    const index = await build();
    expect((await index.select("give the money back", { k: 1 })).tools[0]!.name).toBe("issue_refund");
  });
});

describe("keyword fallback", () => {
  it("an embedding model that fails at build: BM25 ranks, fallback is reported, a warning is logged once", async () => {
    const warn = vi.fn();
    const index = await ToolIndex.build(catalog, { embeddings: new FailingEmbeddings(), warn });
    expect(index.dense).toBe(false);
    const selection = await index.select("refund the payment", { k: 2 });
    expect(selection.fallback).toBe("keyword");
    expect(selection.tools[0]!.name).toBe("issue_refund");
    expect(selection.tools[0]!.dense).toBeNull();
    await index.select("track the parcel");
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]![0]).toMatch(/failed while indexing.*keywords only/);
  });

  it("an embedding model that fails at query time: BM25 ranks, never throws, warns once", async () => {
    const warn = vi.fn();
    const index = await ToolIndex.build(catalog, { embeddings: new FailingEmbeddings(true), warn });
    expect(index.dense).toBe(true);
    const first = await index.select("refund the payment", { k: 2, noToolThreshold: 0.99 });
    expect(first.fallback).toBe("keyword");
    expect(first.noTool).toBe(false); // a fallback never leaves the agent without tools
    expect(first.tools[0]!.name).toBe("issue_refund");
    const searched = await index.search("track my parcel");
    expect(searched.fallback).toBe("keyword");
    expect(searched.tools[0]!.name).toBe("track_shipment");
    expect(warn).toHaveBeenCalledTimes(1);
  });

  it("with no keyword match either, the fallback still returns k allowed tools", async () => {
    const index = await ToolIndex.build(catalog, { embeddings: new FailingEmbeddings(), warn: () => {} });
    const selection = await index.select("xyzzy", { k: 2, allowed: (d) => d.domain === "shipping" });
    expect(selection.tools.map((t) => t.name)).toEqual(["track_shipment", "cancel_order"]);
  });
});

describe("ToolIndex.build", () => {
  it("rejects a bad catalogue with CatalogError", async () => {
    await expect(ToolIndex.build([...catalog, { name: "issue_refund", description: "again" }], { embeddings: new WordEmbeddings() })).rejects.toThrow(CatalogError);
    await expect(ToolIndex.build([{ name: "x", description: "" }], { embeddings: new WordEmbeddings() })).rejects.toThrow(/has an empty description/);
  });

  it("with the disk cache, a second build makes zero embed calls", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "keel-index-cache-"));
    const model1 = new WordEmbeddings();
    await ToolIndex.build(catalog, { embeddings: new CachedEmbeddings({ embeddings: model1, modelId: "words", dir }) });
    expect(model1.documentCalls).toBeGreaterThan(0);
    const model2 = new WordEmbeddings();
    const index = await ToolIndex.build(catalog, { embeddings: new CachedEmbeddings({ embeddings: model2, modelId: "words", dir }) });
    expect(model2.documentCalls).toBe(0);
    expect((await index.select("refund", { k: 1 })).tools[0]!.name).toBe("issue_refund");
  });

  it("caches query vectors in memory: the same request is embedded once", async () => {
    const model = new WordEmbeddings();
    const embeddings = new CachedEmbeddings({ embeddings: model, modelId: "words", dir: fs.mkdtempSync(path.join(os.tmpdir(), "keel-q-")) });
    const index = await ToolIndex.build(catalog, { embeddings });
    await index.select("refund the payment");
    await index.select("refund the payment");
    await index.prepare(["track it", "cancel it"]);
    await index.select("track it");
    expect(model.queryCalls).toBe(1);
  });

  it("reports progress", async () => {
    const phases: string[] = [];
    await build({ onProgress: (p) => phases.push(`${p.phase} ${p.done}/${p.total}`) });
    expect(phases).toContain("store 6/6");
    expect(phases.some((p) => p.startsWith("embed"))).toBe(true);
  });

  it("uses a store you pass, under the namespace you pass, searched with store.search", async () => {
    const embeddings = new WordEmbeddings();
    const store = new InMemoryStore({ index: toolStoreIndex(embeddings, 64) });
    const search = vi.spyOn(store, "search");
    const index = await ToolIndex.build(catalog, { store, namespace: ["keel", "tools", "test"] });
    const item = await store.get(["keel", "tools", "test"], "issue_refund");
    expect(item?.value).toMatchObject({ name: "issue_refund", domain: "finance", texts: ["issue refund: Refunds a payment to the customer.", "give the money back"] });
    const selection = await index.select("refund the payment", { k: 2, allowed: (d) => d.domain === "finance" });
    expect(selection.tools[0]!.name).toBe("issue_refund");
    expect(search).toHaveBeenCalledWith(["keel", "tools", "test"], expect.objectContaining({ query: "refund the payment", filter: { name: { $in: ["issue_refund", "get_invoice"] } } }));
  });

  it.each([
    ["track my parcel", undefined],
    ["give the money back for the invoice", undefined],
    ["refund the payment", (d: ToolDocument) => d.domain === "finance"],
  ] as const)("scores %j exactly as the store's own search does (no store.search on its own store)", async (query, allowed) => {
    const own = await ToolIndex.build(catalog, { embeddings: new WordEmbeddings() });
    const embeddings = new WordEmbeddings();
    const store = new InMemoryStore({ index: toolStoreIndex(embeddings, 64) });
    const viaStore = await ToolIndex.build(catalog, { store, embeddings, denseCandidates: 1000 });
    const search = vi.spyOn(InMemoryStore.prototype, "search");
    const a = await own.rawScores(query, allowed);
    expect(search).not.toHaveBeenCalled();
    search.mockRestore();
    const b = await viaStore.rawScores(query, allowed);
    for (const i of b.candidates) expect(a.dense![i]).toBeCloseTo(b.dense![i]!, 5);
    expect(a.candidates).toEqual(b.candidates);
    const ranked = async (index: ToolIndex) => (await index.search(query, allowed ? { allowed } : {})).tools.map((t) => t.name);
    expect(await ranked(own)).toEqual(await ranked(viaStore));
  });

  it("the default namespace is ['keel', 'tools', <catalogue hash>], stable for an unchanged catalogue", async () => {
    const a = await build();
    const b = await build();
    const c = await ToolIndex.build(catalog.slice(1), { embeddings: new WordEmbeddings() });
    expect(a.namespace.slice(0, 2)).toEqual(["keel", "tools"]);
    expect(a.namespace).toEqual(b.namespace);
    expect(c.namespace).not.toEqual(a.namespace);
  });

  it("documents() returns the catalogue in order", async () => {
    const index = await build();
    expect(index.documents().map((d) => d.name)).toEqual(catalog.map((d) => d.name));
  });
});
