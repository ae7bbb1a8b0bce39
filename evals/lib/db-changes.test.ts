import { describe, it, expect } from "vitest";
import crypto from "node:crypto";
import { companyDb } from "../../src/db/index.js";
import { inSandbox } from "./db-changes.js";

const sql = () => companyDb().sql;
const fingerprint = (table: string) => crypto.createHash("sha256").update(JSON.stringify(sql().prepare(`SELECT rowid, * FROM ${table} ORDER BY rowid`).raw().all())).digest("hex");

describe("database sandbox", () => {
  it("reports the net change of each row and puts everything back", async () => {
    const before = { orders: fingerprint("orders"), credits: fingerprint("credits"), ticket_messages: fingerprint("ticket_messages") };
    const { value, changes } = await inSandbox(sql(), async () => {
      sql().prepare("UPDATE orders SET status = 'cancelled' WHERE id = 'ORD-10500'").run();
      sql().prepare("UPDATE orders SET notes = 'twice' WHERE id = 'ORD-10500'").run();
      sql().prepare("INSERT INTO credits (id, customer_id, amount_cents, reason, created_at) VALUES ('CRD-9999', 'CUS-1042', 500, 'test', '2026-11-16T09:00:00Z')").run();
      sql().prepare("INSERT INTO credits (id, customer_id, amount_cents, reason, created_at) VALUES ('CRD-9998', 'CUS-1042', 100, 'gone again', '2026-11-16T09:00:00Z')").run();
      sql().prepare("DELETE FROM credits WHERE id = 'CRD-9998'").run();
      const victim = sql().prepare("SELECT id FROM ticket_messages ORDER BY rowid LIMIT 1").pluck().get() as string;
      sql().prepare("DELETE FROM ticket_messages WHERE id = ?").run(victim);
      return victim;
    });
    expect(changes.map((c) => `${c.op} ${c.table} ${c.key}`).sort()).toEqual([`delete ticket_messages ${value}`, "insert credits CRD-9999", "update orders ORD-10500"]);
    const order = changes.find((c) => c.table === "orders")!;
    expect(order.before).toMatchObject({ status: "processing" });
    expect(order.after).toMatchObject({ status: "cancelled", notes: "twice" });
    expect({ orders: fingerprint("orders"), credits: fingerprint("credits"), ticket_messages: fingerprint("ticket_messages") }).toEqual(before);
  });

  it("a table the run creates survives (only its rows' changes are undone), and is tracked in the next sandbox", async () => {
    await inSandbox(sql(), async () => {
      sql().exec("CREATE TABLE IF NOT EXISTS lazy_versions (key TEXT PRIMARY KEY, version INTEGER NOT NULL)");
      sql().prepare("INSERT INTO lazy_versions VALUES ('a', 1)").run();
    });
    expect(sql().prepare("SELECT COUNT(*) FROM lazy_versions").pluck().get()).toBe(1);
    const { changes } = await inSandbox(sql(), async () => sql().prepare("INSERT INTO lazy_versions VALUES ('b', 1)").run());
    expect(changes.map((c) => `${c.op} ${c.table} ${c.key}`)).toEqual(["insert lazy_versions 2"]);
    expect(sql().prepare("SELECT key FROM lazy_versions").pluck().all()).toEqual(["a"]);
  });

  it("undoes the changes even when the run throws", async () => {
    const before = fingerprint("orders");
    await expect(
      inSandbox(sql(), async () => {
        sql().prepare("UPDATE orders SET status = 'cancelled' WHERE id = 'ORD-10036'").run();
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    expect(fingerprint("orders")).toBe(before);
  });
});
