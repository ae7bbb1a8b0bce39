/** Where the suites' datasets are; `KEEL_EVAL_DATASETS_DIR` points them elsewhere (tests use small copies). */
import path from "node:path";
import { fileURLToPath } from "node:url";

export const DEFAULT_DATASETS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "datasets");

/** @example KEEL_EVAL_DATASETS_DIR=/tmp/my-datasets npm run eval */
export function datasetFile(name: string, env: NodeJS.ProcessEnv = process.env): string {
  return path.join(env.KEEL_EVAL_DATASETS_DIR ? path.resolve(env.KEEL_EVAL_DATASETS_DIR) : DEFAULT_DATASETS_DIR, name);
}
