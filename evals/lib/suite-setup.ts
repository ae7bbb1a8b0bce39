/**
 * Per suite file (vitest setupFiles of evals/vitest.config.ts): a private copy of the seeded database made by
 * the runner (`KEEL_EVAL_TEMPLATE_DIR`), so suites running side by side never share a write lock, and the
 * runner's embedding cache shared, so tool vectors are not embedded again per file; the app's answer caches off.
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
// Each example must show what the agents do, not an answer cached from an earlier example (the semantic cache
// would answer a paraphrase of a previous request without running the agent). `KEEL_EVAL_CACHES=on` keeps them.
if ((process.env.KEEL_EVAL_CACHES ?? "off") !== "on") {
  process.env.KEEL_SEMANTIC_CACHE = "off";
  process.env.KEEL_CACHE = "off";
}
