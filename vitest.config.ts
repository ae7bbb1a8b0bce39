import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "graphs/**/*.test.ts", "tools/**/*.test.ts", "evals/**/*.test.ts", "tests/**/*.test.ts", "bench/**/*.test.ts"],
    // Each file gets its own temporary data directory (see tests/setup.ts); the seeded template is made once.
    globalSetup: ["tests/global-setup.ts"],
    setupFiles: ["tests/setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
    env: { LANGSMITH_TRACING: "false", LANGSMITH_TEST_TRACKING: "false", LANGGRAPH_CLI_NO_ANALYTICS: "1" },
  },
});
