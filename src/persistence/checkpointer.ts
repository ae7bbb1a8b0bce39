/**
 * Where graph checkpoints live: a SQLite file in the data directory by default, PostgreSQL when `DATABASE_URL`
 * is set. Both are LangGraph's own savers; this module chooses and prepares one, checks an existing SQLite file
 * first (corrupted, incompatible or locked: a `StorageError` naming the file and what to do, nothing changed),
 * and turns a checkpoint that cannot be read back into a `StorageError` naming the thread.
 */
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import type { RunnableConfig } from "@langchain/core/runnables";
import type { BaseCheckpointSaver, CheckpointTuple } from "@langchain/langgraph";
import { SqliteSaver } from "@langchain/langgraph-checkpoint-sqlite";
import { PostgresSaver } from "@langchain/langgraph-checkpoint-postgres";
import { dataDir, companyDb } from "../db/index.js";
import { ConfigurationError, KeelError, StorageError } from "../errors.js";
import { busyTimeoutMs, preflightSqlite, storageErrorOf } from "./sqlite-preflight.js";

type CheckpointListOptions = Parameters<BaseCheckpointSaver["list"]>[1];

export interface CheckpointerHandle {
  saver: BaseCheckpointSaver;
  /** "sqlite:<file>" or "postgres:<host>/<db>" (no credentials), for start-up messages. */
  description: string;
  close(): Promise<void>;
}

/** The columns LangGraph's SqliteSaver reads; an existing file without them was written by something else. */
const CHECKPOINT_TABLES = {
  checkpoints: ["thread_id", "checkpoint_ns", "checkpoint_id", "parent_checkpoint_id", "type", "checkpoint", "metadata"],
  writes: ["thread_id", "checkpoint_ns", "checkpoint_id", "task_id", "idx", "channel", "type", "value"],
};
const FRESH = "to start with no saved conversations (the moved file keeps them; the company database is not affected)";

/** @example await openCheckpointer({ DATABASE_URL: "postgres://keel@127.0.0.1:5432/keel" }) */
export async function openCheckpointer(env: NodeJS.ProcessEnv = process.env): Promise<CheckpointerHandle> {
  const url = env.DATABASE_URL?.trim();
  if (url) return openPostgres(url);
  companyDb(); // creates the data directory (with a clear error when it cannot be written)
  const file = path.join(dataDir(), "checkpoints.sqlite");
  preflightSqlite(file, { what: "checkpoint database", tables: CHECKPOINT_TABLES, freshHint: FRESH, timeoutMs: busyTimeoutMs(env) });
  let db: Database.Database;
  try {
    db = new Database(file, { timeout: busyTimeoutMs(env) });
  } catch (error) {
    throw storageErrorOf(error, file, "checkpoint database", FRESH) ?? error;
  }
  const saver = new CheckedSqliteSaver(db, `sqlite:${file}`);
  return { saver, description: `sqlite:${file}`, close: async () => {
      saver.db.close();
    },
  };
}

/** A checkpoint read failed (damaged row, incompatible serialisation, locked or unreadable file). */
function readError(error: unknown, config: RunnableConfig, where: string): unknown {
  if (error instanceof KeelError) return error;
  const file = where.startsWith("sqlite:") ? where.slice(7) : undefined;
  const storage = file ? storageErrorOf(error, file, "checkpoint database", FRESH) : undefined;
  if (storage) return storage;
  const thread = String(config.configurable?.thread_id ?? "?");
  return new StorageError(
    `The checkpoint of thread ${thread} in ${where} cannot be read (${(error as Error)?.message ?? String(error)}).`,
    "It is damaged or was written by an incompatible version; nothing was changed. Start a new conversation (other threads are unaffected), and keep the checkpoint store for support.",
  );
}

function writeError(error: unknown, where: string): unknown {
  if (error instanceof KeelError || !where.startsWith("sqlite:")) return error;
  return storageErrorOf(error, where.slice(7), "checkpoint database", FRESH) ?? error;
}

class CheckedSqliteSaver extends SqliteSaver {
  constructor(db: Database.Database, private readonly where: string) {
    super(db);
  }
  override async getTuple(config: RunnableConfig): Promise<CheckpointTuple | undefined> {
    try {
      return await super.getTuple(config);
    } catch (error) {
      throw readError(error, config, this.where);
    }
  }
  override async *list(config: RunnableConfig, options?: CheckpointListOptions): AsyncGenerator<CheckpointTuple> {
    try {
      yield* super.list(config, options);
    } catch (error) {
      throw readError(error, config, this.where);
    }
  }
  override async put(...args: Parameters<SqliteSaver["put"]>) {
    try {
      return await super.put(...args);
    } catch (error) {
      throw writeError(error, this.where);
    }
  }
  override async putWrites(...args: Parameters<SqliteSaver["putWrites"]>) {
    try {
      return await super.putWrites(...args);
    } catch (error) {
      throw writeError(error, this.where);
    }
  }
}

class CheckedPostgresSaver extends PostgresSaver {
  constructor(pool: pg.Pool, private readonly where: string) {
    super(pool);
  }
  override async getTuple(config: RunnableConfig): Promise<CheckpointTuple | undefined> {
    try {
      return await super.getTuple(config);
    } catch (error) {
      throw readError(error, config, this.where);
    }
  }
  override async *list(config: RunnableConfig, options?: CheckpointListOptions): AsyncGenerator<CheckpointTuple> {
    try {
      yield* super.list(config, options);
    } catch (error) {
      throw readError(error, config, this.where);
    }
  }
}

async function openPostgres(url: string): Promise<CheckpointerHandle> {
  let parsed: URL;
  try {
    parsed = new URL(url);
    if (!/^postgres(ql)?:$/.test(parsed.protocol)) throw new Error(parsed.protocol);
  } catch {
    throw new ConfigurationError("DATABASE_URL is not a postgres:// URL.", "Set it like postgres://user:password@host:5432/database, or unset it to use SQLite.");
  }
  const where = `postgres:${parsed.host}${parsed.pathname}`;
  const saver = new CheckedPostgresSaver(new pg.Pool({ connectionString: url }), where);
  try {
    await saver.setup();
  } catch (error) {
    await saver.end().catch(() => undefined);
    throw new ConfigurationError(
      `Cannot use the PostgreSQL checkpointer at ${parsed.host}${parsed.pathname}: ${(error as Error).message}.`,
      "Check that the server is running and that DATABASE_URL's user may create tables.",
    );
  }
  return { saver, description: where, close: () => saver.end() };
}
