/**
 * Where the tool index's vectors live: a LangGraph store with an `index`.
 *
 * - default: `InMemoryStore` (rebuilt at start-up from the disk cache of embeddings, so a restart is cheap);
 * - `DATABASE_URL` set: `PostgresStore` with pgvector (tables `store` and `store_vectors`), shared by every
 *   instance of the app. `setup()` creates the tables and `CREATE EXTENSION IF NOT EXISTS vector`.
 *
 * Both use the retrieval embeddings (`KEEL_EMBEDDINGS`, USE-Lite by default) and `TOOL_INDEX_FIELDS`.
 * The LangGraph server's own store declares the same index in langgraph.json, with `toolStoreEmbeddings` below.
 */
import { Embeddings } from "@langchain/core/embeddings";
import { InMemoryStore, type BaseStore, type Operation, type OperationResults } from "@langchain/langgraph";
import { PostgresStore } from "@langchain/langgraph-checkpoint-postgres/store";
import pg from "pg";
import { ConfigurationError } from "../errors.js";
import { offlineEmbeddings } from "../embeddings/use-lite.js";
import { retrievalEmbeddings } from "./embeddings.js";
import { toolStoreIndex } from "./tool-index.js";

export interface ToolStoreHandle {
  store: BaseStore;
  /** The retrieval embeddings behind the store's index (disk cache included), e.g. to prime query vectors. */
  embeddings: Embeddings;
  /** "memory:<model>" or "postgres:<host>/<db>" (no credentials), for start-up messages. */
  description: string;
  close(): Promise<void>;
}

/**
 * The embeddings of the server's store index (`store.index.embed` in langgraph.json): the offline USE-Lite
 * model, 512 dimensions. Loaded on first use.
 */
export const toolStoreEmbeddings: Embeddings = offlineEmbeddings();

/** @example await openToolStore({ DATABASE_URL: "postgres://keel@127.0.0.1:5432/keel" }) */
export async function openToolStore(env: NodeJS.ProcessEnv = process.env): Promise<ToolStoreHandle> {
  const { embeddings, modelId, dims } = retrievalEmbeddings(env); // ConfigurationError for bad settings
  const embed = new LengthSortedEmbeddings(embeddings);
  const url = env.DATABASE_URL?.trim();
  if (!url) {
    // InMemoryStore does not use `dims`; an unknown size (some OpenAI-compatible models) is fine here.
    const store = new InMemoryStore({ index: toolStoreIndex(embed, dims ?? 0) });
    return { store, embeddings, description: `memory:${modelId}`, close: async () => {} };
  }
  return { ...(await openPostgres(url, embed, modelId, dims)), embeddings };
}

async function openPostgres(url: string, embed: Embeddings, modelId: string, dims: number | undefined): Promise<Omit<ToolStoreHandle, "embeddings">> {
  let parsed: URL;
  try {
    parsed = new URL(url);
    if (!/^postgres(ql)?:$/.test(parsed.protocol)) throw new Error(parsed.protocol);
  } catch {
    throw new ConfigurationError("DATABASE_URL is not a postgres:// URL.", "Set it like postgres://user:password@host:5432/database, or unset it to keep the tool index in memory.");
  }
  const where = `${parsed.host}${parsed.pathname}`;
  if (dims === undefined) {
    throw new ConfigurationError(`The tool index in PostgreSQL needs the vector size of ${modelId}.`, "Set KEEL_EMBEDDINGS_DIMS.");
  }
  const store = new LockedPostgresStore(url, { connectionOptions: { connectionString: url, allowExitOnIdle: true }, index: toolStoreIndex(embed, dims) });
  try {
    await withAdvisoryLock(url, async (client) => {
      await store.setup();
      // The vector column's size is fixed at creation: another model's vectors cannot go in.
      const column = await client.query<{ type: string }>(
        "SELECT format_type(atttypid, atttypmod) AS type FROM pg_attribute WHERE attrelid = to_regclass('public.store_vectors') AND attname = 'embedding'",
      );
      const type = column.rows[0]?.type;
      if (type && type !== `vector(${dims})`) {
        throw new ConfigurationError(
          `The PostgreSQL store at ${where} holds ${type} embeddings, but ${modelId} makes ${dims} dimensions.`,
          "Use the embedding model the store was created with, or another database.",
        );
      }
    });
  } catch (error) {
    await store.stop().catch(() => undefined);
    throw toolStoreError(error, where, parsed.password);
  }
  return { store, description: `postgres:${where}`, close: () => store.stop() };
}

/** Turns a PostgreSQL failure into a `ConfigurationError` naming its cause, never quoting the password. */
export function toolStoreError(error: unknown, where: string, password = ""): Error {
  if (error instanceof ConfigurationError) return error;
  const { code, message: raw } = error as { code?: string; message?: string };
  const message = redact(String(raw ?? error), password);
  if (code === "0A000" || code === "58P01" || /extension "vector"|vector\.control/.test(message)) {
    return new ConfigurationError(
      `PostgreSQL at ${where} has no pgvector extension (CREATE EXTENSION vector failed: ${message}).`,
      "Install pgvector on the database server (the postgresql-NN-pgvector package, or build it from source), then restart.",
    );
  }
  if (code === "42501") {
    return new ConfigurationError(
      `DATABASE_URL's user may not set up the tool index at ${where}: ${message}.`,
      'Have a superuser run "CREATE EXTENSION vector" in that database once, and let the user create tables.',
    );
  }
  if (code === "28P01" || code === "28000" || code === "3D000") {
    return new ConfigurationError(`PostgreSQL at ${where} refused the connection: ${message}.`, "Check DATABASE_URL's user, password and database name.");
  }
  if (/ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|EHOSTUNREACH|timeout|terminated/i.test(`${code ?? ""} ${message}`)) {
    return new ConfigurationError(`Cannot reach PostgreSQL at ${where} (${message}).`, "Check that the server is running and DATABASE_URL's host and port.");
  }
  return new ConfigurationError(`Cannot use the PostgreSQL tool store at ${where}: ${message}.`, "Check the server's log and DATABASE_URL's permissions.");
}

function redact(text: string, password: string): string {
  let out = text;
  for (const secret of new Set([password, safeDecode(password)])) if (secret) out = out.split(secret).join("***");
  return out;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Arbitrary, fixed: every Keel process serialises tool-store schema changes and writes on it. */
const LOCK_KEY = 0x6b65656c; // "keel"

/**
 * Runs `fn` holding a session advisory lock on its own connection: `setup()` and PostgresStore's puts (delete
 * then insert of an item's vectors, outside any transaction) are not safe when two processes start together.
 */
async function withAdvisoryLock<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  client.on("error", () => undefined); // a dropped connection surfaces through the query that needed it
  try {
    await client.connect();
    await client.query("SELECT pg_advisory_lock($1)", [LOCK_KEY]);
    return await fn(client);
  } finally {
    await client.end().catch(() => undefined); // ending the session releases the lock
  }
}

/** A PostgresStore whose batches with writes run under the advisory lock. */
class LockedPostgresStore extends PostgresStore {
  constructor(
    private readonly url: string,
    config: ConstructorParameters<typeof PostgresStore>[0],
  ) {
    super(config);
  }

  override async batch<Op extends Operation[]>(operations: Op): Promise<OperationResults<Op>> {
    if (!operations.some((op) => "value" in op)) return super.batch(operations);
    return withAdvisoryLock(this.url, () => super.batch(operations));
  }
}

/**
 * Hands texts to the model shortest first: USE-Lite pads each batch to its longest text, so similar lengths
 * together embed a catalogue about twice as fast on a cold cache. Vectors come back in the caller's order.
 */
class LengthSortedEmbeddings extends Embeddings {
  constructor(private readonly inner: Embeddings) {
    super({});
  }

  override async embedDocuments(texts: string[]): Promise<number[][]> {
    const order = texts.map((_, i) => i).sort((a, b) => texts[a]!.length - texts[b]!.length);
    const vectors = await this.inner.embedDocuments(order.map((i) => texts[i]!));
    const out = new Array<number[]>(texts.length);
    order.forEach((i, j) => (out[i] = vectors[j]!));
    return out;
  }

  override embedQuery(text: string): Promise<number[]> {
    return this.inner.embedQuery(text);
  }
}
