/**
 * The eval suites (evals/suites/*.eval.ts), run by `npm run eval` (evals/run.ts), not by `npm test`: each file
 * gets its own copy of the seeded database (evals/lib/suite-setup.ts) and writes per-example results for the
 * runner. Test tracking goes to LangSmith only when the runner found a reachable LangSmith with a key.
 */
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["evals/suites/**/*.eval.ts"],
    setupFiles: ["evals/lib/suite-setup.ts"],
    testTimeout: 300_000,
    hookTimeout: 300_000,
    pool: "forks",
    // The machine has 2 cores; two suites at a time keep it busy without starving the app runs.
    maxWorkers: 2,
    env: { LANGGRAPH_CLI_NO_ANALYTICS: "1" },
  },
});
