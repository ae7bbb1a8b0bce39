/** Gives each test file its own data directory holding a copy of the template: seeded database, embedding cache. */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { inject } from "vitest";

const template = inject("templateDataDir");
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "keel-test-"));
fs.copyFileSync(path.join(template, "company.sqlite"), path.join(dir, "company.sqlite"));
if (fs.existsSync(path.join(template, "embeddings"))) fs.cpSync(path.join(template, "embeddings"), path.join(dir, "embeddings"), { recursive: true });
process.env.KEEL_DATA_DIR = dir;
// Tests run on the built-in offline model unless a test points the provider elsewhere itself.
delete process.env.OPENAI_API_KEY;
delete process.env.OPENAI_BASE_URL;
