/**
 * Where the tool index lives: in memory by default, in PostgreSQL (pgvector) with DATABASE_URL, and the store
 * index langgraph.json declares for the LangGraph server.
 * The PostgreSQL part runs when KEEL_TEST_DATABASE_URL is set (CI: postgres://keel:keel@127.0.0.1:5432/keel_test,
 * with pgvector installed by .ci/run).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fs from "node:fs";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { fileURLToPath, pathToFileURL } from "node:url";
import pg from "pg";
import type { Embeddings } from "@langchain/core/embeddings";
import { InMemoryStore } from "@langchain/langgraph";
import { PostgresStore } from "@langchain/langgraph-checkpoint-postgres/store";
import { DOMAIN_TOOLS } from "../../graphs/agents/tool-index.js";
import { ConfigurationError } from "../errors.js";
import { embeddingTexts, toolDocumentFromTool } from "./tool-document.js";
import { ToolIndex, TOOL_INDEX_FIELDS } from "./tool-index.js";
import { openToolStore, toolStoreError, type ToolStoreHandle } from "./tool-store.js";

const url = process.env.KEEL_TEST_DATABASE_URL;
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const docs = Object.values(DOMAIN_TOOLS).flat().map(toolDocumentFromTool);

/** App requests and the tool each one needs. */
const REQUESTS: [string, string][] = [
  ["why was customer CUS-1042 charged twice?", "find_duplicate_charges"],
  ["cancel order ORD-10500", "cancel_order"],
  ["page the on-call engineer for payments-api", "page_oncall"],
];

describe("openToolStore", () => {
  it("keeps the index in memory without DATABASE_URL", async () => {
    const handle = await openToolStore({ ...process.env, DATABASE_URL: "" });
    expect(handle.store).toBeInstanceOf(InMemoryStore);
    expect(handle.description).toBe("memory:use-lite@0.2.0");
    await handle.close();
  });

  it.each([["mysql://x"], ["not a url"]])("DATABASE_URL=%j is a ConfigurationError", async (databaseUrl) => {
    const error = await openToolStore({ DATABASE_URL: databaseUrl }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toContain("DATABASE_URL");
  });

  it("an unreachable server is a ConfigurationError naming it, without the password", async () => {
    const error = await openToolStore({ DATABASE_URL: "postgres://keel:s3cret-pw@127.0.0.1:1/keel" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toMatch(/Cannot reach PostgreSQL at 127\.0\.0\.1:1\/keel/);
    expect((error as Error).message).not.toContain("s3cret-pw");
  });

  it("a server without pgvector is a ConfigurationError naming it", () => {
    // What PostgreSQL 15 answers to CREATE EXTENSION when the extension is not installed.
    const missing = Object.assign(new Error('extension "vector" is not available'), { code: "0A000" });
    const error = toolStoreError(missing, "db.internal:5432/keel", "s3cret-pw");
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error.message).toContain("PostgreSQL at db.internal:5432/keel has no pgvector extension");
    expect(error.message).toContain("CREATE EXTENSION vector failed");
    const echoed = toolStoreError(new Error("bad login s3cret-pw"), "db.internal:5432/keel", "s3cret-pw");
    expect(echoed.message).not.toContain("s3cret-pw");
  });
});

describe("langgraph.json store index", () => {
  const config = JSON.parse(fs.readFileSync(path.join(ROOT, "langgraph.json"), "utf8")) as {
    store: { index: { embed: string; dims: number; fields: string[] } };
  };

  it("declares the offline embeddings, their size and the tool index's fields, and they search by meaning", async () => {
    const { embed, dims, fields } = config.store.index;
    expect(fields).toEqual(TOOL_INDEX_FIELDS);
    const [file, exported] = embed.split(":") as [string, string];
    const module = (await import(pathToFileURL(path.join(ROOT, file)).href)) as Record<string, unknown>;
    const embeddings = module[exported] as Embeddings;
    const [vector] = await embeddings.embedDocuments(["where is my parcel?"]);
    expect(vector).toHaveLength(dims);

    const store = new InMemoryStore({ index: { dims, embeddings, fields } });
    const ns = ["keel", "declared"];
    await store.put(ns, "refund", { name: "issue_refund", texts: ["Refunds a payment to the customer.", "give the money back"] });
    await store.put(ns, "track", { name: "track_shipment", texts: ["Tracking events of a parcel from the carrier.", "where is my package"] });
    await store.put(ns, "page", { name: "page_oncall", texts: ["Pages the on-call engineer of a service."] });
    expect((await store.search(ns, { query: "where has my parcel got to?", limit: 1 }))[0]?.key).toBe("track");
    expect((await store.search(ns, { query: "I'd like my money returned", limit: 1 }))[0]?.key).toBe("refund");
  });
});

describe.skipIf(!url)("tool index in PostgreSQL (pgvector)", () => {
  const namespace = ["keel", "tools-test", randomUUID()];
  const namespacePath = namespace.join(":");
  const handles: ToolStoreHandle[] = [];
  let client: pg.Client;
  let inMemory: ToolIndex;
  let inPostgres: ToolIndex;

  beforeAll(async () => {
    client = new pg.Client({ connectionString: url });
    await client.connect();
    const memory = await openToolStore({ ...process.env, DATABASE_URL: "" });
    const postgres = await openToolStore({ ...process.env, DATABASE_URL: url });
    handles.push(memory, postgres);
    inMemory = await ToolIndex.build(docs, { store: memory.store, namespace });
    inPostgres = await ToolIndex.build(docs, { store: postgres.store, namespace });
  }, 120_000);

  afterAll(async () => {
    for (const handle of handles) await handle.close();
    if (client) {
      await client.query("DELETE FROM store WHERE namespace_path = $1", [namespacePath]); // vectors cascade
      await client.end();
    }
  });

  it("opens a PostgresStore, described without credentials", () => {
    const where = new URL(url!);
    expect(handles[1]!.store).toBeInstanceOf(PostgresStore);
    expect(handles[1]!.description).toBe(`postgres:${where.host}${where.pathname}`);
    expect(inPostgres.dense).toBe(true);
  });

  it.each(REQUESTS)("%j: the same tools and scores as in memory, %s first", async (request, expected) => {
    const [memory, postgres] = await Promise.all([inMemory.search(request, { k: 10 }), inPostgres.search(request, { k: 10 })]);
    expect(postgres.fallback).toBeUndefined();
    expect(postgres.tools[0]!.name).toBe(expected);
    expect(memory.tools[0]!.name).toBe(expected);
    const pgScores = new Map(postgres.tools.map((t) => [t.name, t]));
    for (const t of memory.tools.slice(0, 5)) {
      expect(pgScores.get(t.name)?.dense, t.name).toBeCloseTo(t.dense!, 4);
      expect(pgScores.get(t.name)?.score, t.name).toBeCloseTo(t.score, 4);
    }
  });

  it("filters before ranking: an out-of-scope tool is neither scored by the store nor returned", async () => {
    const shipping = new Set(DOMAIN_TOOLS.shipping.map((t) => t.name));
    const allowed = (doc: { name: string }) => shipping.has(doc.name);
    const request = "why was customer CUS-1042 charged twice?";
    const selection = await inPostgres.select(request, { k: 5, allowed, alwaysInclude: ["find_duplicate_charges"] });
    expect(selection.tools.length).toBeGreaterThan(0);
    expect(selection.tools.every((t) => shipping.has(t.name))).toBe(true);
    const raw = await inPostgres.rawScores(request, allowed);
    const outOfScope = docs.findIndex((d) => d.name === "find_duplicate_charges");
    expect(Number.isNaN(raw.dense![outOfScope]!)).toBe(true);
  });

  it("keeps the tools and their vectors in PostgreSQL, where another instance finds them", async () => {
    const items = await client.query("SELECT key FROM store WHERE namespace_path = $1", [namespacePath]);
    expect(items.rows.map((r) => r.key).sort()).toEqual(docs.map((d) => d.name).sort());
    const vectors = await client.query<{ n: string; dims: number }>(
      "SELECT COUNT(*) AS n, MIN(vector_dims(embedding)) AS dims FROM store_vectors WHERE namespace_path = $1",
      [namespacePath],
    );
    const texts = docs.reduce((n, d) => n + embeddingTexts(d).filter((t) => t.trim()).length, 0);
    expect(Number(vectors.rows[0]!.n)).toBe(texts);
    expect(vectors.rows[0]!.dims).toBe(512);

    const other = await openToolStore({ ...process.env, DATABASE_URL: url });
    handles.push(other);
    const [hit] = await other.store.search(namespace, { query: "why was customer CUS-1042 charged twice?", limit: 1 });
    expect(hit?.key).toBe("find_duplicate_charges");
  });

  it("a wrong password is a ConfigurationError that does not quote it", async () => {
    const wrong = new URL(url!);
    wrong.password = "not-the-password-42";
    const error = await openToolStore({ ...process.env, DATABASE_URL: wrong.href }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toContain(`PostgreSQL at ${wrong.host}${wrong.pathname} refused the connection`);
    expect((error as Error).message).not.toContain("not-the-password-42");
  });
});
