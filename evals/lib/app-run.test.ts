import { describe, it, expect, afterAll, beforeAll } from "vitest";
import { companyDb } from "../../src/db/index.js";
import { AppRunner } from "./app-run.js";

const runner = await AppRunner.open();
// The first run embeds the tool catalogue into this file's fresh data directory (cold cache): slow on a busy machine.
beforeAll(() => runner.run({ request: "List our shipping carriers" }), 300_000);
afterAll(() => runner.close());
const status = (id: string) => companyDb().sql.prepare("SELECT status FROM orders WHERE id = ?").pluck().get(id);

describe("running an example through the app", () => {
  it("records the calls, the approval, the rows changed and the cost, then restores the data", async () => {
    const run = await runner.run({ request: "Cancel order ORD-10500", approvals: ["approve"] });
    expect(run.status).toBe("answered");
    expect(run.routes).toEqual(["shipping"]);
    expect(run.toolCalls).toEqual([expect.objectContaining({ agent: "shipping", name: "cancel_order", args: expect.objectContaining({ order_id: "ORD-10500" }), ok: true })]);
    expect(run.approvals).toEqual([expect.objectContaining({ kind: "action", tool: "cancel_order", decision: "approve" })]);
    expect(run.changes).toContainEqual(expect.objectContaining({ table: "orders", op: "update", key: "ORD-10500", after: expect.objectContaining({ status: "cancelled" }) }));
    expect(run.usage.inputTokens).toBeGreaterThan(0);
    expect(run.latencyMs).toBeGreaterThan(0);
    expect(status("ORD-10500")).toBe("processing");
  });

  it("a rejected action changes nothing and the rejection is what the agent saw", async () => {
    const run = await runner.run({ request: "Cancel order ORD-10500", approvals: ["reject"] });
    expect(run.toolCalls[0]).toMatchObject({ name: "cancel_order", ok: false });
    expect(run.changes.filter((c) => c.table === "orders")).toEqual([]);
  });

  it("an invalid request is an error of the run, not a crash of the suite", async () => {
    const run = await runner.run({ request: "   " });
    expect(run.status).toBe("error");
    expect(run.error).toMatch(/empty|request/i);
  });
});
