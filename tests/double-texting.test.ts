/**
 * Double texting: what the server does with a second message on a thread while a run is still active, per
 * `multitask_strategy` (docs/api.md). The first run is created with `afterSeconds` so that it is reliably still
 * in flight (pending) when the second arrives; the thread's messages and run statuses then show what happened.
 */
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { Client, type Run } from "@langchain/langgraph-sdk";
import { READY_TIMEOUT_MS, startDevServer, type DevServer } from "./support/dev-server.js";
import { ALL_SCOPES, makeTenants } from "./support/tenants-fixture.js";

let server: DevServer;
let client: Client;

const FIRST = "What plan is customer CUS-1042 on?";
const SECOND = "Where is order ORD-10233?";

type Message = { type: string; content: unknown };

async function humanMessages(threadId: string): Promise<string[]> {
  const state = await client.threads.getState<{ messages: Message[] }>(threadId);
  return (state.values.messages ?? []).filter((m) => m.type === "human").map((m) => String(m.content));
}

async function aiCount(threadId: string): Promise<number> {
  const state = await client.threads.getState<{ messages: Message[] }>(threadId);
  return (state.values.messages ?? []).filter((m) => m.type === "ai").length;
}

function input(text: string) {
  return { input: { messages: [{ role: "user", content: text }] } };
}

/** Starts the first run, held pending for `afterSeconds`, so the second message finds it active. */
async function threadWithActiveRun(afterSeconds = 2): Promise<{ threadId: string; first: Run }> {
  const thread = await client.threads.create();
  const first = await client.runs.create(thread.thread_id, "meta", { ...input(FIRST), afterSeconds });
  return { threadId: thread.thread_id, first };
}

async function settle(threadId: string): Promise<Run[]> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const runs = await client.runs.list(threadId);
    if (runs.every((r) => r.status !== "pending" && r.status !== "running") || Date.now() > deadline) return runs;
    await new Promise((r) => setTimeout(r, 200));
  }
}

beforeAll(async () => {
  const tenants = makeTenants({ acme: { scopes: ALL_SCOPES, users: { alice: ["member"] } } });
  // Answer caches off: every run here repeats the warm-up's request, and a cached answer would end the first run
  // before the second message arrives, which is the situation these tests are about.
  server = await startDevServer({ env: { ...tenants.env, KEEL_DATA_DIR: process.env.KEEL_DATA_DIR, REDIS_URL: undefined, KEEL_SEMANTIC_CACHE: "off", KEEL_CACHE: "off" } });
  client = new Client({ apiUrl: server.apiUrl, apiKey: tenants.key("acme", "alice") });
  // Warm the graphs (embeddings, tool index) so the runs below take about a second.
  const warm = await client.threads.create();
  await client.runs.wait(warm.thread_id, "meta", input(FIRST));
}, READY_TIMEOUT_MS + 120_000);

afterAll(async () => {
  await server?.stop();
}, 30_000);

describe("a second message while a run is active", () => {
  it.each([
    ["reject (explicit)", { multitaskStrategy: "reject" as const }],
    ["reject (the default)", {}],
  ])("%s: refused with 422, the first run completes alone", async (_, options) => {
    const { threadId } = await threadWithActiveRun();
    let status = 0;
    let message = "";
    try {
      await client.runs.create(threadId, "meta", { ...input(SECOND), ...options });
    } catch (error) {
      status = (error as { status?: number }).status ?? -1;
      message = (error as Error).message;
    }
    expect(status).toBe(422);
    expect(message).toMatch(/already running/i);
    const runs = await settle(threadId);
    expect(runs.map((r) => r.status)).toEqual(["success"]);
    expect(await humanMessages(threadId)).toEqual([FIRST]);
  });

  it("enqueue: accepted, runs after the first on the same thread, both answered in order", async () => {
    // No afterSeconds here: the queue orders runs by their start time, so a scheduled first run would go second.
    const thread = await client.threads.create();
    const first = await client.runs.create(thread.thread_id, "meta", input(FIRST));
    const second = await client.runs.create(thread.thread_id, "meta", { ...input(SECOND), multitaskStrategy: "enqueue" });
    expect(second.status).toBe("pending");
    // The first was still active when the second was accepted (a warm run takes about a second).
    expect(["pending", "running"]).toContain((await client.runs.get(thread.thread_id, first.run_id)).status);
    await client.runs.join(thread.thread_id, second.run_id);
    const runs = await settle(thread.thread_id);
    expect(Object.fromEntries(runs.map((r) => [r.run_id, r.status]))).toEqual({ [first.run_id]: "success", [second.run_id]: "success" });
    expect(await humanMessages(thread.thread_id)).toEqual([FIRST, SECOND]);
    expect(await aiCount(thread.thread_id)).toBe(2);
  });

  it("enqueue with a scheduled first run: the queue goes by start time, so the second message is answered first", async () => {
    const { threadId } = await threadWithActiveRun(2);
    const second = await client.runs.create(threadId, "meta", { ...input(SECOND), multitaskStrategy: "enqueue" });
    await client.runs.join(threadId, second.run_id);
    const runs = await settle(threadId);
    expect(runs.map((r) => r.status)).toEqual(["success", "success"]);
    expect(await humanMessages(threadId)).toEqual([SECOND, FIRST]);
  });

  it("interrupt: the first run is stopped and kept as interrupted; the second runs", async () => {
    const { threadId, first } = await threadWithActiveRun();
    const second = await client.runs.create(threadId, "meta", { ...input(SECOND), multitaskStrategy: "interrupt" });
    await client.runs.join(threadId, second.run_id);
    const runs = await settle(threadId);
    expect(Object.fromEntries(runs.map((r) => [r.run_id, r.status]))).toEqual({ [first.run_id]: "interrupted", [second.run_id]: "success" });
    expect(await humanMessages(threadId)).toEqual([SECOND]);
  });

  it("rollback: the first run is stopped and deleted; only the second remains", async () => {
    const { threadId } = await threadWithActiveRun();
    const second = await client.runs.create(threadId, "meta", { ...input(SECOND), multitaskStrategy: "rollback" });
    await client.runs.join(threadId, second.run_id);
    const runs = await settle(threadId);
    expect(runs.map((r) => [r.run_id, r.status])).toEqual([[second.run_id, "success"]]);
    expect(await humanMessages(threadId)).toEqual([SECOND]);
  });
});
