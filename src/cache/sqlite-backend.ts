/**
 * The default cache store: a SQLite file of its own (`<KEEL_DATA_DIR>/model-cache.sqlite`), apart from the
 * company database because it is disposable. Opened on first use, reopened after `close()`.
 */
import Database from "better-sqlite3";
import path from "node:path";
import { dataDir } from "../db/index.js";
import { makeDirs } from "../db/fs.js";
import type { CacheBackend } from "./backend.js";

export class SqliteCacheBackend implements CacheBackend {
  readonly name = "sqlite" as const;
  private db: Database.Database | undefined;

  constructor(readonly file: string = path.join(dataDir(), "model-cache.sqlite")) {}

  private open(): Database.Database {
    if (this.db) return this.db;
    makeDirs(path.dirname(this.file));
    const db = new Database(this.file);
    db.pragma("journal_mode = WAL");
    db.pragma("busy_timeout = 5000");
    db.exec(`CREATE TABLE IF NOT EXISTS model_cache (
      key        TEXT PRIMARY KEY,
      value      TEXT NOT NULL,
      expires_at INTEGER,           -- ms since epoch; NULL: never
      created_at INTEGER NOT NULL
    )`);
    this.db = db;
    return db;
  }

  async get(key: string): Promise<string | undefined> {
    const row = this.open().prepare("SELECT value, expires_at AS expiresAt FROM model_cache WHERE key = ?").get(key) as { value: string; expiresAt: number | null } | undefined;
    if (!row) return undefined;
    if (row.expiresAt !== null && row.expiresAt <= Date.now()) {
      this.open().prepare("DELETE FROM model_cache WHERE key = ?").run(key);
      return undefined;
    }
    return row.value;
  }

  async set(key: string, value: string, ttlSeconds: number): Promise<void> {
    const now = Date.now();
    this.open()
      .prepare("INSERT OR REPLACE INTO model_cache (key, value, expires_at, created_at) VALUES (?, ?, ?, ?)")
      .run(key, value, ttlSeconds > 0 ? now + ttlSeconds * 1000 : null, now);
  }

  async close(): Promise<void> {
    this.db?.close();
    this.db = undefined;
  }
}
