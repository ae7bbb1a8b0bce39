/**
 * Load bench: `npm run bench -- load [--clients 50] [--runs 3] [--tenants 5] [--out FILE]`.
 *
 * Starts the real LangGraph dev server on loopback with auth on (fresh API keys, one tenant file), on the
 * built-in offline model, and drives N concurrent clients for M runs each of the meta graph, spread across
 * several tenants. Each client holds conversations of `--turns-per-thread` turns on a thread, asks a different
 * read-only question each turn (distinct customer and order ids, so the caches do not answer for the model), and
 * at the end of each conversation checks isolation and deletes the thread (`--keep-threads 1` keeps them: the dev
 * server holds every checkpoint in memory, so its memory then grows with the data, not from a leak). Reports throughput,
 * p50/p95/p99 run latency, errors, and the server's resident memory over the run (sum over its process group,
 * sampled every second from /proc). Every client then checks it sees only its own tenant's threads (search)
 * and that another tenant's thread is a 404: `cross_tenant_reads` counts every breach.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Client } from "@langchain/langgraph-sdk";
import { BenchInputError, quantile, type BenchReport } from "./report.js";
import { sampleHeap, sampleMemory, slopeMbPerMin, type MemorySample } from "./load-memory.js";
import { startDevServer, type DevServer } from "../tests/support/dev-server.js";
import { ALL_SCOPES, makeTenants } from "../tests/support/tenants-fixture.js";
import { openCompanyDb, closeCompanyDbs } from "../src/db/index.js";

export const usage = "npm run bench -- load [--clients 50] [--runs 4] [--tenants 5] [--turns-per-thread 2] [--keep-threads 0|1]";

interface Options {
  clients: number;
  runs: number;
  tenants: number;
  /** Turns of one conversation (thread) before the client ends it and starts another. */
  turnsPerThread: number;
  /** 1 keeps every thread (the dev server holds all checkpoints in memory, so memory grows with them). */
  keepThreads: number;
}

function parseArgs(argv: string[]): Options {
  const options: Options = { clients: 50, runs: 4, tenants: 5, turnsPerThread: 2, keepThreads: 0 };
  for (let i = 0; i < argv.length; i += 2) {
    const flag = argv[i]!;
    const key = flag.replace(/^--/, "").replace(/-([a-z])/g, (_, c: string) => c.toUpperCase()) as keyof Options;
    if (!(key in options) || !flag.startsWith("--")) throw new BenchInputError(`Unknown option ${flag}. Usage: ${usage}`);
    const value = Number(argv[i + 1]);
    if (!Number.isInteger(value) || value < (key === "keepThreads" ? 0 : 1) || value > 1000) throw new BenchInputError(`${flag} needs a whole number from 1 to 1000, got "${argv[i + 1] ?? ""}".`);
    options[key] = value;
  }
  if (options.tenants > options.clients) throw new BenchInputError("--tenants must not exceed --clients (each tenant needs a client).");
  return options;
}

function mean(values: number[]): number {
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : 0;
}

/** Read-only questions with ids that differ per client and turn. */
function question(client: number, turn: number): string {
  const n = client * 7 + turn * 131;
  const customer = `CUS-${1000 + (n % 1200)}`;
  const order = `ORD-${10000 + ((n * 13) % 12000)}`;
  const invoice = `INV-${20000 + ((n * 17) % 5900)}`;
  const forms = [`What plan is customer ${customer} on?`, `Where is order ${order}?`, `What is the status of invoice ${invoice}?`, `Show the open support tickets of customer ${customer}`];
  return forms[(client + turn) % forms.length]!;
}

interface ClientResult {
  tenant: string;
  latenciesMs: number[];
  errors: string[];
  threadIds: string[];
}

async function driveClient(index: number, tenant: string, client: Client, options: Options, canaries: Map<string, string>): Promise<ClientResult & { breaches: number; checks: number }> {
  const result = { tenant, latenciesMs: [] as number[], errors: [] as string[], threadIds: [] as string[], breaches: 0, checks: 0 };
  const foreign = [...canaries].filter(([t]) => t !== tenant).map(([, id]) => id);
  let threadId: string | undefined;
  let turnOnThread = 0;
  const endConversation = async () => {
    if (!threadId) return;
    try {
      const outcome = await crossTenantReads(client, tenant, foreign);
      result.breaches += outcome.breaches;
      result.checks += outcome.checks;
    } catch (error) {
      result.errors.push(`isolation check: ${(error as Error).message}`);
    }
    // The conversation is over: its thread (checkpoints, runs) is deleted, as an app would when a session ends.
    if (!options.keepThreads) await client.threads.delete(threadId).catch((error: Error) => result.errors.push(`delete: ${error.message}`));
    threadId = undefined;
  };
  for (let turn = 0; turn < options.runs; turn++) {
    if (!threadId) {
      try {
        threadId = (await client.threads.create({ metadata: { bench_client: index } })).thread_id;
        result.threadIds.push(threadId);
        turnOnThread = 0;
      } catch (error) {
        result.errors.push(`thread: ${(error as Error).message}`);
        continue;
      }
    }
    const started = performance.now();
    try {
      const values = (await client.runs.wait(threadId, "meta", { input: { messages: [{ role: "user", content: question(index, turn) }] } })) as Record<string, unknown>;
      if (values && "__error__" in values) throw new Error(JSON.stringify(values.__error__).slice(0, 200));
      const answers = ((values?.messages ?? []) as { type: string }[]).filter((m) => m.type === "ai").length;
      if (answers !== turnOnThread + 1) throw new Error(`expected ${turnOnThread + 1} answers on the thread, got ${answers}`);
      result.latenciesMs.push(performance.now() - started);
    } catch (error) {
      result.errors.push(`run ${turn}: ${(error as Error).message}`);
    }
    turnOnThread += 1;
    if (turnOnThread >= options.turnsPerThread) await endConversation();
  }
  await endConversation();
  return result;
}

/** Threads of another tenant this client could see (search) or read (get): each one is a breach. */
async function crossTenantReads(client: Client, tenant: string, foreignThreads: string[]): Promise<{ breaches: number; checks: number }> {
  let breaches = 0;
  let checks = 0;
  const seen = await client.threads.search({ limit: 1000 });
  checks += seen.length;
  breaches += seen.filter((t) => t.metadata?.tenant_id !== tenant).length;
  for (const id of foreignThreads) {
    checks += 1;
    try {
      await client.threads.get(id);
      breaches += 1;
    } catch (error) {
      if ((error as { status?: number }).status !== 404) breaches += 1;
    }
  }
  return { breaches, checks };
}

export async function run(argv: string[]): Promise<BenchReport> {
  const options = parseArgs(argv);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "keel-load-"));
  const dataDir = path.join(work, "data");
  openCompanyDb(path.join(dataDir, "company.sqlite"));
  closeCompanyDbs();
  const tenantIds = Array.from({ length: options.tenants }, (_, i) => `tenant-${i + 1}`);
  const fixture = makeTenants(
    Object.fromEntries(tenantIds.map((t) => [t, { scopes: ALL_SCOPES, users: { [`user-of-${t}`]: ["member"], [`metrics-of-${t}`]: ["metrics"] } }])),
    { requestsPerMinute: 1_000_000, tokensPerMinute: 100_000_000, toolCallsPerMinute: { "*": 1_000_000 } },
  );
  let server: DevServer | undefined;
  try {
    server = await startDevServer({ env: { ...fixture.env, KEEL_DATA_DIR: dataDir, REDIS_URL: undefined, LANGSMITH_TRACING: "false" } });
    const clientOf = (tenant: string) => new Client({ apiUrl: server!.apiUrl, apiKey: fixture.key(tenant, `user-of-${tenant}`), timeoutMs: 300_000, defaultHeaders: {} });

    // Warm-up (not measured): loads the embedding model, the tool index and the graphs.
    const warmStarted = performance.now();
    const warm = clientOf(tenantIds[0]!);
    const warmThread = await warm.threads.create();
    await warm.runs.wait(warmThread.thread_id, "meta", { input: { messages: [{ role: "user", content: question(0, 0) }] } });
    const warmupMs = performance.now() - warmStarted;

    // One kept thread per tenant: the targets of every other tenant's read attempts.
    const canaries = new Map<string, string>();
    for (const tenant of tenantIds) canaries.set(tenant, (await clientOf(tenant).threads.create({ metadata: { canary: true } })).thread_id);

    const memory = sampleMemory(server.child.pid!, 1000);
    const heap = sampleHeap(server.apiUrl, fixture.key(tenantIds[0]!, `metrics-of-${tenantIds[0]}`), 2000);
    const started = performance.now();
    const results = await Promise.all(
      Array.from({ length: options.clients }, (_, i) => {
        const tenant = tenantIds[i % tenantIds.length]!;
        return driveClient(i, tenant, clientOf(tenant), options, canaries);
      }),
    );
    const elapsedMs = performance.now() - started;
    const samples: MemorySample[] = memory.stop();
    const heapSamples = await heap.stop();
    const heapHalf = heapSamples.filter((x) => x.atMs >= (heapSamples.at(-1)?.atMs ?? 0) / 2);
    const breaches = results.reduce((s, r) => s + r.breaches, 0);
    const checks = results.reduce((s, r) => s + r.checks, 0);

    const latencies = results.flatMap((r) => r.latenciesMs);
    const errors = results.flatMap((r) => r.errors);
    const completed = latencies.length;
    const rss = samples.map((s) => s.rssMb);
    const half = samples.filter((s) => s.atMs >= samples.at(-1)!.atMs / 2);
    const groups: BenchReport["groups"] = {};
    for (const tenant of tenantIds) {
      const mine = results.filter((r) => r.tenant === tenant).flatMap((r) => r.latenciesMs);
      groups[tenant] = { runs: mine.length, latency_p50_ms: quantile(mine, 0.5), latency_p95_ms: quantile(mine, 0.95) };
    }
    // Memory over time, ten points.
    const step = Math.max(1, Math.floor(samples.length / 10));
    groups.memory_rss_mb = Object.fromEntries(samples.filter((_, i) => i % step === 0 || i === samples.length - 1).map((s) => [`t_${Math.round(s.atMs / 1000)}s`, s.rssMb]));
    const notes = [
      `${options.clients} concurrent clients across ${options.tenants} tenants, ${options.runs} runs each of the meta graph on the offline model, over loopback; API-key auth on; conversations of ${options.turnsPerThread} turns, threads ${options.keepThreads ? "kept" : "deleted when a conversation ends"}.`,
      `Warm-up run (not measured) took ${(warmupMs / 1000).toFixed(1)} s. Latency is the wall time of POST /threads/{id}/runs/wait.`,
      `Memory: resident set of the server's process group (CLI, loader, API worker), sampled every second; V8 heap in use of the API worker from its /metrics (keel_process_nodejs_heap_size_used_bytes) every 2 s (${heapSamples.length} samples).`,
      `Isolation: ${checks} checks (own searches, reads of other tenants' threads).`,
      ...errors.slice(0, 5).map((e) => `error: ${e}`),
    ];
    return {
      bench: "load",
      dataset: `offline model, ${options.clients} clients x ${options.runs} runs, ${options.tenants} tenants`,
      metrics: {
        clients: options.clients,
        runs: options.clients * options.runs,
        completed_runs: completed,
        errors: errors.length,
        cross_tenant_reads: breaches,
        throughput_runs_per_s: completed / (elapsedMs / 1000),
        latency_p50_ms: quantile(latencies, 0.5),
        latency_p95_ms: quantile(latencies, 0.95),
        latency_p99_ms: quantile(latencies, 0.99),
        duration_s: elapsedMs / 1000,
        rss_start_mb: rss[0] ?? 0,
        rss_end_mb: rss.at(-1) ?? 0,
        rss_max_mb: Math.max(...rss),
        rss_growth_mb: (rss.at(-1) ?? 0) - (rss[0] ?? 0),
        rss_mean_first_half_mb: mean(samples.filter((x) => !half.includes(x)).map((x) => x.rssMb)),
        rss_mean_second_half_mb: mean(half.map((x) => x.rssMb)),
        rss_slope_second_half_mb_per_min: slopeMbPerMin(half),
        heap_used_start_mb: heapSamples[0]?.rssMb ?? 0,
        heap_used_end_mb: heapSamples.at(-1)?.rssMb ?? 0,
        heap_used_max_mb: Math.max(0, ...heapSamples.map((x) => x.rssMb)),
        heap_used_slope_second_half_mb_per_min: slopeMbPerMin(heapHalf),
      },
      groups,
      notes,
    };
  } finally {
    await server?.stop();
    fs.rmSync(work, { recursive: true, force: true });
    fs.rmSync(fixture.dir, { recursive: true, force: true });
  }
}
