/**
 * The real LangGraph dev server (`langgraphjs dev`, what LangGraph Studio talks to) serving langgraph.json, driven
 * through `@langchain/langgraph-sdk`: the graphs are registered, and an approval raised inside a task agent (a
 * subgraph of the meta graph) interrupts the thread, waits, and resumes through the API with approve or reject.
 * The company database is checked directly with SQL, so "the action did not run" and "it ran" are facts, not
 * what the agent says.
 *
 * The server runs on the built-in offline model (no OpenAI variables) against this file's own data directory.
 * It is started with `--no-reload`: with reload on, any edit in the tree (others work in it too) restarts the
 * server mid-test and drops the run in flight. Auth is off here (`KEEL_AUTH=off`: every caller is the default tenant).
 */
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import path from "node:path";
import Database from "better-sqlite3";
import { Client, type ThreadState } from "@langchain/langgraph-sdk";
import { READY_TIMEOUT_MS, startDevServer, type DevServer } from "./support/dev-server.js";

const GRAPHS = ["meta", "support", "incidents", "finance", "shipping"] as const;

interface ActionRequest {
  name: string;
  args: Record<string, unknown>;
  description?: string;
}
interface MetaValues {
  messages: { type: string; content: unknown; name?: string }[];
  reports: Record<string, { outcome: string; answer: string; tools: string[] }>;
}

let server: DevServer | undefined;
let client: Client;
let db: Database.Database;

function order(id: string): { status: string; notes: string | null } {
  return db.prepare("SELECT status, notes FROM orders WHERE id = ?").get(id) as { status: string; notes: string | null };
}

function cancelAudits(orderId: string): number {
  return db
    .prepare("SELECT COUNT(*) FROM audit_log WHERE tool = 'cancel_order' AND json_extract(args, '$.order_id') = ?")
    .pluck()
    .get(orderId) as number;
}

function pendingActions(state: ThreadState): { task: string; interruptId: string | undefined; action: ActionRequest }[] {
  return state.tasks.flatMap((task) =>
    (task.interrupts ?? []).flatMap((intr) =>
      ((intr.value as { actionRequests?: ActionRequest[] } | undefined)?.actionRequests ?? []).map((action) => ({
        task: task.name,
        interruptId: intr.id,
        action,
      })),
    ),
  );
}

function lastAiText(values: MetaValues): string {
  const ai = [...values.messages].reverse().find((m) => m.type === "ai");
  return typeof ai?.content === "string" ? ai.content : JSON.stringify(ai?.content ?? "");
}

/** Starts "cancel order <id>" on a new thread and checks it stops at an approval for exactly that cancellation. */
async function requestCancellation(orderId: string): Promise<string> {
  const thread = await client.threads.create();
  await client.runs.wait(thread.thread_id, "meta", {
    input: { messages: [{ role: "user", content: `cancel order ${orderId}` }] },
  });

  const info = await client.threads.get(thread.thread_id);
  expect(info.status).toBe("interrupted");
  const state = await client.threads.getState(thread.thread_id);
  expect(state.next).toEqual(["shipping"]);
  const pending = pendingActions(state);
  expect(pending).toHaveLength(1);
  expect(pending[0]!.task).toBe("shipping");
  expect(pending[0]!.action.name).toBe("cancel_order");
  expect(pending[0]!.action.args).toMatchObject({ order_id: orderId });
  expect(pending[0]!.action.description).toContain("destructive");
  // The thread-level view (what Studio shows) carries the same interrupt.
  const threadInterrupts = Object.values(info.interrupts ?? {}).flat();
  expect(threadInterrupts.map((i) => i.id)).toEqual([pending[0]!.interruptId]);
  return thread.thread_id;
}

beforeAll(async () => {
  const dataDir = process.env.KEEL_DATA_DIR;
  if (!dataDir) throw new Error("KEEL_DATA_DIR is not set (tests/setup.ts sets it).");
  db = new Database(path.join(dataDir, "company.sqlite"), { fileMustExist: true });
  db.pragma("busy_timeout = 5000");
  // Auth off: this file is about the graphs through the API; tests/server-auth.test.ts covers auth and tenants.
  server = await startDevServer({ env: { KEEL_DATA_DIR: dataDir, KEEL_AUTH: "off" } });
  client = new Client({ apiUrl: server.apiUrl });
}, READY_TIMEOUT_MS + 30_000);

afterAll(async () => {
  await server?.stop();
  db?.close();
}, 30_000);

describe("langgraphjs dev server", () => {
  it.each(GRAPHS)("registers an assistant for graph %s", async (graphId) => {
    const assistants = await client.assistants.search({ graphId, limit: 10 });
    expect(assistants.length).toBeGreaterThanOrEqual(1);
    expect(assistants.every((a) => a.graph_id === graphId)).toBe(true);
  });

  it("draws the meta graph with its route, task agent and merge nodes", async () => {
    const [meta] = await client.assistants.search({ graphId: "meta", limit: 1 });
    const drawn = await client.assistants.getGraph(meta!.assistant_id);
    const nodes = drawn.nodes.map((n) => String(n.id));
    expect(nodes).toEqual(expect.arrayContaining(["route", "clarify", "merge", "weekly_brief", "support", "incidents", "finance", "shipping"]));
  });

  it("pauses a cancellation for approval, does nothing until approved, then cancels the order", async () => {
    expect(order("ORD-10500").status).toBe("processing");
    const threadId = await requestCancellation("ORD-10500");

    // Interrupted before the tool ran: the database is untouched.
    expect(order("ORD-10500").status).toBe("processing");
    expect(cancelAudits("ORD-10500")).toBe(0);

    const values = (await client.runs.wait(threadId, "meta", {
      command: { resume: { decisions: [{ type: "approve" }] } },
    })) as unknown as MetaValues;

    const runs = await client.runs.list(threadId);
    expect(runs.map((r) => r.status)).toEqual(["success", "success"]);
    const info = await client.threads.get(threadId);
    expect(info.status).toBe("idle");
    expect(pendingActions(await client.threads.getState(threadId))).toEqual([]);

    const after = order("ORD-10500");
    expect(after.status).toBe("cancelled");
    expect(after.notes).toMatch(/Cancelled \d{4}-\d{2}-\d{2}: /);
    expect(cancelAudits("ORD-10500")).toBe(1);

    expect(values.reports.shipping).toMatchObject({ outcome: "completed", tools: ["cancel_order"] });
    const answer = lastAiText(values);
    expect(answer).toContain("ORD-10500");
    expect(answer).toContain("cancelled");
  });

  it("streams the approval from the shipping subgraph and leaves the order unchanged when rejected", async () => {
    const orderId = db
      .prepare("SELECT id FROM orders WHERE status IN ('pending', 'processing') AND id <> 'ORD-10500' ORDER BY id LIMIT 1")
      .pluck()
      .get() as string;
    expect(orderId).toMatch(/^ORD-\d+$/);
    const before = order(orderId);
    expect(cancelAudits(orderId)).toBe(0);

    // The first turn streamed with subgraphs, as Studio does: the interrupt is emitted inside the shipping agent's
    // namespace and again at the root.
    const thread = await client.threads.create();
    const events: { event: string; data: unknown }[] = [];
    for await (const chunk of client.runs.stream(thread.thread_id, "meta", {
      input: { messages: [{ role: "user", content: `cancel order ${orderId}` }] },
      streamMode: ["updates"],
      streamSubgraphs: true,
    })) {
      events.push(chunk as { event: string; data: unknown });
    }
    const interruptEvents = events.filter((e) => e.event.startsWith("updates") && e.data && typeof e.data === "object" && "__interrupt__" in e.data);
    expect(interruptEvents.map((e) => e.event.split(":")[0])).toEqual(["updates|shipping", "updates"]);
    const streamed = (interruptEvents[1]!.data as { __interrupt__: { value: { actionRequests: ActionRequest[] } }[] }).__interrupt__;
    expect(streamed[0]!.value.actionRequests[0]).toMatchObject({ name: "cancel_order", args: { order_id: orderId } });

    const state = await client.threads.getState(thread.thread_id);
    expect(pendingActions(state).map((p) => p.action.name)).toEqual(["cancel_order"]);
    expect(order(orderId)).toEqual(before);

    const reason = "The customer called back and wants to keep the order.";
    const values = (await client.runs.wait(thread.thread_id, "meta", {
      command: { resume: { decisions: [{ type: "reject", message: reason }] } },
    })) as unknown as MetaValues;

    expect((await client.threads.get(thread.thread_id)).status).toBe("idle");
    expect(order(orderId)).toEqual(before);
    expect(cancelAudits(orderId)).toBe(0);
    // The reviewer's message is what the agent reports, as a declined action, not as a completed one.
    expect(values.reports.shipping).toMatchObject({ outcome: "declined" });
    const answer = lastAiText(values);
    expect(answer).toContain("not taken");
    expect(answer).toContain(reason);
  });

  it("serves /metrics and /health from the custom HTTP app, with the counters the runs above moved, and writes the trace log", async () => {
    // Runs above: two cancellations (one approved, one rejected) through the meta graph on the offline model.
    const res = await fetch(`${server!.apiUrl}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/plain");
    const body = await res.text();
    const value = (pattern: RegExp) => body.split("\n").filter((l) => pattern.test(l)).reduce((sum, l) => sum + Number(l.split(" ").pop()), 0);
    expect(value(/^keel_model_calls_total\{.*agent="shipping"/)).toBeGreaterThanOrEqual(2);
    expect(value(/^keel_tokens_total\{.*agent="shipping".*direction="input"/)).toBeGreaterThan(0);
    expect(value(/^keel_tool_calls_total\{.*tool="cancel_order"/)).toBe(1); // the rejected one never ran
    expect(value(/^keel_node_duration_seconds_count\{agent="meta",node="route"\}/)).toBeGreaterThanOrEqual(2);
    expect(value(/^keel_tool_retrievals_total\{agent="shipping"/)).toBeGreaterThanOrEqual(2);

    const health = await fetch(`${server!.apiUrl}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: "ok", langsmith: "off", traceLog: "on" });

    // The server's runs are in the local trace log too, under their thread, rooted at the meta graph.
    const [thread] = await client.threads.search({ limit: 1 });
    const { readTraceRuns, traceRoots } = await import("../src/observability/trace-log.js");
    const runs = readTraceRuns(thread!.thread_id, path.join(process.env.KEEL_DATA_DIR!, "traces"));
    expect(runs.some((r) => r.kind === "llm")).toBe(true);
    expect(traceRoots(runs).map((r) => r.name)).toContain("meta");
  });

  it("keeps store items put through the SDK; the dev server does not apply langgraph.json's store index", async () => {
    // langgraph.json declares `store.index` (USE-Lite, 512 dims, texts[*]) for deployed servers; src/retrieval/
    // tool-store.test.ts checks that declaration. `langgraphjs dev` (@langchain/langgraph-api 1.5.1) ignores it:
    // its store is an InMemoryStore without an index, so a query neither ranks by meaning nor scores. When this
    // starts failing on scores, the dev server applies the index: assert the ranking instead.
    // Store namespaces start with the tenant id (src/auth/langgraph-auth.ts); with auth off the tenant is `default`.
    const ns = ["default", "studio-test", String(Date.now())];
    await client.store.putItem(ns, "refund", { name: "issue_refund", texts: ["Refunds a payment to the customer.", "give the money back"] });
    await client.store.putItem(ns, "track", { name: "track_shipment", texts: ["Tracking events of a parcel from the carrier."] });

    expect((await client.store.getItem(ns, "track"))?.value).toMatchObject({ name: "track_shipment" });
    const found = await client.store.searchItems(ns, { query: "where is my parcel?", limit: 10 });
    expect(found.items.map((i) => i.key).sort()).toEqual(["refund", "track"]);
    expect(found.items.map((i) => i.score ?? null)).toEqual([null, null]);
    const filtered = await client.store.searchItems(ns, { query: "where is my parcel?", filter: { name: "track_shipment" } });
    expect(filtered.items.map((i) => i.key)).toEqual(["track"]);
  });
});
