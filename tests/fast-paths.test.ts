/**
 * The meta agent's fast paths end to end on the offline model: routing without a model call, the semantic cache
 * of read-only answers (paraphrase hit with no model call, near miss refused, invalidated by a write to a record
 * it read), and streaming of the agents' answer text.
 */
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { MemorySaver } from "@langchain/langgraph";
import type { KeelApp } from "../graphs/app.js";
import type { ProgressEvent, TokenEvent } from "../graphs/progress.js";
import { auditedWrite } from "../tools/shared/db-helpers.js";
import { companyDb } from "../src/db/index.js";

// Bind every tool (no retrieval index to build) and no exact model cache: this file measures the fast paths alone.
process.env.KEEL_TOOL_SELECTION = "all";
process.env.KEEL_CACHE = "off";

let app: KeelApp;
let createKeelApp: typeof import("../graphs/app.js").createKeelApp;

beforeAll(async () => {
  ({ createKeelApp } = await import("../graphs/app.js"));
  app = await createKeelApp({ checkpointer: new MemorySaver() });
});
afterAll(async () => {
  await app.close();
});

async function run(target: KeelApp, request: string, onToken?: (e: TokenEvent) => void) {
  const events: ProgressEvent[] = [];
  const turn = await target.run(request, { onProgress: (e) => events.push(e), ...(onToken ? { onToken } : {}) });
  const route = events.find((e) => e.kind === "route") as Extract<ProgressEvent, { kind: "route" }> | undefined;
  return { turn, route };
}

describe("semantic cache through the app", () => {
  it("answers a paraphrase from the cache with no model call, refuses a near miss, and forgets after a write", async () => {
    const first = await run(app, "What's the status of order ORD-10500?");
    expect(first.turn.status).toBe("answered");
    expect(first.route?.source).not.toBe("cache");
    expect(first.turn.usage.modelCalls).toBeGreaterThan(0);

    const paraphrase = await run(app, "What is order ORD-10500's status?");
    expect(paraphrase.route?.source).toBe("cache");
    expect(paraphrase.turn.usage.modelCalls).toBe(0);
    expect(paraphrase.turn.answer).toBe(first.turn.answer);
    expect(paraphrase.turn.reports.map((r) => r.route)).toEqual(first.turn.reports.map((r) => r.route));

    const nearMiss = await run(app, "What's the status of order ORD-10050?");
    expect(nearMiss.route?.source).not.toBe("cache");
    expect(nearMiss.turn.answer).toContain("ORD-10050");

    // A write to the order (as a write tool makes it: audited, in one transaction) invalidates the answer.
    const db = companyDb();
    auditedWrite({ db, actor: "test", toolName: "update_order_status" }, { order_id: "ORD-10500", status: "processing" }, (d) => {
      d.sql.prepare("UPDATE orders SET status = 'processing' WHERE id = 'ORD-10500'").run();
      return { order_id: "ORD-10500", status: "processing" };
    });
    const after = await run(app, "What's the status of order ORD-10500?");
    expect(after.route?.source).not.toBe("cache");
    expect(after.turn.usage.modelCalls).toBeGreaterThan(0);
  });

  it("never serves a request asking for an action from the cache", async () => {
    const turn = await run(app, "Escalate ticket TCK-5042 to tier 2");
    const again = await run(app, "Escalate ticket TCK-5042 to tier 2");
    expect(turn.route?.source).not.toBe("cache");
    expect(again.route?.source).not.toBe("cache");
  });
});

describe("fast routing", () => {
  it("saves exactly the router's model call, with the same routes", async () => {
    const slow = await createKeelApp({ checkpointer: new MemorySaver(), meta: { fastRouting: false, semanticCache: null } });
    try {
      const request = "Track shipment SHP-40233";
      const withModel = await run(slow, request);
      const fast = await run(app, request);
      expect(withModel.route).toMatchObject({ routes: ["shipping"], source: "model" });
      expect(fast.route).toMatchObject({ routes: ["shipping"], source: "embedding" });
      expect(withModel.turn.usage.modelCalls - fast.turn.usage.modelCalls).toBe(1);
    } finally {
      await slow.close();
    }
  });
});

describe("streaming", () => {
  it("streams each agent's answer text before the turn ends", async () => {
    const tokens: TokenEvent[] = [];
    const { turn } = await run(app, "Which carrier has the best on-time rate this month?", (e) => tokens.push(e));
    expect(tokens.length).toBeGreaterThan(0);
    expect(new Set(tokens.map((t) => t.agent))).toEqual(new Set(turn.reports.map((r) => r.route)));
    const streamed = tokens.map((t) => t.text).join("");
    expect(turn.answer).toContain(streamed.split("\n")[0]!);
  });
});
