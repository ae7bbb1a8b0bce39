/**
 * Tools under injected faults, on the real issue_credit tool and company database: retries act once, a lost reply
 * returns the ledger's recorded result on retry, hangs time out, and a write without an idempotency key is not
 * repeated.
 */
import { afterEach, describe, expect, it } from "vitest";
import { supportTools } from "../../tools/support/index.js";
import { companyDb } from "../db/index.js";
import { unspotlight } from "../guardrails/spotlight.js";
import { resetFaultInjection, seededRandom } from "./faults.js";
import { resetBreakers } from "./breaker.js";
import { reliabilityStats, resetReliabilityStats } from "./stats.js";

const issueCredit = supportTools.find((t) => t.name === "issue_credit")!;
const FAST = { KEEL_RETRY_ATTEMPTS: "4", KEEL_RETRY_BASE_MS: "1", KEEL_RETRY_MAX_MS: "4", KEEL_TOOL_TIMEOUT_MS: "40", KEEL_BREAKER_FAILURES: "1000" };
let reason = 0;

function withEnv<T>(env: Record<string, string>, run: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  return run().finally(() => {
    for (const [k, v] of Object.entries(saved)) v === undefined ? delete process.env[k] : (process.env[k] = v);
  });
}

/** One credit call with a unique reason (so its rows can be counted), in a thread or outside any graph. */
async function credit(callId: string, thread: string | undefined, faults: string, why = `fault test ${++reason}`) {
  const message = await withEnv({ ...FAST, KEEL_FAULTS: faults }, () =>
    issueCredit.invoke({ type: "tool_call", id: callId, name: "issue_credit", args: { customer_id: "CUS-1042", amount_usd: 5, reason: why } }, { configurable: thread ? { thread_id: thread } : {} }),
  );
  const rows = (table: string) => companyDb().sql.prepare(`SELECT COUNT(*) FROM ${table} WHERE ${table === "credits" ? "reason" : "args"} LIKE ?`).pluck().get(`%${why}%`) as number;
  return { result: JSON.parse(unspotlight(String(message.content))), credits: rows("credits"), audits: rows("audit_log"), ledger: rows("tool_ledger"), why };
}

afterEach(() => {
  resetFaultInjection();
  resetBreakers();
  resetReliabilityStats();
});

describe("tool calls under injected faults", () => {
  it.each([
    { faults: "tool_error=1", credits: 0, ledger: 0, retries: 3, timeouts: 0 },
    { faults: "tool_timeout=1", credits: 0, ledger: 0, retries: 3, timeouts: 4 },
    // Every attempt acts, then loses its answer: the first commits, the retries find the ledger entry.
    { faults: "tool_lost_reply=1", credits: 1, ledger: 1, retries: 3, timeouts: 0 },
  ])("$faults on every attempt: $credits credit(s), answer 'unavailable' after $retries retries", async ({ faults, credits, ledger, retries, timeouts }) => {
    const outcome = await credit(`call-${faults}`, "thread-faults", faults);
    expect(outcome.result).toMatchObject({ ok: false, error: { code: "unavailable" } });
    expect(outcome.credits).toBe(credits);
    expect(outcome.audits).toBe(credits);
    expect(outcome.ledger).toBe(ledger);
    expect(reliabilityStats()).toMatchObject({ toolRetries: retries, timeouts });
  });

  it("a lost reply, retried, returns the recorded result: one credit, and the same answer on a later resume", async () => {
    // A seed whose sequence draws a lost reply (< 0.5), then none.
    const seed = Array.from({ length: 100 }, (_, i) => i).find((s) => {
      const random = seededRandom(s);
      return random() < 0.5 && random() >= 0.5;
    })!;
    const outcome = await credit("call-lost-once", "thread-lost", `tool_lost_reply=0.5,seed=${seed}`);
    expect(reliabilityStats().toolRetries).toBe(1);
    expect(outcome.result).toMatchObject({ ok: true, data: { customer_id: "CUS-1042", amount_cents: 500 } });
    expect([outcome.credits, outcome.audits, outcome.ledger]).toEqual([1, 1, 1]);
    // Resumed later (same thread and tool call id, no faults): the recorded answer, no second credit.
    const resumed = await credit("call-lost-once", "thread-lost", "", outcome.why);
    expect(resumed.result).toEqual(outcome.result);
    expect([resumed.credits, resumed.audits, resumed.ledger]).toEqual([1, 1, 1]);
  });

  it("a write tool called outside a graph (no idempotency key) is not retried", async () => {
    const outcome = await credit("call-direct", undefined, "tool_error=1");
    expect(outcome.result).toMatchObject({ ok: false, error: { code: "unavailable" } });
    expect(reliabilityStats().toolRetries).toBe(0);
  });

  it("30% mixed faults over 20 calls: every call succeeds, each credit exactly once", async () => {
    const outcomes = [];
    for (let i = 0; i < 20; i++) outcomes.push(await credit(`call-mixed-${i}`, "thread-mixed", "tool_error=0.1,tool_lost_reply=0.1,tool_timeout=0.1,seed=11"));
    expect(outcomes.map((o) => o.result.ok)).toEqual(Array(20).fill(true));
    expect(outcomes.map((o) => [o.credits, o.audits, o.ledger])).toEqual(Array(20).fill([1, 1, 1]));
    expect(reliabilityStats().toolRetries).toBeGreaterThan(0);
  });
});
