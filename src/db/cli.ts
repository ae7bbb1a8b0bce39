/**
 * `npm run seed [-- --reset]`: creates (and seeds) the company database at `dataDir()/company.sqlite` if it is
 * missing, then prints the row count of every table. `--reset` deletes the existing file first.
 */
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { KeelError } from "../errors.js";
import { dataDir, openCompanyDb } from "./index.js";

const USAGE = "Usage: npm run seed [-- --reset]\n  --reset  delete the company database first and seed a fresh one\n  --help   show this help";

function main(argv: string[]): number {
  let reset: boolean;
  try {
    const { values } = parseArgs({ args: argv, options: { reset: { type: "boolean" }, help: { type: "boolean", short: "h" } }, strict: true });
    if (values.help) {
      console.log(USAGE);
      return 0;
    }
    reset = values.reset ?? false;
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }

  const file = path.join(dataDir(), "company.sqlite");
  if (reset) {
    // WAL side files belong to the old database; a fresh one must not replay them.
    for (const f of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true });
  }
  const existed = fs.existsSync(file);
  const started = performance.now();
  try {
    const db = openCompanyDb(file);
    const tables = db.sql
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
      .pluck()
      .all() as string[];
    const action = existed ? `Opened existing ${file}` : `Created and seeded ${file} in ${Math.round(performance.now() - started)} ms`;
    console.log(`${action} (reference now ${db.referenceNow.toISOString()})`);
    const width = Math.max(...tables.map((t) => t.length));
    for (const t of tables) {
      const count = db.sql.prepare(`SELECT COUNT(*) FROM "${t}"`).pluck().get() as number;
      console.log(`  ${t.padEnd(width)}  ${String(count).padStart(7)}`);
    }
    db.sql.close();
    return 0;
  } catch (error) {
    if (error instanceof KeelError) {
      console.error(error.message);
      return 1;
    }
    throw error;
  }
}

process.exitCode = main(process.argv.slice(2));
