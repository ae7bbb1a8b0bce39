/**
 * Per suite file (vitest setupFiles of evals/vitest.config.ts): a private copy of the seeded database made by
 * the runner (`KEEL_EVAL_TEMPLATE_DIR`), so suites running side by side never share a write lock, and the
 * runner's embedding cache shared, so tool vectors are not embedded again per file.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const template = process.env.KEEL_EVAL_TEMPLATE_DIR;
if (template) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "keel-eval-suite-"));
  fs.copyFileSync(path.join(template, "company.sqlite"), path.join(dir, "company.sqlite"));
  if (fs.existsSync(path.join(template, "embeddings"))) fs.symlinkSync(path.join(template, "embeddings"), path.join(dir, "embeddings"));
  process.env.KEEL_DATA_DIR = dir;
}
// Eval runs use the built-in offline model unless the runner was asked for a real one.
if (process.env.KEEL_EVAL_MODEL !== "configured") {
  delete process.env.OPENAI_API_KEY;
  delete process.env.OPENAI_BASE_URL;
}
