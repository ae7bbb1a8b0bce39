/**
 * Crash recovery: worker processes running the real app (offline model, company database, write tools) are
 * killed with SIGKILL at seeded points (before and after checkpoint writes, and right after a write tool
 * committed but before its answer was saved), then a new process recovers every thread from its checkpoint.
 * At the end every request is answered and every side effect happened exactly once: one credit row, one audit
 * row and one ledger entry per request. On SQLite checkpoints, and on PostgreSQL when KEEL_TEST_DATABASE_URL is set.
 */
import { execFile } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { randomUUID } from "node:crypto";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { seededRandom } from "../src/reliability/faults.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const fixture = path.join(root, "tests", "fixtures", "crash-run.ts");
/** Kills per checkpoint backend: 10 on SQLite and 10 on PostgreSQL (each kill costs a process start, ~5-10 s). */
const KILLS = 10;
const SLOW = 1_200_000;
const postgresUrl = process.env.KEEL_TEST_DATABASE_URL;

interface Outcome {
  killed: boolean;
  json?: { events: number; threads: { threadId: string; status: string; answer?: string; approvals?: string[] }[]; error?: string; message?: string };
  stderr: string;
}

function worker(plan: [string, string][], env: Record<string, string>): Promise<Outcome> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ["--import", "tsx", fixture, JSON.stringify(plan)],
      { cwd: root, env: { ...process.env, ...env }, timeout: 300_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const killed = (error as { signal?: string } | null)?.signal === "SIGKILL";
        const line = stdout.trim().split("\n").pop() ?? "";
        let json: Outcome["json"];
        try {
          json = line ? JSON.parse(line) : undefined;
        } catch {
          json = undefined;
        }
        resolve({ killed, json, stderr });
      },
    );
  });
}

function companyDb<T>(read: (db: Database.Database) => T): T {
  const db = new Database(path.join(process.env.KEEL_DATA_DIR!, "company.sqlite"), { readonly: true, fileMustExist: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

/** What each request did to the company database, from the rows themselves. */
function sideEffects(customer: string, cents: number) {
  return companyDb((db) => ({
    credits: db.prepare("SELECT COUNT(*) FROM credits WHERE customer_id = ? AND amount_cents = ?").pluck().get(customer, cents) as number,
    audits: db.prepare("SELECT COUNT(*) FROM audit_log WHERE tool = 'issue_credit' AND args LIKE ? AND args LIKE ?").pluck().get(`%${customer}%`, `%"amount_usd":${cents / 100}%`) as number,
    ledger: db.prepare("SELECT COUNT(*) FROM tool_ledger WHERE tool = 'issue_credit' AND args LIKE ? AND args LIKE ?").pluck().get(`%${customer}%`, `%"amount_usd":${cents / 100}%`) as number,
    balance: db.prepare("SELECT credit_balance_cents FROM customers WHERE id = ?").pluck().get(customer) as number,
  }));
}

/** Active customers (a churned one cannot get credits) with no credits yet, so each request's rows count exactly. */
function freshCustomers(count: number, skip: number): string[] {
  return companyDb((db) =>
    db.prepare("SELECT id FROM customers WHERE status = 'active' AND id NOT IN (SELECT customer_id FROM credits) ORDER BY id LIMIT ? OFFSET ?").pluck().all(count, skip) as string[],
  );
}

interface Workload {
  plan: [string, string][];
  requests: { customer: string; cents: number }[];
  before: ReturnType<typeof sideEffects>[];
}

/** Two credit requests for customers no other workload uses, with their rows counted beforehand. */
function newWorkload(label: string, round: number, customerOffset: number): Workload {
  // Customers of earlier workloads have credits now, so the first fresh ones are new ones.
  const customers = freshCustomers(2, customerOffset);
  const requests = customers.map((customer, i) => ({ customer, cents: (11 + i * 7 + round) * 100 }));
  const run = randomUUID().slice(0, 8);
  return {
    plan: requests.map((r, i) => [`crash-${label}-${run}-${i}`, `Give customer ${r.customer} a $${r.cents / 100} service credit`]),
    requests,
    before: requests.map((r) => sideEffects(r.customer, r.cents)),
  };
}

/**
 * Kills workers at seeded points until `KILLS` kills happened; a workload that a worker finishes is checked and
 * the next one starts. Every third kill lands right after a tool's commit, the others around checkpoint writes.
 */
async function crashAndRecover(label: string, seed: number, env: Record<string, string>, customerOffset: number) {
  const random = seededRandom(seed);
  const log: string[] = [];
  const finished: { workload: Workload; threads: NonNullable<Outcome["json"]>["threads"]; stderr: string }[] = [];
  let kills = 0;
  let workload = newWorkload(label, 0, customerOffset);
  while (kills < KILLS) {
    const point = kills % 3 === 2 ? "tool:1" : String(2 + Math.floor(random() * 14));
    const outcome = await worker(workload.plan, { ...env, KEEL_CRASH_AT: point });
    expect(outcome.json?.error, `${log.join(" ")} ${point}: ${outcome.json?.message}\n${outcome.stderr}`).toBeUndefined();
    log.push(`${point}:${outcome.killed ? "killed" : "finished"}`);
    if (outcome.killed) {
      kills += 1;
      continue;
    }
    finished.push({ workload, threads: outcome.json!.threads, stderr: outcome.stderr });
    workload = newWorkload(label, finished.length, customerOffset);
  }
  // The last workload was cut short by the last kill: one more worker, never killed, finishes it.
  const final = await worker(workload.plan, env);
  expect(final.killed).toBe(false);
  expect(final.json?.error, `${final.json?.message}\n${final.stderr}`).toBeUndefined();
  finished.push({ workload, threads: final.json!.threads, stderr: final.stderr });

  expect(kills).toBe(KILLS);
  for (const { workload: w, threads, stderr } of finished) {
    // On failure: what each thread waits for and what its worker warned about (e.g. a tool failing under load).
    expect(threads.map((t) => t.status), `${log.join(" ")} ${JSON.stringify(threads.map((t) => t.approvals))}\n${stderr.slice(-4000)}`).toEqual(w.plan.map(() => "answered"));
    w.requests.forEach((r, i) => {
      expect(threads[i]!.answer).toContain(r.customer);
      const after = sideEffects(r.customer, r.cents);
      // Exactly once: one credit, one audit row, one ledger entry, and the balance moved by the amount once.
      expect({ credits: after.credits - w.before[i]!.credits, audits: after.audits - w.before[i]!.audits, ledger: after.ledger - w.before[i]!.ledger }, log.join(" ")).toEqual({ credits: 1, audits: 1, ledger: 1 });
      expect(after.balance - w.before[i]!.balance).toBe(r.cents);
    });
  }
}

describe("crash recovery (kill -9 at seeded points, then resume from the checkpoint)", () => {
  it.concurrent(`SQLite checkpoints: ${KILLS} kills, every request completes exactly once`, async () => {
    await crashAndRecover("sqlite", 3, { DATABASE_URL: "" }, 0);
  }, SLOW);

  (postgresUrl ? it.concurrent : it.concurrent.skip)(`PostgreSQL checkpoints: ${KILLS} kills, every request completes exactly once${postgresUrl ? "" : " (skipped: KEEL_TEST_DATABASE_URL is not set)"}`, async () => {
    await crashAndRecover("postgres", 5, { DATABASE_URL: postgresUrl! }, 40);
  }, SLOW);
});
