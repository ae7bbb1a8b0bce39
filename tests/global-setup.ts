/**
 * Seeds one template company database per test run; each test file copies it (tests/setup.ts) instead of
 * seeding its own, which keeps the suite fast while every file still gets a private, writable database.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export default async function setup({ provide }: { provide: (key: string, value: string) => void }) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "keel-template-"));
  const { openCompanyDb } = await import("../src/db/index.js");
  const db = openCompanyDb(path.join(dir, "company.sqlite"));
  db.sql.pragma("wal_checkpoint(TRUNCATE)");
  db.sql.close();
  provide("templateDataDir", dir);
  return () => fs.rmSync(dir, { recursive: true, force: true });
}

declare module "vitest" {
  export interface ProvidedContext {
    templateDataDir: string;
  }
}
