import { describe, it, expect, beforeAll, afterAll } from "vitest";
import Database from "better-sqlite3";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { openCompanyDb, type CompanyDb } from "./index.js";
import { ID_PATTERNS, SERVICES } from "./reference-data.js";
import { SCHEMA_SQL } from "./schema.js";
import { REFERENCE_NOW, STORY, seedCompanyDatabase, type SeedOptions } from "./seed.js";

const NOW = Date.parse(REFERENCE_NOW);
const HOUR = 3_600_000;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "keel-seed-test-"));
let db: CompanyDb;
let twin: CompanyDb;
let otherSeed: CompanyDb;
let seedCpuMs = 0;

beforeAll(() => {
  // CPU time rather than wall time: other test files run in parallel processes and would make wall time flaky.
  const started = process.cpuUsage();
  db = openCompanyDb(path.join(dir, "a.sqlite"));
  const used = process.cpuUsage(started);
  seedCpuMs = (used.user + used.system) / 1000;
  twin = openCompanyDb(path.join(dir, "b.sqlite"));
  otherSeed = openCompanyDb(path.join(dir, "c.sqlite"), { seed: 7 });
});

afterAll(() => {
  for (const d of [db, twin, otherSeed]) d?.sql.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const get = <T>(sql: string, ...params: unknown[]) => db.sql.prepare(sql).get(...params) as T;
const all = <T>(sql: string, ...params: unknown[]) => db.sql.prepare(sql).all(...params) as T[];
const count = (sql: string, ...params: unknown[]) => db.sql.prepare(sql).pluck().get(...params) as number;

const TABLES = [
  "meta", "plans", "customers", "tickets", "ticket_messages", "credits", "invoices", "payments", "refunds", "carriers",
  "orders", "shipments", "shipment_events", "services", "incidents", "incident_updates", "metrics", "logs",
  "channel_messages", "kb_articles",
];

/** Hash of a table's full content in a stable order. */
function tableHash(d: CompanyDb, table: string): string {
  const rows = d.sql.prepare(`SELECT * FROM ${table} ORDER BY 1, 2`).raw().all();
  return crypto.createHash("sha256").update(JSON.stringify(rows)).digest("hex");
}

describe("seed: size and integrity", () => {
  it("seeds in under 3 s", () => {
    expect(seedCpuMs).toBeLessThan(3000);
  });

  it("has at least 1000 customers, 10000 orders and about 3000 tickets", () => {
    expect(count("SELECT COUNT(*) FROM customers")).toBeGreaterThanOrEqual(1000);
    expect(count("SELECT COUNT(*) FROM orders")).toBeGreaterThanOrEqual(10000);
    expect(count("SELECT COUNT(*) FROM tickets")).toBeGreaterThanOrEqual(2500);
  });

  it.each(TABLES)("fills %s", (table) => {
    expect(count(`SELECT COUNT(*) FROM ${table}`)).toBeGreaterThan(0);
  });

  it.each(["audit_log", "pages"])("leaves %s empty", (table) => {
    expect(count(`SELECT COUNT(*) FROM ${table}`)).toBe(0);
  });

  it("has no foreign key violations", () => {
    expect(db.sql.prepare("PRAGMA foreign_key_check").all()).toEqual([]);
  });

  it.each([
    ["customers", "id", ID_PATTERNS.customer_id],
    ["tickets", "id", ID_PATTERNS.ticket_id],
    ["invoices", "id", ID_PATTERNS.invoice_id],
    ["payments", "id", ID_PATTERNS.payment_id],
    ["orders", "id", ID_PATTERNS.order_id],
    ["shipments", "id", ID_PATTERNS.shipment_id],
    ["incidents", "id", ID_PATTERNS.incident_id],
    ["kb_articles", "id", ID_PATTERNS.article_id],
  ] as const)("every %s.%s matches its id pattern", (table, column, pattern) => {
    const ids = db.sql.prepare(`SELECT ${column} FROM ${table}`).pluck().all() as string[];
    expect(ids.filter((id) => !pattern.test(id))).toEqual([]);
  });

  it.each([
    ["customers", "created_at"],
    ["tickets", "created_at"],
    ["tickets", "first_response_at"],
    ["tickets", "resolved_at"],
    ["ticket_messages", "created_at"],
    ["credits", "created_at"],
    ["invoices", "issued_at"],
    ["payments", "created_at"],
    ["refunds", "created_at"],
    ["orders", "created_at"],
    ["shipments", "shipped_at"],
    ["shipments", "delivered_at"],
    ["shipment_events", "created_at"],
    ["incidents", "started_at"],
    ["incidents", "resolved_at"],
    ["incident_updates", "created_at"],
    ["metrics", "ts"],
    ["logs", "ts"],
    ["channel_messages", "created_at"],
  ])("every %s.%s is an ISO date before REFERENCE_NOW", (table, column) => {
    const values = db.sql.prepare(`SELECT ${column} FROM ${table} WHERE ${column} IS NOT NULL`).pluck().all() as string[];
    const bad = values.filter((v) => !/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(v) || Date.parse(v) >= NOW);
    expect(bad).toEqual([]);
  });

  it("bills the periods 2026-06..2026-11 with integer cents", () => {
    expect(db.sql.prepare("SELECT DISTINCT period FROM invoices ORDER BY period").pluck().all()).toEqual([
      "2026-06", "2026-07", "2026-08", "2026-09", "2026-10", "2026-11",
    ]);
    expect(count("SELECT COUNT(*) FROM invoices WHERE typeof(amount_cents) <> 'integer' OR amount_cents <= 0")).toBe(0);
    expect(count("SELECT COUNT(*) FROM payments WHERE status = 'failed'")).toBeGreaterThan(0);
    expect(count("SELECT COUNT(*) FROM refunds")).toBeGreaterThan(0);
  });

  it("matches order totals to their items", () => {
    const rows = all<{ total_cents: number; items: string }>("SELECT total_cents, items FROM orders");
    const wrong = rows.filter((r) => {
      const items = JSON.parse(r.items) as { qty: number; price_cents: number }[];
      return items.length === 0 || items.reduce((s, i) => s + i.qty * i.price_cents, 0) !== r.total_cents;
    });
    expect(wrong).toEqual([]);
  });

  it("gives shipments only to shipped, delivered and returned orders, each with 2-5 events", () => {
    expect(count("SELECT COUNT(*) FROM shipments s JOIN orders o ON o.id = s.order_id WHERE o.status NOT IN ('shipped','delivered','returned')")).toBe(0);
    expect(count("SELECT COUNT(*) FROM orders o WHERE o.status IN ('shipped','delivered','returned') AND NOT EXISTS (SELECT 1 FROM shipments s WHERE s.order_id = o.id)")).toBe(0);
    expect(count("SELECT COUNT(*) FROM shipments s WHERE (SELECT COUNT(*) FROM shipment_events e WHERE e.shipment_id = s.id) NOT BETWEEN 2 AND 5")).toBe(0);
  });

  it("has hourly metrics for every service over the 7 days before REFERENCE_NOW", () => {
    expect(count("SELECT COUNT(*) FROM metrics")).toBe(SERVICES.length * 168);
    expect(count("SELECT COUNT(DISTINCT service_id) FROM metrics")).toBe(SERVICES.length);
  });
});

describe("seed: determinism", () => {
  it.each(TABLES)("the same seed gives identical %s", (table) => {
    expect(tableHash(twin, table)).toBe(tableHash(db, table));
  });

  it("a different seed gives different data", () => {
    for (const table of ["customers", "orders", "tickets", "payments"]) expect(tableHash(otherSeed, table)).not.toBe(tableHash(db, table));
  });

  it.each(["plans", "carriers", "kb_articles"])("reference table %s does not depend on the seed", (table) => {
    expect(tableHash(otherSeed, table)).toBe(tableHash(db, table));
  });

  it.each<[string, SeedOptions]>([
    ["too few customers", { customers: 100 }],
    ["too many customers", { customers: 9001 }],
    ["too few orders", { orders: 10 }],
    ["too many orders", { orders: 60001 }],
    ["a fractional seed", { seed: 1.5 }],
  ])("rejects %s", (_label, options) => {
    const sql = new Database(":memory:");
    sql.exec(SCHEMA_SQL);
    expect(() => seedCompanyDatabase(sql, options)).toThrow(RangeError);
    sql.close();
  });
});

describe.each([
  ["seed 42", () => db],
  ["seed 7", () => otherSeed],
])("seed: story records (%s)", (_label, handle) => {
  const q = <T>(sql: string, ...params: unknown[]) => handle().sql.prepare(sql).get(...params) as T;
  const rows = <T>(sql: string, ...params: unknown[]) => handle().sql.prepare(sql).all(...params) as T[];

  it("CUS-1042 was charged twice for its paid 2026-11 invoice and has an open billing ticket about it", () => {
    const s = STORY.duplicateCharge;
    expect(q("SELECT status, plan_id FROM customers WHERE id = ?", s.customerId)).toEqual({ status: "active", plan_id: "PLAN-PRO" });
    const invoice = q<{ customer_id: string; period: string; status: string; amount_cents: number }>("SELECT * FROM invoices WHERE id = ?", s.invoiceId);
    expect(invoice).toMatchObject({ customer_id: s.customerId, period: "2026-11", status: "paid" });
    const payments = rows<{ id: string; status: string; method: string; amount_cents: number; card_last4: string; created_at: string }>(
      "SELECT * FROM payments WHERE invoice_id = ? ORDER BY created_at",
      s.invoiceId,
    );
    expect(payments.map((p) => p.id)).toEqual([...s.paymentIds]);
    for (const p of payments) expect(p).toMatchObject({ status: "succeeded", method: "card", amount_cents: invoice.amount_cents, card_last4: payments[0]!.card_last4 });
    expect(payments[0]!.card_last4).toMatch(/^\d{4}$/);
    expect(Date.parse(payments[1]!.created_at) - Date.parse(payments[0]!.created_at)).toBe(90_000);
    const ticket = q<{ customer_id: string; category: string; status: string; subject: string }>("SELECT * FROM tickets WHERE id = ?", s.ticketId);
    expect(ticket).toMatchObject({ customer_id: s.customerId, category: "billing", status: "open" });
    expect(ticket.subject).toMatch(/charged twice/i);
  });

  it("ORD-10233 is shipped with a UPS shipment stuck in exception at a hub for 6 days", () => {
    const s = STORY.stuckShipment;
    expect(q("SELECT status, customer_id FROM orders WHERE id = ?", s.orderId)).toEqual({ status: "shipped", customer_id: s.customerId });
    const shipments = rows<{ id: string; carrier_id: string; status: string; delivered_at: string | null }>("SELECT * FROM shipments WHERE order_id = ?", s.orderId);
    expect(shipments).toEqual([expect.objectContaining({ id: s.shipmentId, carrier_id: "CAR-UPS", status: "exception", delivered_at: null })]);
    const events = rows<{ status: string; location: string; created_at: string }>("SELECT * FROM shipment_events WHERE shipment_id = ? ORDER BY created_at", s.shipmentId);
    const last = events.at(-1)!;
    expect(last.status).toBe("exception");
    expect(last.location).toMatch(/hub/i);
    expect(NOW - Date.parse(last.created_at)).toBe(6 * 24 * HOUR);
    const ticket = q<{ customer_id: string; category: string; status: string; subject: string }>("SELECT * FROM tickets WHERE id = ?", s.ticketId);
    expect(ticket).toMatchObject({ customer_id: s.customerId, category: "shipping", status: "open" });
    expect(ticket.subject).toContain(s.orderId);
  });

  it("ORD-10500 is processing and has no shipment yet", () => {
    expect(q<{ status: string }>("SELECT status FROM orders WHERE id = ?", STORY.addressChange.orderId).status).toBe("processing");
    expect(rows("SELECT id FROM shipments WHERE order_id = ?", STORY.addressChange.orderId)).toEqual([]);
  });

  it("payments-api is degraded by an open sev2 incident with matching metrics, logs and channel messages", () => {
    const s = STORY.paymentsIncident;
    expect(q<{ status: string }>("SELECT status FROM services WHERE id = ?", s.serviceId).status).toBe("degraded");
    const incident = q<{ service_id: string; status: string; severity: string; started_at: string; resolved_at: string | null; title: string }>(
      "SELECT * FROM incidents WHERE id = ?",
      s.incidentId,
    );
    expect(incident).toMatchObject({ service_id: s.serviceId, status: "investigating", severity: "sev2", resolved_at: null });
    expect(incident.title).toMatch(/5xx/);
    expect(NOW - Date.parse(incident.started_at)).toBe(2 * HOUR);

    const errorRate = (from: number, to: number) =>
      q<{ r: number }>("SELECT MAX(error_rate) AS r FROM metrics WHERE service_id = ? AND ts >= ? AND ts < ?", s.serviceId, new Date(from).toISOString(), new Date(to).toISOString()).r;
    const baseline = q<{ r: number }>("SELECT AVG(error_rate) AS r FROM metrics WHERE service_id = ? AND ts < ?", s.serviceId, new Date(NOW - 2 * HOUR).toISOString()).r;
    expect(errorRate(NOW - 2 * HOUR, NOW)).toBeGreaterThan(0.05);
    expect(errorRate(NOW - 2 * HOUR, NOW)).toBeGreaterThan(10 * baseline);

    const recentErrors = q<{ n: number }>("SELECT COUNT(*) AS n FROM logs WHERE service_id = ? AND level = 'error' AND ts >= ?", s.serviceId, incident.started_at).n;
    expect(recentErrors).toBeGreaterThanOrEqual(20);
    const mentions = q<{ n: number }>("SELECT COUNT(*) AS n FROM channel_messages WHERE channel = ? AND created_at >= ?", s.channel, incident.started_at).n;
    expect(mentions).toBeGreaterThanOrEqual(5);
  });

  it("every other service is operational except at most one degraded tier-3 service", () => {
    const others = rows<{ id: string; tier: number; status: string }>("SELECT id, tier, status FROM services WHERE id <> ?", STORY.paymentsIncident.serviceId);
    const notOperational = others.filter((s) => s.status !== "operational");
    expect(notOperational.length).toBeLessThanOrEqual(1);
    for (const s of notOperational) expect(s).toMatchObject({ tier: 3, status: "degraded" });
    expect(rows("SELECT id FROM incidents WHERE status <> 'resolved' AND service_id NOT IN (SELECT id FROM services WHERE status <> 'operational')")).toEqual([]);
  });

  it("CUS-1100 (Enterprise) has an urgent ticket whose first response breached the 1 h SLA", () => {
    const s = STORY.slaBreach;
    expect(q<{ plan_id: string }>("SELECT plan_id FROM customers WHERE id = ?", s.customerId).plan_id).toBe("PLAN-ENTERPRISE");
    const t = q<{ customer_id: string; priority: string; created_at: string; first_response_at: string }>("SELECT * FROM tickets WHERE id = ?", s.ticketId);
    expect(t).toMatchObject({ customer_id: s.customerId, priority: "urgent" });
    const slaHours = q<{ h: number }>("SELECT sla_first_response_h AS h FROM plans WHERE id = 'PLAN-ENTERPRISE'").h;
    expect(slaHours).toBe(1);
    expect(Date.parse(t.first_response_at) - Date.parse(t.created_at)).toBeGreaterThan(slaHours * HOUR);
  });
});

describe("seed: knowledge base", () => {
  it.each(SERVICES.map((s) => s.id))("service %s has exactly one runbook", (serviceId) => {
    const runbooks = all<{ id: string }>("SELECT id FROM kb_articles WHERE kind = 'runbook' AND service_id = ?", serviceId);
    expect(runbooks).toHaveLength(1);
    expect(runbooks[0]!.id).toMatch(/^KB-1\d\d$/);
  });

  it("numbers policies KB-001.., runbooks KB-101.. and FAQs KB-201..", () => {
    const byKind = all<{ id: string; kind: string }>("SELECT id, kind FROM kb_articles");
    for (const a of byKind) expect(a.id[3]).toBe({ policy: "0", runbook: "1", faq: "2" }[a.kind]);
    expect(byKind.filter((a) => a.kind === "policy").length).toBeGreaterThanOrEqual(15);
    expect(byKind.filter((a) => a.kind === "faq").length).toBeGreaterThanOrEqual(3);
    expect(count("SELECT COUNT(*) FROM kb_articles WHERE kind <> 'runbook' AND service_id IS NOT NULL")).toBe(0);
  });

  it.each([
    ["KB-001", /refund/i, /30 days/],
    ["KB-002", /service credit/i, /\$50/],
    ["KB-003", /address/i, /before the order ships|before it ships/],
    ["KB-004", /lost|delayed/i, /exception/],
    ["KB-005", /escalation/i, /escalate/i],
  ])("%s is the %s policy", (id, title, content) => {
    const a = get<{ kind: string; title: string; body: string }>("SELECT * FROM kb_articles WHERE id = ?", id);
    expect(a.kind).toBe("policy");
    expect(a.title).toMatch(title);
    expect(a.body).toMatch(content);
  });

  it("KB-001 refunds duplicate charges in full and KB-002 requires approval above $50", () => {
    expect(get<{ body: string }>("SELECT body FROM kb_articles WHERE id = 'KB-001'").body).toMatch(/duplicate charges are always refunded in full/i);
    expect(get<{ body: string }>("SELECT body FROM kb_articles WHERE id = 'KB-002'").body).toMatch(/above \$50\.00 require approval by a human/i);
  });

  it.each([
    /refund/i, /service credit/i, /address/i, /lost|delayed/i, /escalation/i, /privacy/i, /cancellation/i, /invoice dispute/i,
    /payment method/i, /upgrade|downgrade/i, /sla/i, /on-call|paging/i, /status page/i, /return/i, /chargeback/i,
  ])("has a policy about %s", (topic) => {
    const titles = db.sql.prepare("SELECT title FROM kb_articles WHERE kind = 'policy'").pluck().all() as string[];
    expect(titles.some((t) => topic.test(t))).toBe(true);
  });

  it("writes substantive article bodies", () => {
    const short = all<{ id: string }>("SELECT id FROM kb_articles WHERE length(body) < 200");
    expect(short).toEqual([]);
  });
});
