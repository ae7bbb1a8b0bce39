/**
 * Cost accounting and the governor in the whole app, on the offline model priced at $100 per million tokens:
 * usage per node, agent, thread and tenant; the exact cache across turns; a budget that stops the router (the
 * governor's callback) or a task agent (its middleware), or asks a human; bad settings refused at start-up.
 */
import { spawnSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createKeelApp, type KeelApp, type TurnResult } from "../graphs/app.js";
import { spendDb } from "../src/cost/spend-store.js";
import { costGovernor } from "../src/cost/governor.js";
import { formatAgentCosts, formatUsage } from "../src/cost/usage-tracker.js";

const PRICE = 100; // USD per million tokens, input and output
const env = { ...process.env };
let app: KeelApp;
let first: TurnResult;

beforeAll(async () => {
  process.env.KEEL_PRICES = JSON.stringify({ "keel-offline": { input: PRICE, output: PRICE } });
  // Every turn asks the router model and the agents (no embedding fast path, no semantic cache of answers).
  process.env.KEEL_FAST_ROUTING = "off";
  process.env.KEEL_SEMANTIC_CACHE = "off";
  app = await createKeelApp();
});
afterAll(async () => {
  await app.close();
  process.env = { ...env };
});

const spendRows = (threadId: string) => spendDb().prepare("SELECT * FROM model_spend WHERE thread_id = ? ORDER BY id").all(threadId) as Record<string, unknown>[];

describe("token accounting", () => {
  it("reports tokens and USD per node, agent, thread and tenant, and records every call", async () => {
    first = await app.run("why was customer CUS-1042 charged twice?", { tenantId: "acme" });
    expect(first.status).toBe("answered");
    const { usage } = first;
    expect(usage.costUsd).toBeCloseTo(((usage.inputTokens + usage.outputTokens) * PRICE) / 1e6, 10);
    expect(usage.byAgent?.meta).toMatchObject({ calls: 1 });
    expect(usage.byAgent?.finance?.calls).toBeGreaterThanOrEqual(1);
    expect(Object.keys(usage.byNode ?? {})).toEqual(expect.arrayContaining(["meta/route", "finance/model_request"]));
    const agentSum = Object.values(usage.byAgent!).reduce((s, e) => s + e.costUsd!, 0);
    expect(agentSum).toBeCloseTo(usage.costUsd!, 10);
    // The spend records agree with the turn's tracker, by thread and by tenant.
    const rows = spendRows(first.threadId);
    expect(rows).toHaveLength(usage.modelCalls);
    expect(rows.every((r) => r.tenant_id === "acme")).toBe(true);
    expect(usage.thread).toMatchObject({ modelCalls: usage.modelCalls, inputTokens: usage.inputTokens, outputTokens: usage.outputTokens });
    expect(usage.thread!.costUsd).toBeCloseTo(usage.costUsd!, 10);
    expect(usage.tenant!.costUsd).toBeGreaterThanOrEqual(usage.thread!.costUsd - 1e-12);
    // Each step of the agent carries its cost in the model message's metadata.
    expect(formatUsage(usage)).toMatch(/\$\d+\.\d{4}; cache 0 hits \/ \d+ misses; thread total \$\d+\.\d{4}; tenant total/);
    expect(formatAgentCosts(usage)).toMatch(/^meta 1 call \$0\.\d{4}, finance \d calls? \$0\.\d{4}/);
  }, 120_000);

  it("serves the same request's first calls from the exact cache in a new thread, at no cost", async () => {
    const again = await app.run("why was customer CUS-1042 charged twice?", { tenantId: "acme" });
    expect(again.answer).toBe(first.answer);
    expect(again.usage.cache!.hits).toBeGreaterThanOrEqual(2); // the router and the agent's first step
    expect(again.usage.costUsd!).toBeLessThan(first.usage.costUsd!);
    expect(spendRows(again.threadId).filter((r) => r.cached === 1 && r.cost_usd === 0).length).toBe(again.usage.cache!.hits);
  });
});

describe("budgets in the app", () => {
  /** A thread budget just above the router's estimate: the router runs, the finance agent's first call does not fit. */
  function budgetAfterRouter(extra: object = {}) {
    const routerInput = first.usage.byNode!["meta/route"]!.inputTokens;
    const routerEstimate = ((routerInput + 512) * PRICE) / 1e6;
    process.env.KEEL_BUDGETS = JSON.stringify({ default: { thread: routerEstimate * 1.05 }, ...extra });
    return routerEstimate * 1.05;
  }

  it("stops the router's call (governor callback) with the budget named, when even it does not fit", async () => {
    process.env.KEEL_BUDGETS = JSON.stringify({ default: { request: 0.00001 } });
    const turn = await app.run("Show invoice INV-21042", { tenantId: "acme" });
    expect(turn.status).toBe("stopped");
    expect(turn.answer).toMatch(/^Stopped: the next model call \(keel-offline, estimated \$\d+\.\d{4}\) would exceed the request budget of \$0\.0000/);
    expect(spendRows(turn.threadId)).toHaveLength(0);
  });

  it("stops a task agent (middleware) when its call does not fit after the ladder, and never overruns", async () => {
    const budget = budgetAfterRouter();
    const turn = await app.run("Show invoice INV-21042 and its payments");
    expect(turn.status).toBe("stopped");
    expect(turn.answer).toMatch(/thread budget of \$\d+\.\d{4} for thread /);
    expect(turn.usage.thread!.costUsd).toBeLessThanOrEqual(budget);
    expect(spendRows(turn.threadId).map((r) => r.agent)).toEqual(["meta"]);
    // The next turn on the thread is stopped before the router spends anything more.
    const next = await app.run("and invoice INV-21043?", { threadId: turn.threadId });
    expect(next.status).toBe("stopped");
    expect(spendRows(turn.threadId)).toHaveLength(1);
    expect(costGovernor().stats.overruns).toBe(0);
  });

  it("asks a human (kind budget) and goes on when approved", async () => {
    budgetAfterRouter({ onExceeded: "approve" });
    let turn = await app.run("Show invoice INV-21042 and its payments");
    expect(turn.status).toBe("needs_approval");
    expect(turn.approvals[0]).toMatchObject({ kind: "budget", tool: "budget:thread", args: { scope: "thread", agent: "finance", model: "keel-offline" } });
    await expect(app.resume(turn.threadId, { decision: "edit", args: {} })).rejects.toThrow(/cannot be edited/);
    let approvals = 0;
    while (turn.status === "needs_approval" && approvals < 10) {
      approvals += 1;
      turn = await app.resume(turn.threadId, { decision: turn.approvals[0]!.kind === "budget" ? "approve" : "reject" });
    }
    expect(turn.status).toBe("answered");
    expect(turn.answer).toContain("INV-21042");
    const rows = spendRows(turn.threadId);
    expect(rows.filter((r) => r.approved === 1).length).toBeGreaterThanOrEqual(1);
    // A resume continues the same request.
    expect(new Set(rows.map((r) => r.request_id)).size).toBe(1);
    expect(costGovernor().stats.overruns).toBe(0);
  });
});

describe("start-up", () => {
  it.each([
    ['{"default":{"request":-1}}', "KEEL_BUDGETS", /KEEL_BUDGETS is malformed: KEEL_BUDGETS\.default\.request: must not be negative/],
    ['{"keel-offline":{"input":1}}', "KEEL_PRICES", /KEEL_PRICES is malformed: KEEL_PRICES\.keel-offline\.output/],
  ])("the CLI refuses %s in %s with exit code 2, naming the field", (value, name, message) => {
    const result = spawnSync(process.execPath, ["--import", "tsx", "cli/main.ts", "hello"], { encoding: "utf8", env: { ...env, [name]: value }, timeout: 60_000 });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(message);
  });
});
