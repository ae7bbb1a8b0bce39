/**
 * One fault rate of the `faults` bench: `tasks` credit requests through the real app, then the database is
 * counted. Imported after the bench set the environment (models, data directory).
 */
import { createKeelApp } from "../graphs/app.js";
import { companyDb } from "../src/db/index.js";
import { reliabilityStats, resetReliabilityStats } from "../src/reliability/stats.js";
import { resetBreakers } from "../src/reliability/breaker.js";
import { resetFaultInjection } from "../src/reliability/faults.js";
import type { FaultServer } from "./faults-server.js";

export interface Scenario {
  server: FaultServer;
  rate: number;
  tasks: number;
  seed: number;
  customerOffset: number;
}

export async function runScenario({ server, rate, tasks, seed, customerOffset }: Scenario): Promise<Record<string, number>> {
  server.setRate(rate, seed);
  const toolFaults = rate > 0 ? `tool_error=${rate / 2},tool_lost_reply=${rate / 4},tool_timeout=${rate / 4},seed=${seed * 31 + Math.round(rate * 100)}` : "";
  process.env.KEEL_FAULTS = toolFaults;
  resetFaultInjection();
  resetBreakers();
  resetReliabilityStats();
  const injectedBefore = { ...server.injected };

  const db = companyDb().sql;
  // Active customers: a churned one cannot get a credit, which would count as a failure the faults did not cause.
  const customers = db.prepare("SELECT id FROM customers WHERE status = 'active' ORDER BY id LIMIT ? OFFSET ?").pluck().all(tasks, customerOffset) as string[];
  const amount = (i: number) => 5 + ((i * 7 + seed) % 40); // $5..$44: below the approval threshold
  const rows = (customer: string, usd: number) => ({
    credits: db.prepare("SELECT COUNT(*) FROM credits WHERE customer_id = ? AND amount_cents = ?").pluck().get(customer, usd * 100) as number,
    audits: db.prepare("SELECT COUNT(*) FROM audit_log WHERE tool = 'issue_credit' AND args LIKE ? AND args LIKE ?").pluck().get(`%"${customer}"%`, `%"amount_usd":${usd}%`) as number,
    ledger: db.prepare("SELECT COUNT(*) FROM tool_ledger WHERE tool = 'issue_credit' AND args LIKE ? AND args LIKE ?").pluck().get(`%"${customer}"%`, `%"amount_usd":${usd}%`) as number,
  });

  const app = await createKeelApp();
  let succeeded = 0;
  let duplicated = 0;
  let errors = 0;
  const started = Date.now();
  try {
    for (const [i, customer] of customers.entries()) {
      const usd = amount(i);
      const before = rows(customer, usd);
      let completed = false;
      try {
        const turn = await app.run(`Give customer ${customer} a $${usd} service credit`);
        completed = turn.status === "answered" && turn.reports.some((r) => r.route === "support" && r.outcome === "completed");
      } catch {
        errors += 1;
      }
      const after = rows(customer, usd);
      const delta = { credits: after.credits - before.credits, audits: after.audits - before.audits, ledger: after.ledger - before.ledger };
      duplicated += Math.max(0, delta.credits - 1) + Math.max(0, delta.audits - 1) + Math.max(0, delta.ledger - 1);
      if (completed && delta.credits === 1) succeeded += 1;
    }
  } finally {
    await app.close();
  }
  const stats = reliabilityStats();
  const injected = server.injected;
  return {
    "task success": succeeded / tasks,
    "duplicated side effects": duplicated,
    retries: stats.modelRetries + stats.toolRetries,
    "breaker openings": stats.breakerOpenings,
    "breaker closings": stats.breakerClosings,
    "model retries": stats.modelRetries,
    "tool retries": stats.toolRetries,
    "model fallbacks": stats.modelFallbacks,
    timeouts: stats.timeouts,
    "malformed tool calls": stats.malformedToolCalls,
    "injected model faults": injected.status429 + injected.status500 + injected.timeout + injected.malformed - (injectedBefore.status429 + injectedBefore.status500 + injectedBefore.timeout + injectedBefore.malformed),
    "injected tool faults": stats.injectedToolFaults,
    "turn errors": errors,
    "seconds per task": (Date.now() - started) / 1000 / tasks,
  };
}
