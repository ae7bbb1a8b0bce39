/**
 * The company database: an embedded SQLite file, created and seeded on first use.
 *
 * Creation is atomic: the schema and seed go into a temporary file that is renamed into place only when
 * complete, so a crash during first run never leaves a half-seeded database behind.
 */
import Database from "better-sqlite3";
import fs from "node:fs";
import path from "node:path";
import { makeDirs } from "./fs.js";
import { SCHEMA_SQL, SCHEMA_VERSION } from "./schema.js";
import { seedCompanyDatabase, REFERENCE_NOW, type SeedOptions } from "./seed.js";
import { ConfigurationError, StorageError } from "../errors.js";
import { busyTimeoutMs, preflightSqlite, storageErrorOf } from "../persistence/sqlite-preflight.js";

const COMPANY_FRESH = "to create a fresh seeded company database (the moved file keeps your data)";

export interface CompanyDb {
  /** The better-sqlite3 handle. Writes go through `sql.transaction(...)`. */
  sql: Database.Database;
  /** The dataset's "now": SLA ages and "last week" are measured from it, so answers are reproducible. */
  referenceNow: Date;
  path: string;
}

/** Directory for the company database, checkpoints and generated files. @example "/var/lib/keel" */
export function dataDir(): string {
  return path.resolve(process.env.KEEL_DATA_DIR ?? path.join(process.cwd(), ".data"));
}

const open = new Map<string, CompanyDb>();

/** The company database at `dataDir()/company.sqlite`, opened once per process (created and seeded if absent). */
export function companyDb(): CompanyDb {
  const file = path.join(dataDir(), "company.sqlite");
  let db = open.get(file);
  if (!db) {
    db = openCompanyDb(file);
    open.set(file, db);
  }
  return db;
}

/** Opens (creating and seeding when missing) the company database at `file`. */
export function openCompanyDb(file: string, options: SeedOptions = {}): CompanyDb {
  ensureWritableDir(path.dirname(file));
  if (!fs.existsSync(file)) createSeeded(file, options);
  // Corrupted or locked by another process: a StorageError naming the file and what to do, nothing changed.
  preflightSqlite(file, { what: "company database", tables: {}, freshHint: COMPANY_FRESH });
  let sql: Database.Database | undefined;
  let version: string | undefined;
  try {
    sql = new Database(file, { timeout: busyTimeoutMs() });
    sql.pragma("journal_mode = WAL");
    sql.pragma("foreign_keys = ON");
    version = sql.prepare("SELECT value FROM meta WHERE key = 'schema_version'").pluck().get() as string | undefined;
  } catch (error) {
    sql?.close();
    if (/no such table: meta/.test((error as Error).message)) {
      throw new StorageError(`The company database ${file} is incompatible: it has no Keel "meta" table (another program's SQLite file?).`, `Nothing was changed. Move it aside (mv "${file}" "${file}.old") and run again ${COMPANY_FRESH}.`);
    }
    throw storageErrorOf(error, file, "company database", COMPANY_FRESH) ?? error;
  }
  if (Number(version) !== SCHEMA_VERSION) {
    sql.close();
    throw new ConfigurationError(
      `The company database ${file} has schema version ${version ?? "none"}, expected ${SCHEMA_VERSION}.`,
      `Move it aside (or delete it) and run again to create a fresh one.`,
    );
  }
  // Additive changes to the schema (new tables, new indexes) apply to databases created before them.
  sql.exec(SCHEMA_SQL);
  const now = sql.prepare("SELECT value FROM meta WHERE key = 'reference_now'").pluck().get() as string | undefined;
  return { sql, referenceNow: new Date(now ?? REFERENCE_NOW), path: file };
}

/** Closes every database this process opened (tests and the CLI call it before exit). */
export function closeCompanyDbs(): void {
  for (const db of open.values()) db.sql.close();
  open.clear();
}

function createSeeded(file: string, options: SeedOptions): void {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.rmSync(tmp, { force: true });
  const sql = new Database(tmp);
  try {
    sql.pragma("foreign_keys = ON");
    sql.exec(SCHEMA_SQL);
    sql.transaction(() => {
      seedCompanyDatabase(sql, options);
      const meta = sql.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)");
      meta.run("schema_version", String(SCHEMA_VERSION));
      meta.run("reference_now", REFERENCE_NOW);
    })();
    sql.close();
    // Another process may have won the race to create it; theirs is identical (the seed is deterministic).
    if (fs.existsSync(file)) fs.rmSync(tmp, { force: true });
    else fs.renameSync(tmp, file);
  } catch (error) {
    if (sql.open) sql.close();
    fs.rmSync(tmp, { force: true });
    throw error;
  }
}

function ensureWritableDir(dir: string): void {
  try {
    makeDirs(dir);
    fs.accessSync(dir, fs.constants.W_OK);
  } catch (error) {
    throw new ConfigurationError(
      `The data directory ${dir} cannot be written (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`,
      `Set KEEL_DATA_DIR to a writable directory, or fix the permissions of ${dir}.`,
    );
  }
}
