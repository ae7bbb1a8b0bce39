/**
 * Where thread vaults live between turns and across restarts (a pending approval resumed by a new process
 * still needs the real values behind its placeholders): a small SQLite file in the data directory, the only
 * place raw values are kept. It speaks the `get`/`put` subset of LangGraph's `BaseStore`, so a `PostgresStore`
 * can take its place. (The SQLite checkpointer package ships no store, hence this file.)
 */
import Database from "better-sqlite3";
import path from "node:path";
import { dataDir } from "../../db/index.js";
import { loadVault, saveVault, type PiiVault, type VaultStore } from "./vault.js";

class SqliteVaultStore implements VaultStore {
  private readonly db: Database.Database;

  constructor(file: string) {
    this.db = new Database(file);
    this.db.pragma("journal_mode = WAL");
    this.db.exec("CREATE TABLE IF NOT EXISTS items (namespace TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (namespace, key))");
  }

  async get(namespace: string[], key: string) {
    const row = this.db.prepare("SELECT value FROM items WHERE namespace = ? AND key = ?").pluck().get(namespace.join("/"), key) as string | undefined;
    return row ? { value: JSON.parse(row) as Record<string, unknown> } : null;
  }

  async put(namespace: string[], key: string, value: Record<string, unknown>) {
    this.db.prepare("INSERT OR REPLACE INTO items (namespace, key, value) VALUES (?, ?, ?)").run(namespace.join("/"), key, JSON.stringify(value));
  }
}

const stores = new Map<string, SqliteVaultStore>();

function vaultStore(): SqliteVaultStore {
  const file = path.join(dataDir(), "pii-vault.sqlite");
  let store = stores.get(file);
  if (!store) stores.set(file, (store = new SqliteVaultStore(file)));
  return store;
}

/** The vault of a thread (created empty on first use). */
export function threadVault(threadId: string): Promise<PiiVault> {
  return loadVault(vaultStore(), threadId);
}

export function persistVault(vault: PiiVault): Promise<void> {
  return saveVault(vaultStore(), vault);
}
