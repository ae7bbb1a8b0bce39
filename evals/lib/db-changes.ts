/**
 * What a run changed in the company database, row by row, and a sandbox that undoes it afterwards.
 *
 * Changes are recorded by TEMP triggers (AFTER INSERT / UPDATE / DELETE on every table, each writing the old
 * and new row as JSON into a TEMP table). They live only on this connection and never touch the database file's
 * schema. The same log undoes the run afterwards (`revertChanges`). Hand-written because the alternatives cost far more: better-sqlite3 does not expose SQLite's session
 * extension, and fingerprinting every table before and after a run reads ~100k rows per example.
 *
 * @example
 * const { changes } = await inSandbox(companyDb().sql, () => app.run("Cancel order ORD-10500"));
 * // changes: [{ table: "orders", op: "update", key: "ORD-10500", before: {...}, after: {...} }, ...]
 */
import type Database from "better-sqlite3";

export interface RowChange {
  table: string;
  op: "insert" | "update" | "delete";
  /** The row's `id` column when it has one, else its rowid as text. */
  key: string;
  before?: Record<string, unknown>;
  after?: Record<string, unknown>;
}

const LOG_TABLE = "keel_eval_changes";

function tablesOf(sql: Database.Database): string[] {
  return (sql.prepare("SELECT name FROM main.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").pluck().all() as string[]).sort();
}

function columnsOf(sql: Database.Database, table: string): string[] {
  return (sql.prepare(`PRAGMA main.table_info("${table}")`).all() as { name: string }[]).map((c) => c.name);
}

/** Installs the triggers (idempotent) on this connection. */
export function installChangeLog(sql: Database.Database): void {
  sql.exec(`CREATE TEMP TABLE IF NOT EXISTS ${LOG_TABLE} (seq INTEGER PRIMARY KEY, tbl TEXT NOT NULL, op TEXT NOT NULL, old_row TEXT, new_row TEXT)`);
  for (const table of tablesOf(sql)) {
    const cols = columnsOf(sql, table);
    const json = (alias: "OLD" | "NEW") => `json_object(${cols.map((c) => `'${c}', ${alias}."${c}"`).join(", ")}, '_rowid', ${alias}.rowid)`;
    sql.exec(`
      CREATE TEMP TRIGGER IF NOT EXISTS keel_eval_${table}_ins AFTER INSERT ON main."${table}" BEGIN
        INSERT INTO ${LOG_TABLE} (tbl, op, new_row) VALUES ('${table}', 'insert', ${json("NEW")}); END;
      CREATE TEMP TRIGGER IF NOT EXISTS keel_eval_${table}_upd AFTER UPDATE ON main."${table}" BEGIN
        INSERT INTO ${LOG_TABLE} (tbl, op, old_row, new_row) VALUES ('${table}', 'update', ${json("OLD")}, ${json("NEW")}); END;
      CREATE TEMP TRIGGER IF NOT EXISTS keel_eval_${table}_del AFTER DELETE ON main."${table}" BEGIN
        INSERT INTO ${LOG_TABLE} (tbl, op, old_row) VALUES ('${table}', 'delete', ${json("OLD")}); END;`);
  }
}

/** The net change of each touched row since the log was last cleared (an update then another is one update). */
export function readChanges(sql: Database.Database): RowChange[] {
  const entries = sql.prepare(`SELECT tbl, op, old_row, new_row FROM ${LOG_TABLE} ORDER BY seq`).all() as { tbl: string; op: RowChange["op"]; old_row: string | null; new_row: string | null }[];
  const net = new Map<string, RowChange>();
  for (const e of entries) {
    const before = e.old_row ? (JSON.parse(e.old_row) as Record<string, unknown>) : undefined;
    const after = e.new_row ? (JSON.parse(e.new_row) as Record<string, unknown>) : undefined;
    const row = (after ?? before)!;
    const rowid = String(row._rowid);
    const slot = `${e.tbl}#${rowid}`;
    const prior = net.get(slot);
    if (!prior) net.set(slot, { table: e.tbl, op: e.op, key: "", before, after });
    else if (e.op === "delete") prior.op === "insert" ? net.delete(slot) : net.set(slot, { ...prior, op: "delete", after: undefined });
    else net.set(slot, { ...prior, after });
  }
  const changes: RowChange[] = [];
  for (const change of net.values()) {
    const strip = (r?: Record<string, unknown>) => (r ? Object.fromEntries(Object.entries(r).filter(([k]) => k !== "_rowid")) : undefined);
    const before = strip(change.before);
    const after = strip(change.after);
    if (change.op === "update" && JSON.stringify(before) === JSON.stringify(after)) continue;
    const row = (after ?? before)!;
    changes.push({ ...change, key: String(row.id ?? (change.after ?? change.before)!._rowid), before, after });
  }
  return changes;
}

export function clearChanges(sql: Database.Database): void {
  sql.exec(`DELETE FROM ${LOG_TABLE}`);
}

/**
 * Undoes every logged change, newest first (children before parents, so foreign keys hold), then clears the log.
 * Not a ROLLBACK of an enclosing transaction on purpose: the app creates some tables lazily (e.g. record
 * versions of the cache), and a rollback would take that DDL back while the app believes the table exists.
 */
export function revertChanges(sql: Database.Database): void {
  const entries = sql.prepare(`SELECT tbl, op, old_row, new_row FROM ${LOG_TABLE} ORDER BY seq DESC`).all() as { tbl: string; op: RowChange["op"]; old_row: string | null; new_row: string | null }[];
  sql.transaction(() => {
    for (const e of entries) {
      const before = e.old_row ? (JSON.parse(e.old_row) as Record<string, unknown>) : undefined;
      const after = e.new_row ? (JSON.parse(e.new_row) as Record<string, unknown>) : undefined;
      const cols = (row: Record<string, unknown>) => Object.keys(row).filter((k) => k !== "_rowid");
      const bind = (row: Record<string, unknown>) => cols(row).map((k) => row[k] ?? null);
      if (e.op === "insert") sql.prepare(`DELETE FROM main."${e.tbl}" WHERE rowid = ?`).run(after!._rowid);
      else if (e.op === "update") {
        sql.prepare(`UPDATE main."${e.tbl}" SET ${cols(before!).map((c) => `"${c}" = ?`).join(", ")} WHERE rowid = ?`).run(...bind(before!), after!._rowid);
      } else {
        sql.prepare(`INSERT INTO main."${e.tbl}" (rowid, ${cols(before!).map((c) => `"${c}"`).join(", ")}) VALUES (?, ${cols(before!).map(() => "?").join(", ")})`).run(before!._rowid, ...bind(before!));
      }
    }
  })();
  // The reverting writes were logged too; they are not part of any run.
  clearChanges(sql);
}

/**
 * Runs `fn`, returns what it changed, and then undoes those changes, so the next example sees the seeded data.
 * Only one sandbox may be open at a time on a connection (runs are sequential within a suite).
 */
export async function inSandbox<T>(sql: Database.Database, fn: () => Promise<T>): Promise<{ value: T; changes: RowChange[] }> {
  installChangeLog(sql); // again each time: tables created since the last example get their triggers
  clearChanges(sql);
  try {
    const value = await fn();
    return { value, changes: readChanges(sql) };
  } finally {
    revertChanges(sql);
  }
}
