/**
 * Where remembered facts live when the app does not bring a store: in memory for the process, or with
 * `DATABASE_URL` in PostgreSQL (LangGraph's `PostgresStore`, table `store`, the same table the tool index uses
 * under another namespace), so user facts outlive the process and are shared by every instance.
 * Facts have no embedding index: recall is by scope and recency (see memory.ts).
 */
import type { BaseStore } from "@langchain/langgraph";
import { PostgresStore } from "@langchain/langgraph-checkpoint-postgres/store";
import pg from "pg";
import { ConfigurationError } from "../errors.js";
import { toolStoreError } from "../retrieval/tool-store.js";
import { defaultMemoryStore } from "./memory.js";

export interface MemoryStoreHandle {
  store: BaseStore;
  /** "memory" or "postgres:<host>/<db>" (no credentials). */
  description: string;
  close(): Promise<void>;
}

/** The tool store's lock key: both run `setup()` on the same `store` table, which is not safe concurrently. */
const LOCK_KEY = 0x6b65656c;

/** @example const { store } = await openMemoryStore({ DATABASE_URL: "postgres://keel@127.0.0.1:5432/keel" }) */
export async function openMemoryStore(env: NodeJS.ProcessEnv = process.env): Promise<MemoryStoreHandle> {
  const url = env.DATABASE_URL?.trim();
  if (!url) return { store: defaultMemoryStore(), description: "memory", close: async () => {} };
  let where: string;
  let password = "";
  try {
    const parsed = new URL(url);
    if (!/^postgres(ql)?:$/.test(parsed.protocol)) throw new Error(parsed.protocol);
    where = `${parsed.host}${parsed.pathname}`;
    password = parsed.password;
  } catch {
    throw new ConfigurationError("DATABASE_URL is not a postgres:// URL.", "Set it like postgres://user:password@host:5432/database, or unset it to keep remembered facts in memory.");
  }
  const store = new PostgresStore({ connectionOptions: { connectionString: url, allowExitOnIdle: true } });
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  client.on("error", () => undefined);
  try {
    await client.connect();
    await client.query("SELECT pg_advisory_lock($1)", [LOCK_KEY]);
    await store.setup();
  } catch (error) {
    await store.stop().catch(() => undefined);
    throw toolStoreError(error, where, password);
  } finally {
    await client.end().catch(() => undefined); // releases the lock
  }
  return { store, description: `postgres:${where}`, close: () => store.stop() };
}
