/**
 * `npm run bench -- faults [--tasks N] [--seed S]`: the real app (createKeelApp: router, support agent, issue_credit
 * on the company database) against the local OpenAI-compatible server with a scripted model, at model and tool
 * fault rates of 0%, 10% and 30%. Model faults: 429 with Retry-After, 500, timeouts, malformed tool-call JSON
 * (a quarter each). Tool faults (KEEL_FAULTS): errors before acting (half), lost replies after acting and hangs
 * (a quarter each).
 *
 * Per rate: task success (answered, reported completed, and exactly one credit row), duplicated side effects
 * (credit rows, audit rows and ledger entries beyond one per task, counted in the database), retries and
 * breaker openings. Runs in a fresh temporary data directory; nothing outside it is touched.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { BenchInputError, type BenchReport } from "./report.js";
import { startFaultServer, RATES, type FaultServer } from "./faults-server.js";

export const usage = "npm run bench -- faults [--tasks N (per rate, default 20)] [--seed S (default 1)]";

/** Settings that keep the bench quick while every mechanism still runs (noted in the report). */
const BENCH_ENV: Record<string, string> = {
  KEEL_RETRY_ATTEMPTS: "5",
  KEEL_RETRY_BASE_MS: "20",
  KEEL_RETRY_MAX_MS: "200",
  KEEL_MODEL_TIMEOUT_MS: "1500",
  KEEL_TOOL_TIMEOUT_MS: "300",
  KEEL_BREAKER_FAILURES: "5",
  KEEL_BREAKER_WINDOW_MS: "10000",
  KEEL_BREAKER_COOLDOWN_MS: "1000",
};

function parseArgs(argv: string[]): { tasks: number; seed: number } {
  const options = { tasks: 20, seed: 1 };
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    const number = Number(value);
    if ((flag === "--tasks" || flag === "--seed") && Number.isInteger(number) && number > 0) options[flag.slice(2) as "tasks" | "seed"] = number;
    else throw new BenchInputError(`Unknown or malformed option ${flag} ${value ?? ""}. ${usage}`);
  }
  if (options.tasks * RATES.length > 150) throw new BenchInputError(`--tasks ${options.tasks} needs more distinct customers than the seed has (at most 50 per rate).`);
  return options;
}

export async function run(argv: string[]): Promise<BenchReport> {
  const { tasks, seed } = parseArgs(argv);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "keel-bench-faults-"));
  const saved = { ...process.env };
  let server: FaultServer | undefined;
  try {
    server = await startFaultServer(seed);
    Object.assign(process.env, BENCH_ENV, { KEEL_DATA_DIR: dataDir, OPENAI_BASE_URL: server.url, OPENAI_API_KEY: "bench", KEEL_MODEL_PROVIDER: "openai", LANGSMITH_TRACING: "false" });
    delete process.env.DATABASE_URL;
    delete process.env.KEEL_MODEL_FALLBACKS;
    // Imported only now: agents build their models, and the app its data directory, from the environment.
    const { runScenario } = await import("./faults-scenario.js");
    const groups: BenchReport["groups"] = {};
    let customerOffset = 0;
    for (const rate of RATES) {
      groups[`${Math.round(rate * 100)}%`] = await runScenario({ server, rate, tasks, seed, customerOffset });
      customerOffset += tasks;
    }
    const total = (metric: string) => Object.values(groups).reduce((sum, g) => sum + (g[metric] ?? 0), 0);
    return {
      bench: "faults",
      dataset: `scripted support tasks (issue_credit), ${tasks} per rate, seed ${seed}`,
      metrics: {
        "task success (0%)": groups["0%"]!["task success"]!,
        "task success (10%)": groups["10%"]!["task success"]!,
        "task success (30%)": groups["30%"]!["task success"]!,
        "duplicated side effects": total("duplicated side effects"),
        retries: total("retries"),
        "breaker openings": total("breaker openings"),
      },
      groups,
      notes: [
        "Faults hit every model call (router and agent) and every tool attempt at the group's rate, seeded.",
        `Settings: ${Object.entries(BENCH_ENV).map(([k, v]) => `${k}=${v}`).join(" ")}; injected 429s ask Retry-After: 1.`,
        "Targets: task success 100% at 10% and >= 95% at 30%; 0 duplicated side effects at any rate.",
      ],
    };
  } finally {
    await server?.close();
    const { closeCompanyDbs } = await import("../src/db/index.js");
    closeCompanyDbs();
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
