/**
 * `npm run bench -- guards [--n 300] [--out report.json]`: the cost of all guards on one tool output, as the
 * agents run them — PII redaction through a vault, injection screening (rules + embeddings when ambiguous),
 * the policy, and spotlighting — on real tool outputs of the app (tickets, orders, customers, channel
 * messages, runbooks) of about 1 KB. Target: p50 <= 30 ms per output on this machine.
 */
import { performance } from "node:perf_hooks";
import { companyDb } from "../src/db/index.js";
import { PiiVault } from "../src/guardrails/pii/vault.js";
import { applyPolicy } from "../src/guardrails/injection/detector.js";
import { injectionDetector } from "../src/guardrails/untrusted-content.js";
import { spotlight } from "../src/guardrails/spotlight.js";
import { BenchInputError, quantile, type BenchReport } from "./report.js";

export const usage = "npm run bench -- guards [--n 300] [--out report.json]";

/** Tool-output-like JSON documents of the app, each cut near 1 KB. */
function sampleOutputs(n: number): { group: string; text: string }[] {
  const sql = companyDb().sql;
  // Rows are packed into documents of about 1 KB, the size of a typical tool output.
  const take = (group: string, query: string) => {
    const docs: { group: string; text: string }[] = [];
    let batch: Record<string, unknown>[] = [];
    for (const row of sql.prepare(query).all(Math.ceil(n / 5) * 4) as Record<string, unknown>[]) {
      batch.push(row);
      const text = JSON.stringify({ ok: true, data: batch });
      if (text.length >= 1000) {
        docs.push({ group, text: text.slice(0, 1100) });
        batch = [];
      }
    }
    return docs.slice(0, Math.ceil(n / 5));
  };
  return [
    ...take("ticket", "SELECT t.*, (SELECT group_concat(body, ' | ') FROM ticket_messages m WHERE m.ticket_id = t.id) AS messages FROM tickets t ORDER BY t.id LIMIT ?"),
    ...take("customer", "SELECT c.*, p.name AS plan FROM customers c JOIN plans p ON p.id = c.plan_id ORDER BY c.id LIMIT ?"),
    ...take("order", "SELECT * FROM orders ORDER BY id LIMIT ?"),
    ...take("channel", "SELECT channel, group_concat(author || ': ' || body, '\n') AS messages FROM (SELECT * FROM channel_messages ORDER BY created_at) GROUP BY channel LIMIT ?"),
    ...take("runbook", "SELECT id, title, body FROM kb_articles ORDER BY id LIMIT ?"),
  ].slice(0, n);
}

export async function run(argv: string[]): Promise<BenchReport> {
  const nAt = argv.indexOf("--n");
  const n = nAt >= 0 ? Number(argv[nAt + 1]) : 300;
  if (!Number.isInteger(n) || n < 10) throw new BenchInputError("--n needs a whole number of outputs, at least 10.");
  const detector = await injectionDetector();
  const outputs = sampleOutputs(n);
  const vault = new PiiVault({ scope: "bench" });
  const guard = async (text: string) => {
    const redacted = vault.redact(text).text;
    const scan = await detector.scan(redacted, { source: "tool" });
    return spotlight(applyPolicy(redacted, scan, "strip").text);
  };
  for (const o of outputs.slice(0, 20)) await guard(o.text); // warm-up: JIT, exemplar vectors
  const times: Record<string, number[]> = {};
  const all: number[] = [];
  for (const o of outputs) {
    const start = performance.now();
    await guard(o.text);
    const ms = performance.now() - start;
    (times[o.group] ??= []).push(ms);
    all.push(ms);
  }
  const bytes = outputs.reduce((sum, o) => sum + Buffer.byteLength(o.text), 0) / outputs.length;
  return {
    bench: "guards",
    dataset: "app tool outputs",
    metrics: { p50_ms: quantile(all, 0.5), p95_ms: quantile(all, 0.95), outputs: outputs.length, mean_bytes: Math.round(bytes) },
    groups: Object.fromEntries(Object.entries(times).map(([g, t]) => [g, { p50_ms: quantile(t, 0.5), p95_ms: quantile(t, 0.95), outputs: t.length }])),
    notes: ["Per output: PII redaction (vault) + injection scan + strip policy + spotlighting, measured one by one after 20 warm-up outputs."],
  };
}
