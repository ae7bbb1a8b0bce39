/** The main command, as a user runs it: one request, and an interactive session with an approval asked on the terminal. */
import { describe, it, expect } from "vitest";
import { spawnSync } from "node:child_process";
import Database from "better-sqlite3";
import path from "node:path";

function cli(args: string[], input = "") {
  const result = spawnSync(process.execPath, ["--import", "tsx", "cli/main.ts", ...args], { input, encoding: "utf8", env: process.env, timeout: 120_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const orderStatus = (id: string) => {
  const db = new Database(path.join(process.env.KEEL_DATA_DIR!, "company.sqlite"), { readonly: true });
  try {
    return db.prepare("SELECT status FROM orders WHERE id = ?").pluck().get(id);
  } finally {
    db.close();
  }
};

describe("npm start", () => {
  it("answers one request with progress, evidence, tokens and cost, and says the model is a stand-in", () => {
    const { code, stdout, stderr } = cli(["why was customer CUS-1042 charged twice?"]);
    expect(code).toBe(0);
    expect(stderr).toMatch(/offline stand-in/);
    expect(stderr).toMatch(/routing to finance/);
    expect(stderr).toMatch(/\[finance\] calling find_duplicate_charges/);
    expect(stdout).toContain("PAY-31043");
    expect(stdout).toMatch(/\d+ model calls, \d+ input \+ \d+ output tokens, \$\d+\.\d{4}/);
  });

  it("runs an interactive session where a rejected approval changes nothing", () => {
    const { code, stdout, stderr } = cli([], "where is order ORD-10233?\ncancel order ORD-10500\nr\nnot now\nexit\n");
    expect(code).toBe(0);
    expect(stderr).toMatch(/Interactive session/);
    expect(stderr).toMatch(/approval needed: cancel_order/);
    expect(stdout).toContain("SHP-40233");
    expect(stdout).toMatch(/not taken: A human rejected cancel_order: not now/);
    expect(orderStatus("ORD-10500")).toBe("processing");
  });

  it("exits with code 2 and a clear message on bad configuration", () => {
    const result = spawnSync(process.execPath, ["--import", "tsx", "cli/main.ts", "hello"], { encoding: "utf8", env: { ...process.env, KEEL_AGENT_TIERS: "meta=huge" }, timeout: 60_000 });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/ConfigurationError: KEEL_AGENT_TIERS has a malformed entry "meta=huge"/);
  });

  it("exits with code 2 and the typed error, not a stack, when it surfaces wrapped from inside an agent", () => {
    // The context budget is checked in an agent's middleware, so langchain wraps the error in MiddlewareErrors.
    const result = spawnSync(process.execPath, ["--import", "tsx", "cli/main.ts", "why was customer CUS-1042 charged twice?"], {
      encoding: "utf8",
      env: { ...process.env, KEEL_CONTEXT_BUDGET_TOKENS: "500" },
      timeout: 120_000,
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/ContextBudgetError: .*more than KEEL_CONTEXT_BUDGET_TOKENS \(500\)/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
