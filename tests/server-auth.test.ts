/**
 * Auth and tenants on the real LangGraph dev server (`langgraphjs dev` with this repository's langgraph.json):
 * API keys and JWTs map callers to tenants; threads, runs, assistants and store items of one tenant are
 * invisible and untouchable to another; the graph applies the caller's tenant (its capability grants) from the
 * authenticated user; bad credentials get a bare 401; oversized bodies 413; a tenant over its request rate 429
 * with Retry-After (buckets in a real Redis); secrets appear neither in the server's log nor in stored runs; and a malformed tenant
 * configuration stops start-up naming the entry.
 */
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import path from "node:path";
import fs from "node:fs";
import Database from "better-sqlite3";
import { Client } from "@langchain/langgraph-sdk";
import { READY_TIMEOUT_MS, startDevServer, type DevServer } from "./support/dev-server.js";
import { ALL_SCOPES, READ_SCOPES, makeTenants, type TenantFixture } from "./support/tenants-fixture.js";
import { startRedis, type RedisServer } from "./support/redis-server.js";
import { Redis } from "ioredis";

let server: DevServer;
let redis: RedisServer;
let tenants: TenantFixture;
let db: Database.Database;
const clients: Record<string, Client> = {};

function clientFor(tenant: string, user: string): Client {
  return (clients[`${tenant}/${user}`] ??= new Client({ apiUrl: server.apiUrl, apiKey: tenants.key(tenant, user) }));
}

/** The HTTP status an SDK call fails with (or 200 when it succeeds). */
async function statusOf(call: Promise<unknown>): Promise<number> {
  try {
    await call;
    return 200;
  } catch (error) {
    return (error as { status?: number }).status ?? -1;
  }
}

function credits(customerId: string): number {
  return db.prepare("SELECT COUNT(*) FROM credits WHERE customer_id = ?").pluck().get(customerId) as number;
}

beforeAll(async () => {
  const dataDir = process.env.KEEL_DATA_DIR!;
  db = new Database(path.join(dataDir, "company.sqlite"), { fileMustExist: true });
  db.pragma("busy_timeout = 5000");
  tenants = makeTenants({
    acme: { scopes: ALL_SCOPES, users: { alice: ["member"], root: ["admin"], rita: ["reader"], prom: ["metrics"] } },
    globex: { scopes: READ_SCOPES, users: { bob: ["member"], boss: ["admin"] } },
    initech: { scopes: ALL_SCOPES, rateLimits: { requestsPerMinute: 5 }, users: { milton: ["member"] } },
  });
  // Rate limits in a real Redis, as a deployment with REDIS_URL has them.
  redis = await startRedis();
  server = await startDevServer({ env: { ...tenants.env, KEEL_DATA_DIR: dataDir, REDIS_URL: redis.url, KEEL_MAX_BODY_BYTES: "65536" } });
}, READY_TIMEOUT_MS + 30_000);

afterAll(async () => {
  await server?.stop();
  await redis?.stop();
  db?.close();
}, 30_000);

describe("authentication", () => {
  it.each([
    ["no credential", () => ({})],
    ["an unknown API key", () => ({ "x-api-key": "kk_this_key_does_not_exist" })],
    ["an expired JWT", async () => ({ authorization: `Bearer ${await tenants.jwt({ sub: "alice", tenant_id: "acme" }, Math.floor(Date.now() / 1000) - 120)}` })],
    ["a forged JWT", async () => ({ authorization: `Bearer ${await tenants.jwt({ sub: "alice", tenant_id: "acme" }, "5m", "f".repeat(64))}` })],
    ["a JWT for an unknown tenant", async () => ({ authorization: `Bearer ${await tenants.jwt({ sub: "eve", tenant_id: "umbrella" })}` })],
  ])("refuses %s with a bare 401", async (_, headers) => {
    const res = await fetch(`${server.apiUrl}/threads/search`, { method: "POST", headers: { "content-type": "application/json", ...(await headers()) }, body: "{}" });
    expect(res.status).toBe(401);
    expect(await res.text()).toBe("Unauthorized");
    expect(res.headers.get("www-authenticate")).toBe('Bearer realm="keel"');
  });

  it("accepts a valid JWT as the tenant it names", async () => {
    const token = await tenants.jwt({ sub: "jay", tenant_id: "acme", roles: ["member"] });
    const jwtClient = new Client({ apiUrl: server.apiUrl, defaultHeaders: { authorization: `Bearer ${token}` } });
    const thread = await jwtClient.threads.create();
    expect(thread.metadata).toMatchObject({ tenant_id: "acme" });
    expect((await clientFor("acme", "alice").threads.get(thread.thread_id)).thread_id).toBe(thread.thread_id);
  });

  it("ignores the LangGraph Studio header (no bypass)", async () => {
    const res = await fetch(`${server.apiUrl}/threads/search`, { method: "POST", headers: { "content-type": "application/json", "x-auth-scheme": "langsmith" }, body: "{}" });
    expect(res.status).toBe(401);
  });

  it.each(["/health", "/ok", "/info"])("serves %s without a credential", async (p) => {
    expect((await fetch(`${server.apiUrl}${p}`)).status).toBe(200);
  });

  it.each([
    ["alice", 403],
    ["prom", 200],
    ["root", 200],
  ])("/metrics for acme/%s: %d", async (user, status) => {
    expect((await fetch(`${server.apiUrl}/metrics`, { headers: { "x-api-key": tenants.key("acme", user) } })).status).toBe(status);
  });
});

describe("tenant isolation", () => {
  let acmeThread: string;

  beforeAll(async () => {
    const acme = clientFor("acme", "alice");
    const thread = await acme.threads.create({ metadata: { topic: "plan" } });
    acmeThread = thread.thread_id;
    await acme.runs.wait(acmeThread, "meta", { input: { messages: [{ role: "user", content: "What plan is customer CUS-1042 on?" }] } });
  }, 120_000);

  it("stamps the tenant on threads and runs", async () => {
    const acme = clientFor("acme", "alice");
    expect((await acme.threads.get(acmeThread)).metadata).toMatchObject({ tenant_id: "acme", topic: "plan" });
    const [run] = await acme.runs.list(acmeThread);
    expect(run!.metadata).toMatchObject({ tenant_id: "acme" });
  });

  it.each([
    ["get the thread", (c: Client, id: string) => c.threads.get(id)],
    ["get its state", (c: Client, id: string) => c.threads.getState(id)],
    ["get its history", (c: Client, id: string) => c.threads.getHistory(id)],
    ["list its runs", (c: Client, id: string) => c.runs.list(id)],
    ["update its metadata", (c: Client, id: string) => c.threads.update(id, { metadata: { taken: true } })],
    ["start a run on it", (c: Client, id: string) => c.runs.create(id, "meta", { input: { messages: [{ role: "user", content: "hi" }] } })],
    ["delete it", (c: Client, id: string) => c.threads.delete(id)],
  ])("another tenant cannot %s (404)", async (_, call) => {
    expect(await statusOf(call(clientFor("globex", "bob"), acmeThread))).toBe(404);
    // Still there and unchanged for its owner.
    const thread = await clientFor("acme", "alice").threads.get(acmeThread);
    expect(thread.metadata).not.toHaveProperty("taken");
  });

  it("leaves other tenants' threads out of searches", async () => {
    const globex = clientFor("globex", "bob");
    await globex.threads.create();
    const seen = await globex.threads.search({ limit: 100 });
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((t) => t.metadata?.tenant_id === "globex")).toBe(true);
    expect(seen.map((t) => t.thread_id)).not.toContain(acmeThread);
    // Asking for the other tenant by metadata finds nothing either.
    expect(await globex.threads.search({ metadata: { tenant_id: "acme" } })).toEqual([]);
  });

  it("does not let a caller claim another tenant through metadata or run configuration", async () => {
    const globex = clientFor("globex", "bob");
    const thread = await globex.threads.create({ metadata: { tenant_id: "acme" } });
    expect(thread.metadata).toMatchObject({ tenant_id: "globex" });
    expect(await statusOf(clientFor("acme", "alice").threads.get(thread.thread_id))).toBe(404);
    const updated = await globex.threads.update(thread.thread_id, { metadata: { tenant_id: "acme" } });
    expect(updated.metadata).toMatchObject({ tenant_id: "globex" });
    expect(await statusOf(globex.runs.create(thread.thread_id, "meta", { input: { messages: [{ role: "user", content: "hi" }] }, config: { configurable: { tenant_id: "acme" } } }))).toBe(403);
  });

  it("applies the caller's tenant inside the graph: a full tenant's credit is made, a read-only tenant is not offered the tool", async () => {
    type Values = { reports: Record<string, { tools: string[] }> };
    const before = credits("CUS-1042");
    const request = { input: { messages: [{ role: "user", content: "Give customer CUS-1042 a $10 service credit for the outage" }] } };

    const acme = clientFor("acme", "alice");
    const aValues = (await acme.runs.wait((await acme.threads.create()).thread_id, "meta", request)) as unknown as Values;
    expect(aValues.reports.support!.tools).toContain("issue_credit");
    expect(credits("CUS-1042")).toBe(before + 1);

    // The same request from a tenant granted only read scopes: the credit tool is not among its tools (grants come
    // from the authenticated user's tenant), nothing is written, and it does not get acme's answer.
    const globex = clientFor("globex", "bob");
    const gValues = (await globex.runs.wait((await globex.threads.create()).thread_id, "meta", request)) as unknown as Values;
    expect(gValues.reports.support!.tools).not.toContain("issue_credit");
    expect(gValues.reports.support!.tools.length).toBeGreaterThan(0);
    expect(credits("CUS-1042")).toBe(before + 1);
  }, 120_000);

  it("keeps store items to the tenant whose id starts the namespace", async () => {
    const acme = clientFor("acme", "alice");
    const globex = clientFor("globex", "bob");
    await acme.store.putItem(["acme", "notes"], "n1", { text: "acme only" });
    expect((await acme.store.getItem(["acme", "notes"], "n1"))?.value).toEqual({ text: "acme only" });
    expect((await acme.store.searchItems(["acme"])).items.map((i) => i.key)).toEqual(["n1"]);

    expect(await statusOf(globex.store.getItem(["acme", "notes"], "n1"))).toBe(403);
    expect(await statusOf(globex.store.searchItems(["acme"]))).toBe(403);
    expect(await statusOf(globex.store.searchItems([]))).toBe(403);
    expect(await statusOf(globex.store.listNamespaces())).toBe(403);
    expect(await statusOf(globex.store.putItem(["acme", "notes"], "n1", { text: "overwritten" }))).toBe(403);
    expect(await statusOf(globex.store.deleteItem(["acme", "notes"], "n1"))).toBe(403);
    expect((await acme.store.getItem(["acme", "notes"], "n1"))?.value).toEqual({ text: "acme only" });

    await globex.store.putItem(["globex", "notes"], "n1", { text: "globex's own" });
    expect((await globex.store.searchItems(["globex"])).items.map((i) => i.value)).toEqual([{ text: "globex's own" }]);
  });

  it("keeps assistants to the tenant that made them; only admins make them", async () => {
    expect(await statusOf(clientFor("acme", "alice").assistants.create({ graphId: "meta", name: "by a member" }))).toBe(403);
    const made = await clientFor("acme", "root").assistants.create({ graphId: "meta", name: "acme support desk" });
    expect(made.metadata).toMatchObject({ tenant_id: "acme" });
    expect((await clientFor("acme", "alice").assistants.get(made.assistant_id)).name).toBe("acme support desk");
    expect(await statusOf(clientFor("globex", "bob").assistants.get(made.assistant_id))).toBe(404);
    expect(await statusOf(clientFor("globex", "boss").assistants.update(made.assistant_id, { name: "taken" }))).toBe(404);
    expect(await statusOf(clientFor("globex", "boss").assistants.delete(made.assistant_id))).toBe(404);
    const globexSees = await clientFor("globex", "bob").assistants.search({ limit: 100 });
    expect(globexSees.map((a) => a.assistant_id)).not.toContain(made.assistant_id);
  });

  it("refuses the dev server's /internal/truncate to every caller, so no tenant can wipe the others", async () => {
    for (const user of ["alice", "root"]) {
      const res = await fetch(`${server.apiUrl}/internal/truncate`, { method: "POST", headers: { "content-type": "application/json", "x-api-key": tenants.key("acme", user) }, body: JSON.stringify({ threads: true, runs: true, store: true, checkpointer: true }) });
      expect(res.status).toBe(404);
    }
    expect((await clientFor("acme", "alice").threads.get(acmeThread)).thread_id).toBe(acmeThread);
  });

  it.each([
    ["POST", "commands", { id: 1, method: "run.input", params: {} }],
    ["POST", "stream/events", { channels: ["values"] }],
  ])("closes the experimental event protocol (%s /threads/{id}/%s) to other tenants and owners alike", async (method, route, body) => {
    for (const [tenant, user] of [["globex", "bob"], ["acme", "alice"]] as const) {
      const res = await fetch(`${server.apiUrl}/threads/${acmeThread}/${route}`, { method, headers: { "content-type": "application/json", "x-api-key": tenants.key(tenant, user) }, body: JSON.stringify(body) });
      expect(res.status).toBe(404);
    }
  });

  it("lets a reader read but not write", async () => {
    const reader = clientFor("acme", "rita");
    expect((await reader.threads.get(acmeThread)).thread_id).toBe(acmeThread);
    expect(await statusOf(reader.threads.create())).toBe(403);
    expect(await statusOf(reader.runs.create(acmeThread, "meta", { input: { messages: [{ role: "user", content: "hi" }] } }))).toBe(403);
  });
});

describe("limits", () => {
  it("refuses a body over KEEL_MAX_BODY_BYTES with 413, and the thread gets no run", async () => {
    const acme = clientFor("acme", "alice");
    const thread = await acme.threads.create();
    const body = JSON.stringify({ assistant_id: "meta", input: { messages: [{ role: "user", content: "x".repeat(70_000) }] } });
    const res = await fetch(`${server.apiUrl}/threads/${thread.thread_id}/runs`, { method: "POST", headers: { "content-type": "application/json", "x-api-key": tenants.key("acme", "alice") }, body });
    expect(res.status).toBe(413);
    expect(await acme.runs.list(thread.thread_id)).toEqual([]);
  });

  it("gives a tenant over its requests a minute 429 with Retry-After, and other tenants carry on", async () => {
    const headers = { "content-type": "application/json", "x-api-key": tenants.key("initech", "milton") };
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 7; i++) {
      const res = await fetch(`${server.apiUrl}/threads/search`, { method: "POST", headers, body: "{}" });
      statuses.push(res.status);
      if (res.status === 429) retryAfter = res.headers.get("retry-after");
    }
    // 5 a minute, one back every 12 s: the 6th request, right after the 5th, finds the bucket empty.
    expect(statuses.slice(0, 6)).toEqual([200, 200, 200, 200, 200, 429]);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
    expect(Number(retryAfter)).toBeLessThanOrEqual(12); // 5 a minute: one every 12 s
    expect(await statusOf(clientFor("acme", "alice").threads.search())).toBe(200);
    // The bucket is in Redis (REDIS_URL), where every server process would share it.
    const raw = new Redis(redis.url);
    try {
      expect(Number(await raw.hget("keel:rl:req:initech", "tokens"))).toBeLessThan(1);
    } finally {
      raw.disconnect();
    }
  });
});

describe("secrets", () => {
  it("appear neither in the server's log, nor in stored threads and runs, nor in the trace log", async () => {
    const acme = clientFor("acme", "alice");
    const [thread] = await acme.threads.search({ metadata: { topic: "plan" } });
    const stored = JSON.stringify([await acme.threads.get(thread!.thread_id), await acme.threads.getState(thread!.thread_id), await acme.runs.list(thread!.thread_id)]);
    // The run config does carry who it is for.
    expect(stored).toContain("acme:alice");
    // The local trace log of the runs (KEEL_DATA_DIR/traces) is checked too.
    const traceDir = path.join(process.env.KEEL_DATA_DIR!, "traces");
    const traces = fs.existsSync(traceDir) ? fs.readdirSync(traceDir, { recursive: true }).map(String).filter((f) => f.endsWith(".jsonl")).map((f) => fs.readFileSync(path.join(traceDir, f), "utf8")).join("\n") : "";
    expect(traces).toContain("acme");
    for (const secret of tenants.secrets()) {
      expect(server.log()).not.toContain(secret);
      expect(stored).not.toContain(secret);
      expect(traces).not.toContain(secret);
    }
  });
});

describe("start-up", () => {
  it("stops on a malformed tenant configuration, naming the entry", async () => {
    const bad = path.join(tenants.dir, "bad-tenants.json");
    fs.writeFileSync(bad, JSON.stringify({ tenants: { acme: { rateLimits: { tokensPerMinute: "lots" } } } }));
    const failed = await startDevServer({ env: { ...tenants.env, KEEL_TENANTS: bad, KEEL_DATA_DIR: process.env.KEEL_DATA_DIR } }).then(
      async (s) => {
        await s.stop();
        return "";
      },
      (error: Error) => error.message,
    );
    expect(failed).toContain("exited");
    expect(failed).toContain("entry tenants.acme.rateLimits.tokensPerMinute");
  }, READY_TIMEOUT_MS);
});
