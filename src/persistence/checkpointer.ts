/**
 * Where graph checkpoints live: a SQLite file in the data directory by default, PostgreSQL when `DATABASE_URL`
 * is set. Both are LangGraph's own savers; this module only chooses and prepares one.
 */
import path from "node:path";
import type { BaseCheckpointSaver } from "@langchain/langgraph";
import { SqliteSaver } from "@langchain/langgraph-checkpoint-sqlite";
import { PostgresSaver } from "@langchain/langgraph-checkpoint-postgres";
import { dataDir, companyDb } from "../db/index.js";
import { ConfigurationError } from "../errors.js";

export interface CheckpointerHandle {
  saver: BaseCheckpointSaver;
  /** "sqlite:<file>" or "postgres:<host>/<db>" (no credentials), for start-up messages. */
  description: string;
  close(): Promise<void>;
}

/** @example await openCheckpointer({ DATABASE_URL: "postgres://keel@127.0.0.1:5432/keel" }) */
export async function openCheckpointer(env: NodeJS.ProcessEnv = process.env): Promise<CheckpointerHandle> {
  const url = env.DATABASE_URL?.trim();
  if (url) return openPostgres(url);
  companyDb(); // creates the data directory (with a clear error when it cannot be written)
  const file = path.join(dataDir(), "checkpoints.sqlite");
  const saver = SqliteSaver.fromConnString(file);
  return { saver, description: `sqlite:${file}`, close: async () => {
      saver.db.close();
    },
  };
}

async function openPostgres(url: string): Promise<CheckpointerHandle> {
  let parsed: URL;
  try {
    parsed = new URL(url);
    if (!/^postgres(ql)?:$/.test(parsed.protocol)) throw new Error(parsed.protocol);
  } catch {
    throw new ConfigurationError("DATABASE_URL is not a postgres:// URL.", "Set it like postgres://user:password@host:5432/database, or unset it to use SQLite.");
  }
  const saver = PostgresSaver.fromConnString(url);
  try {
    await saver.setup();
  } catch (error) {
    await saver.end().catch(() => undefined);
    throw new ConfigurationError(
      `Cannot use the PostgreSQL checkpointer at ${parsed.host}${parsed.pathname}: ${(error as Error).message}.`,
      "Check that the server is running and that DATABASE_URL's user may create tables.",
    );
  }
  return { saver, description: `postgres:${parsed.host}${parsed.pathname}`, close: () => saver.end() };
}
