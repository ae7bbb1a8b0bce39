/**
 * Checks a SQLite file before the app uses it, so a corrupted, incompatible or locked file stops start-up with a
 * `StorageError` naming the file and what to do, instead of a raw driver error in the middle of a turn. The
 * checks only read (and take, then drop, a write lock); nothing in the file is changed.
 *
 * Environment:
 * - `KEEL_DB_BUSY_TIMEOUT_MS`: how long to wait for another process's lock on a SQLite file before giving up
 *   (default 5000). @example KEEL_DB_BUSY_TIMEOUT_MS=15000
 */
import fs from "node:fs";
import Database from "better-sqlite3";
import { ConfigurationError, StorageError } from "../errors.js";

/** `KEEL_DB_BUSY_TIMEOUT_MS`, validated. */
export function busyTimeoutMs(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.KEEL_DB_BUSY_TIMEOUT_MS?.trim();
  const value = raw ? Number(raw) : 5000;
  if (!Number.isInteger(value) || value < 0) {
    throw new ConfigurationError(`KEEL_DB_BUSY_TIMEOUT_MS is "${raw}".`, "Give a whole number of milliseconds, e.g. 5000, or unset it.");
  }
  return value;
}

const CORRUPT = new Set(["SQLITE_NOTADB", "SQLITE_CORRUPT", "SQLITE_CANTOPEN"]);
const LOCKED = new Set(["SQLITE_BUSY", "SQLITE_LOCKED", "SQLITE_BUSY_SNAPSHOT", "SQLITE_BUSY_RECOVERY"]);

/** Turns a SQLite driver error about `file` into a `StorageError`, or returns undefined when it is another kind. */
export function storageErrorOf(error: unknown, file: string, what: string, freshHint: string): StorageError | undefined {
  const code = (error as { code?: unknown })?.code;
  const detail = `${typeof code === "string" ? `${code}: ` : ""}${(error as Error)?.message ?? String(error)}`;
  if (typeof code === "string" && CORRUPT.has(code)) {
    return new StorageError(`The ${what} ${file} is not a readable SQLite database (${detail}).`, `Nothing was changed. Move it aside (mv "${file}" "${file}.broken") and run again ${freshHint}.`);
  }
  if (typeof code === "string" && LOCKED.has(code)) {
    return new StorageError(
      `The ${what} ${file} is locked by another process (${detail}).`,
      "Nothing was changed. Stop the other Keel process (or close the sqlite3 shell holding a transaction) and run again, or raise KEEL_DB_BUSY_TIMEOUT_MS.",
    );
  }
  if (typeof code === "string" && /^SQLITE_(READONLY|FULL|IOERR|PERM)/.test(code)) {
    return new StorageError(
      `The ${what} ${file} cannot be written (${detail}).`,
      "Free disk space or fix the permissions of the data directory (KEEL_DATA_DIR), then run again; what was committed before is kept, and an interrupted turn continues with recover.",
    );
  }
  return undefined;
}

export interface PreflightOptions {
  /** What the file is, for messages. @example "checkpoint database" */
  what: string;
  /** Tables the app will use, with the columns it needs; an existing table without them is incompatible. */
  tables: Record<string, string[]>;
  /** What running again after moving the file gives. @example "to start with no saved conversations" */
  freshHint: string;
  timeoutMs?: number;
}

/** Checks an existing SQLite file: readable, compatible, not locked. A missing file passes (it will be created). */
export function preflightSqlite(file: string, options: PreflightOptions): void {
  if (!fs.existsSync(file)) return;
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { fileMustExist: true, timeout: options.timeoutMs ?? busyTimeoutMs() });
    const existing = new Set(db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[]);
    for (const [table, columns] of Object.entries(options.tables)) {
      if (!existing.has(table)) continue;
      const present = new Set((db.prepare(`PRAGMA table_info("${table}")`).all() as { name: string }[]).map((c) => c.name));
      const missing = columns.filter((c) => !present.has(c));
      if (missing.length > 0) {
        throw new StorageError(
          `The ${options.what} ${file} is incompatible: its table "${table}" lacks the columns ${missing.join(", ")} (written by another program or an incompatible version).`,
          `Nothing was changed. Point KEEL_DATA_DIR at another directory, or move the file aside (mv "${file}" "${file}.old"), and run again ${options.freshHint}.`,
        );
      }
    }
    // Take and drop a write lock: a file another process holds locked fails here, before any turn starts.
    db.exec("BEGIN IMMEDIATE");
    db.exec("ROLLBACK");
  } catch (error) {
    if (error instanceof StorageError) throw error;
    throw storageErrorOf(error, file, options.what, options.freshHint) ?? error;
  } finally {
    db?.close();
  }
}
