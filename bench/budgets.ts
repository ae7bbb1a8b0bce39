/**
 * Budgets bench: the evaluation suite's requests through the whole app under tight budgets, to count budget
 * overruns (target 0) and see the ladder at work. The offline model decides; calls are priced per token
 * (`--price-in`, `--price-out`, USD per million; default gpt-4o's) and the exact cache is off, so every call costs.
 *
 *   npm run bench -- budgets [--datasets routing,end-state,trajectories,grounding,safety] [--limit 20]
 *                            [--request 0.01] [--thread 0.03] [--tenant 0.5] [--per-thread 3]
 *                            [--price-in 2.5] [--price-out 10] [--data-dir evals/datasets]
 *
 * Two passes over the same requests, each in a fresh data directory: `stop` (the last rung stops the turn) and
 * `approve` (it asks; the bench approves every budget approval and rejects every action approval, so nothing is
 * written). Requests are spread over three tenants, `--per-thread` consecutive requests share a thread.
 * Overruns are counted twice: by the governor as calls settle, and by an audit of the spend records
 * (`auditOverruns`): a call, not approved by a human, after which its request, thread or tenant spend exceeded
 * the budget by more than that call's estimate.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { BenchInputError, type BenchReport } from "./report.js";

export const usage =
  "npm run bench -- budgets [--datasets routing,end-state,trajectories,grounding,safety] [--limit 20] [--request 0.01] [--thread 0.03] [--tenant 0.5] [--per-thread 3] [--price-in 2.5] [--price-out 10] [--data-dir evals/datasets]";

const TENANTS = ["default", "acme", "globex"];

function positive(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new BenchInputError(`--${name} must be a positive number, got "${value}".`);
  return n;
}

function readRequests(dir: string, names: string[], limit: number): { dataset: string; request: string }[] {
  return names.flatMap((name) => {
    const file = path.join(dir, `${name}.jsonl`);
    if (!fs.existsSync(file)) throw new BenchInputError(`No dataset ${file}.`);
    return fs
      .readFileSync(file, "utf8")
      .split("\n")
      .map((line, i) => ({ line: line.trim(), i }))
      .filter(({ line }) => line)
      .slice(0, limit)
      .map(({ line, i }) => {
        let row: { request?: unknown };
        try {
          row = JSON.parse(line) as { request?: unknown };
        } catch {
          throw new BenchInputError(`${file}:${i + 1} is not JSON.`);
        }
        if (typeof row.request !== "string" || !row.request.trim()) throw new BenchInputError(`${file}:${i + 1} has no "request".`);
        return { dataset: name, request: row.request };
      });
  });
}

function parseBenchArgs(argv: string[]) {
  return parseArgs({
    args: argv,
    options: {
      datasets: { type: "string" },
      limit: { type: "string" },
      request: { type: "string" },
      thread: { type: "string" },
      tenant: { type: "string" },
      "per-thread": { type: "string" },
      "price-in": { type: "string" },
      "price-out": { type: "string" },
      "data-dir": { type: "string" },
    },
    strict: true,
  });
}

export async function run(argv: string[]): Promise<BenchReport> {
  let parsed: ReturnType<typeof parseBenchArgs>;
  try {
    parsed = parseBenchArgs(argv);
  } catch (error) {
    throw new BenchInputError(`${(error as Error).message}. ${usage}`);
  }
  const { values } = parsed;
  const datasets = (values.datasets ?? "routing,end-state,trajectories,grounding,safety").split(",").map((s) => s.trim()).filter(Boolean);
  const limit = Math.floor(positive("limit", values.limit, 20));
  const budgets = { request: positive("request", values.request, 0.01), thread: positive("thread", values.thread, 0.03), tenant: positive("tenant", values.tenant, 0.5) };
  const perThread = Math.floor(positive("per-thread", values["per-thread"], 3));
  const price = { input: positive("price-in", values["price-in"], 2.5), output: positive("price-out", values["price-out"], 10) };
  const requests = readRequests(values["data-dir"] ?? path.join(process.cwd(), "evals", "datasets"), datasets, limit);

  // Settings are read when the app and its models are made: set them before loading it.
  process.env.KEEL_PRICES = JSON.stringify({ "keel-offline": price });
  process.env.KEEL_CACHE = "off";
  const { createKeelApp } = await import("../graphs/app.js");
  const { costGovernor } = await import("../src/cost/governor.js");
  const { auditOverruns, closeSpendDbs, spendTotals } = await import("../src/cost/spend-store.js");
  const { closeCompanyDbs } = await import("../src/db/index.js");
  const { UseLiteEmbeddings } = await import("../src/embeddings/use-lite.js");
  // Load the embedding model once before the app's parts race to initialise its WebAssembly backend.
  await new UseLiteEmbeddings().embedQuery("warm up");

  const groups: BenchReport["groups"] = {};
  const errorNotes: string[] = [];
  for (const onExceeded of ["stop", "approve"] as const) {
    process.env.KEEL_DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), `keel-budgets-${onExceeded}-`));
    process.env.KEEL_BUDGETS = JSON.stringify({ default: budgets, onExceeded, tenantPeriod: "total" });
    costGovernor().resetStats();
    const app = await createKeelApp();
    const counts = { requests: 0, answered: 0, stopped: 0, clarifying: 0, budget_approvals: 0, errors: 0 };
    let threadId: string | undefined;
    try {
      for (const [i, { request }] of requests.entries()) {
        const tenantId = TENANTS[Math.floor(i / perThread) % TENANTS.length]!;
        if (i % perThread === 0) threadId = undefined;
        counts.requests += 1;
        try {
          let turn = await app.run(request, { threadId, tenantId });
          threadId = turn.threadId;
          for (let rounds = 0; turn.status === "needs_approval" && rounds < 20; rounds++) {
            const approval = turn.approvals[0]!;
            if (approval.kind === "budget") counts.budget_approvals += 1;
            turn = await app.resume(turn.threadId, approval.kind === "budget" ? { decision: "approve" } : { decision: "reject", reason: "bench" }, { tenantId });
          }
          if (turn.status === "answered") counts.answered += 1;
          else if (turn.status === "stopped") {
            counts.stopped += 1;
            threadId = undefined; // the thread is spent (and may still hold an approval the stop cut short)
          }
          else if (turn.status === "clarifying") counts.clarifying += 1;
        } catch (error) {
          counts.errors += 1; // e.g. a request the app refuses; the thread starts again
          if (errorNotes.length < 5) errorNotes.push(`${onExceeded}: "${request.slice(0, 60)}" failed: ${(error as Error).message.slice(0, 200)}`);
          threadId = undefined;
        }
      }
    } finally {
      await app.close();
    }
    const budgetOf = (scope: "request" | "thread" | "tenant") => budgets[scope];
    const audited = auditOverruns(budgetOf);
    const stats = costGovernor().stats;
    const spend = TENANTS.map((t) => spendTotals("tenant", t)).reduce((a, b) => ({ calls: a.calls + b.modelCalls, usd: a.usd + b.costUsd }), { calls: 0, usd: 0 });
    groups[onExceeded] = {
      ...counts,
      model_calls: spend.calls,
      spend_usd: spend.usd,
      budget_overruns: stats.overruns,
      audited_overruns: audited.length,
      admitted: stats.admitted,
      compressed: stats.compressed,
      downgraded: stats.downgraded,
      calls_stopped: stats.stopped,
      approved: stats.approved,
    };
    closeSpendDbs();
    closeCompanyDbs();
  }
  const stop = groups.stop!;
  const approve = groups.approve!;
  return {
    bench: "budgets",
    dataset: datasets.join("+"),
    metrics: {
      requests: requests.length,
      budget_overruns: stop.budget_overruns! + approve.budget_overruns!,
      audited_overruns: stop.audited_overruns! + approve.audited_overruns!,
      stopped_turns: stop.stopped!,
      budget_approvals: approve.budget_approvals!,
    },
    groups,
    notes: [
      `Budgets USD: request ${budgets.request}, thread ${budgets.thread}, tenant ${budgets.tenant} (all time); ${perThread} requests per thread, tenants ${TENANTS.join(", ")}.`,
      `Offline model priced at $${price.input} / $${price.output} per million input / output tokens; exact cache off; fast routing and the semantic cache as configured.`,
      `First ${limit} rows of each dataset; "approve" approves every budget approval and rejects every action approval.`,
      ...errorNotes,
    ],
  };
}
