/**
 * Prepares one template data directory per test run: the seeded company database, and the on-disk embedding
 * cache filled with the vectors every app run needs (the tool index, the injection detector's exemplars, the
 * fast router's examples). Each test file copies it (tests/setup.ts) instead of seeding and embedding on its own,
 * which keeps the suite fast while every file still gets a private, writable directory. Tests of the cache itself
 * use directories of their own.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export default async function setup({ provide }: { provide: (key: string, value: string) => void }) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "keel-template-"));
  const saved = process.env.KEEL_DATA_DIR;
  process.env.KEEL_DATA_DIR = dir;
  try {
    const { openCompanyDb } = await import("../src/db/index.js");
    const db = openCompanyDb(path.join(dir, "company.sqlite"));
    db.sql.pragma("wal_checkpoint(TRUNCATE)");
    db.sql.close();
    const [{ appToolIndex }, { injectionDetector }, { appEmbeddingRouter }] = await Promise.all([
      import("../graphs/agents/tool-index.js"),
      import("../src/guardrails/untrusted-content.js"),
      import("../src/routing/route-request.js"),
    ]);
    await appToolIndex();
    await injectionDetector();
    await appEmbeddingRouter();
  } finally {
    if (saved === undefined) delete process.env.KEEL_DATA_DIR;
    else process.env.KEEL_DATA_DIR = saved;
  }
  provide("templateDataDir", dir);
  return () => fs.rmSync(dir, { recursive: true, force: true });
}

declare module "vitest" {
  export interface ProvidedContext {
    templateDataDir: string;
  }
}
