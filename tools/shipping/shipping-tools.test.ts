import { describe, expect, it } from "vitest";
import { companyDb } from "../../src/db/index.js";
import { CARRIERS } from "../../src/db/reference-data.js";
import { STORY } from "../../src/db/seed.js";
import { SIDE_EFFECTS, type KeelTool } from "../../src/toolkit/define-tool.js";
import { ONE_AUDIT_ROW, SNAKE_CASE, callTool, expectCompleteTool, expectLastAudit, expectRefused, withChanges } from "../shared/tool-testing.js";
import { shippingTools } from "./index.js";

const tool = (name: string) => {
  const t = shippingTools.find((x) => x.name === name);
  if (!t) throw new Error(`no tool ${name}`);
  return t as KeelTool<any>;
};
const db = () => companyDb();
const nowIso = () => db().referenceNow.toISOString();
const { orderId: STUCK_ORDER, customerId: STUCK_CUSTOMER, shipmentId: STUCK_SHIPMENT } = STORY.stuckShipment;
const ADDRESS_ORDER = STORY.addressChange.orderId;

/** An order in `status`, other than the story orders, picked by SQL so tests never hard-code generated ids. */
const orderIn = (status: string, offset = 0) =>
  db()
    .sql.prepare("SELECT id FROM orders WHERE status = ? AND id NOT IN (?, ?) ORDER BY id LIMIT 1 OFFSET ?")
    .pluck()
    .get(status, STUCK_ORDER, ADDRESS_ORDER, offset) as string;

describe("shipping tools: metadata", () => {
  const expected: Record<string, (typeof SIDE_EFFECTS)[number]> = {
    get_order: "read",
    list_customer_orders: "read",
    get_shipment: "read",
    track_shipment: "read",
    find_delayed_shipments: "read",
    list_carriers: "read",
    get_carrier_performance: "read",
    update_shipping_address: "write",
    update_order_status: "write",
    cancel_order: "destructive",
    notify_customer_shipping: "egress",
  };

  it("has at least 10 tools with unique snake_case names", () => {
    expect(shippingTools.length).toBeGreaterThanOrEqual(10);
    const names = shippingTools.map((t) => t.name);
    expect(new Set(names).size).toBe(names.length);
    for (const n of names) expect(n).toMatch(SNAKE_CASE);
    expect([...names].sort()).toEqual(Object.keys(expected).sort());
  });

  it.each(Object.entries(expected))("%s is a complete %s tool", (name, sideEffect) => {
    const t = tool(name);
    const m = t.metadata;
    expectCompleteTool(t, "shipping", sideEffect);
    if (sideEffect === "read") expect(m.scopes).toEqual(["shipping:read"]);
    if (sideEffect === "write" || sideEffect === "destructive") expect(m.scopes).toContain("shipping:write");
    if (sideEffect === "egress") expect(m.scopes).toContain("comms:send");
  });
});

describe("shipping tools: reads", () => {
  it("get_order returns the stuck order with items, address and its shipment", async () => {
    const r = await callTool(tool("get_order"), { order_id: STUCK_ORDER });
    expect(r.ok).toBe(true);
    const row = db().sql.prepare("SELECT * FROM orders WHERE id = ?").get(STUCK_ORDER) as any;
    expect(r.data).toMatchObject({ id: STUCK_ORDER, customer_id: STUCK_CUSTOMER, status: row.status, total_cents: row.total_cents, shipping_address: row.shipping_address });
    expect(r.data.items).toHaveLength(JSON.parse(row.items).length);
    expect(r.data.address_changeable).toBe(false);
    expect(r.data.shipments.map((s: any) => s.id)).toEqual([STUCK_SHIPMENT]);
    expect(r.data.shipments[0]).toMatchObject({ carrier_id: "CAR-UPS", status: "exception" });
  });

  it("get_order shows the processing order as still changeable, with no shipment", async () => {
    const r = await callTool(tool("get_order"), { order_id: ADDRESS_ORDER });
    expect(r.data).toMatchObject({ id: ADDRESS_ORDER, status: "processing", address_changeable: true, cancellable: true, shipments: [] });
  });

  it("list_customer_orders matches SQL, newest first, and filters by status", async () => {
    const customer = db().sql.prepare("SELECT customer_id FROM orders GROUP BY customer_id HAVING COUNT(*) >= 5 ORDER BY customer_id LIMIT 1").pluck().get() as string;
    const r = await callTool(tool("list_customer_orders"), { customer_id: customer, limit: 3 });
    const ids = db().sql.prepare("SELECT id FROM orders WHERE customer_id = ? ORDER BY created_at DESC, id DESC").pluck().all(customer);
    expect(r.data.total_matched).toBe(ids.length);
    expect(r.data.orders.map((o: any) => o.id)).toEqual(ids.slice(0, 3));
    const stuck = await callTool(tool("list_customer_orders"), { customer_id: STUCK_CUSTOMER, status: "shipped" });
    expect(stuck.data.orders.map((o: any) => o.id)).toContain(STUCK_ORDER);
    for (const o of stuck.data.orders) expect(o.status).toBe("shipped");
  });

  it.each([
    [{ order_id: STUCK_ORDER }],
    [{ shipment_id: STUCK_SHIPMENT }],
    [{ shipment_id: STUCK_SHIPMENT, order_id: STUCK_ORDER }],
  ])("get_shipment %j returns the stuck UPS shipment", async (args) => {
    const r = await callTool(tool("get_shipment"), args);
    expect(r.ok).toBe(true);
    const row = db().sql.prepare("SELECT * FROM shipments WHERE id = ?").get(STUCK_SHIPMENT) as any;
    expect(r.data).toMatchObject({ id: STUCK_SHIPMENT, order_id: STUCK_ORDER, carrier_id: "CAR-UPS", status: "exception", tracking_number: row.tracking_number, eta: row.eta });
    expect(r.data.late).toBe(true);
    expect(r.data.tracking_url).toContain(row.tracking_number);
    expect(r.data.latest_event.status).toBe("exception");
  });

  it("track_shipment returns all events oldest first and the days since the shipment last moved", async () => {
    const r = await callTool(tool("track_shipment"), { order_id: STUCK_ORDER });
    expect(r.ok).toBe(true);
    const events = db().sql.prepare("SELECT id, created_at FROM shipment_events WHERE shipment_id = ? ORDER BY created_at, id").all(STUCK_SHIPMENT) as any[];
    expect(r.data.events.map((e: any) => e.id)).toEqual(events.map((e) => e.id));
    expect(r.data.total_events).toBe(events.length);
    expect(r.data.past_eta).toBe(true);
    const days = Math.floor((db().referenceNow.getTime() - Date.parse(events[events.length - 1].created_at)) / 86_400_000);
    expect(r.data.days_since_last_event).toBe(days);
    expect(r.data.days_since_last_event).toBe(6);
  });

  it("find_delayed_shipments lists exactly the exception and past-eta undelivered shipments", async () => {
    const r = await callTool(tool("find_delayed_shipments"), { limit: 50 });
    expect(r.ok).toBe(true);
    const ids = db()
      .sql.prepare(
        `SELECT id FROM shipments WHERE delivered_at IS NULL AND status NOT IN ('delivered','returned') AND shipped_at <= ?
           AND (status = 'exception' OR eta < ?) ORDER BY id`,
      )
      .pluck()
      .all(nowIso(), nowIso()) as string[];
    expect(r.data.total_delayed).toBe(ids.length);
    expect(r.data.shipments.length).toBe(Math.min(50, ids.length));
    for (const s of r.data.shipments) expect(ids).toContain(s.shipment_id);
    expect(r.data.shipments.map((s: any) => s.shipment_id)).toContain(STUCK_SHIPMENT);
    const days = r.data.shipments.map((s: any) => s.days_late);
    expect([...days].sort((a, b) => b - a)).toEqual(days);
    const ups = await callTool(tool("find_delayed_shipments"), { carrier_id: "CAR-UPS" });
    for (const s of ups.data.shipments) expect(s.carrier_id).toBe("CAR-UPS");
  });

  it("list_carriers returns every carrier", async () => {
    const r = await callTool(tool("list_carriers"), {});
    expect(r.data.carriers.map((c: any) => c.id).sort()).toEqual(CARRIERS.map((c) => c.id).sort());
  });

  it("get_carrier_performance computes on-time rates from shipments due in the window", async () => {
    const r = await callTool(tool("get_carrier_performance"), { carrier_id: "CAR-UPS", from_date: "2026-10-01", to_date: "2026-10-31" });
    expect(r.ok).toBe(true);
    const rows = db()
      .sql.prepare("SELECT eta, delivered_at FROM shipments WHERE carrier_id = 'CAR-UPS' AND eta >= '2026-10-01T00:00:00.000Z' AND eta < '2026-11-01T00:00:00.000Z'")
      .all() as { eta: string; delivered_at: string | null }[];
    const onTime = rows.filter((s) => s.delivered_at && s.delivered_at <= s.eta).length;
    const c = r.data.carriers[0];
    expect(r.data.carriers).toHaveLength(1);
    expect(c).toMatchObject({ carrier_id: "CAR-UPS", shipments: rows.length, on_time: onTime });
    expect(c.on_time_rate).toBeCloseTo(onTime / (c.on_time + c.late + c.overdue), 3);
    expect(c.on_time_rate).toBeGreaterThan(0.5);
    const all = await callTool(tool("get_carrier_performance"), {});
    expect(all.data.carriers.map((x: any) => x.carrier_id).sort()).toEqual(CARRIERS.map((x) => x.id).sort());
  });
});

describe("shipping tools: bad arguments and unknown ids", () => {
  it.each<[string, Record<string, unknown>, string]>([
    ["get_order", { order_id: "10233" }, "order_id"],
    ["get_order", {}, "order_id"],
    ["list_customer_orders", { customer_id: "CUS-1077", limit: 500 }, "limit"],
    ["list_customer_orders", { customer_id: "CUS-1077", status: "lost" }, "status"],
    ["get_shipment", {}, "order_id"],
    ["get_shipment", { shipment_id: "SHP-1" }, "shipment_id"],
    ["track_shipment", { order_id: "ORD-1" }, "order_id"],
    ["find_delayed_shipments", { carrier_id: "CAR-ACME" }, "carrier_id"],
    ["get_carrier_performance", { from_date: "11/01/2026" }, "from_date"],
    ["get_carrier_performance", { from_date: "2026-11-10", to_date: "2026-11-01" }, "to_date"],
    ["update_shipping_address", { order_id: ADDRESS_ORDER, address: "short" }, "address"],
    ["update_shipping_address", { order_id: ADDRESS_ORDER }, "address"],
    ["update_order_status", { order_id: ADDRESS_ORDER, status: "teleported" }, "status"],
    ["cancel_order", { order_id: ADDRESS_ORDER }, "reason"],
    ["notify_customer_shipping", { order_id: STUCK_ORDER, message: "hi" }, "message"],
  ])("%s %j -> invalid_arguments on %s, nothing changed", async (name, args, field) => {
    await expectRefused(db(), tool(name), args, "invalid_arguments", field);
  });

  it.each<[string, Record<string, unknown>, string]>([
    ["get_order", { order_id: "ORD-99999" }, "order_id"],
    ["list_customer_orders", { customer_id: "CUS-9998" }, "customer_id"],
    ["get_shipment", { shipment_id: "SHP-99999" }, "shipment_id"],
    ["get_shipment", { order_id: ADDRESS_ORDER }, "order_id"],
    ["track_shipment", { order_id: "ORD-99999" }, "order_id"],
    ["update_shipping_address", { order_id: "ORD-99999", address: "1 Main St, Springfield" }, "order_id"],
    ["update_order_status", { order_id: "ORD-99999", status: "processing" }, "order_id"],
    ["cancel_order", { order_id: "ORD-99999", reason: "customer asked" }, "order_id"],
    ["notify_customer_shipping", { order_id: "ORD-99999", message: "Your order is on its way." }, "order_id"],
  ])("%s %j -> not_found on %s, nothing changed", async (name, args, field) => {
    await expectRefused(db(), tool(name), args, "not_found", field);
  });
});

describe("shipping tools: writes", () => {
  it.each<[string, string, () => Record<string, unknown>]>([
    ["address change on a shipped order", "update_shipping_address", () => ({ order_id: STUCK_ORDER, address: "5 Elm Road, Bristol BS1 2AA, UK" })],
    ["address change on a delivered order", "update_shipping_address", () => ({ order_id: orderIn("delivered"), address: "5 Elm Road, Bristol BS1 2AA, UK" })],
    ["cancelling a delivered order", "cancel_order", () => ({ order_id: orderIn("delivered"), reason: "customer changed their mind" })],
    ["cancelling a shipped order", "cancel_order", () => ({ order_id: STUCK_ORDER, reason: "customer changed their mind" })],
    ["cancelling a cancelled order", "cancel_order", () => ({ order_id: orderIn("cancelled"), reason: "duplicate request" })],
    ["status jump pending -> delivered", "update_order_status", () => ({ order_id: orderIn("pending"), status: "delivered" })],
    ["status change of a cancelled order", "update_order_status", () => ({ order_id: orderIn("cancelled"), status: "processing" })],
    ["cancelling through a status change", "update_order_status", () => ({ order_id: ADDRESS_ORDER, status: "cancelled" })],
    ["marking a shipment-less order shipped", "update_order_status", () => ({ order_id: ADDRESS_ORDER, status: "shipped" })],
  ])("%s -> invalid_state, nothing changed", async (_label, name, args) => {
    await expectRefused(db(), tool(name), args(), "invalid_state");
  });

  it("update_shipping_address changes the processing order's address and audits it", async () => {
    const before = db().sql.prepare("SELECT shipping_address FROM orders WHERE id = ?").pluck().get(ADDRESS_ORDER);
    const args = { order_id: ADDRESS_ORDER, address: "5 Elm Road, Bristol BS1 2AA, UK" };
    const { result, changes } = await withChanges(db(), () => callTool(tool("update_shipping_address"), args));
    expect(result.ok).toBe(true);
    expect(result.data).toMatchObject({ order_id: ADDRESS_ORDER, previous_address: before, address: args.address });
    expect(changes).toEqual({ orders: { updated: [ADDRESS_ORDER] }, ...ONE_AUDIT_ROW });
    expect(db().sql.prepare("SELECT shipping_address FROM orders WHERE id = ?").pluck().get(ADDRESS_ORDER)).toBe(args.address);
    expectLastAudit(db(), "update_shipping_address", { args });
    const again = await withChanges(db(), () => callTool(tool("update_shipping_address"), args));
    expect(again.result.data.changed).toBe(false);
    expect(again.changes).toEqual({});
  });

  it("update_order_status moves a pending order to processing and audits it", async () => {
    const id = orderIn("pending");
    const { result, changes } = await withChanges(db(), () => callTool(tool("update_order_status"), { order_id: id, status: "processing", reason: "payment cleared" }));
    expect(result.ok).toBe(true);
    expect(result.data).toMatchObject({ order_id: id, previous_status: "pending", status: "processing" });
    expect(changes).toEqual({ orders: { updated: [id] }, ...ONE_AUDIT_ROW });
    expect(db().sql.prepare("SELECT status FROM orders WHERE id = ?").pluck().get(id)).toBe("processing");
  });

  it("cancel_order cancels a processing order, notes the reason and audits it", async () => {
    const id = orderIn("processing");
    const { result, changes } = await withChanges(db(), () => callTool(tool("cancel_order"), { order_id: id, reason: "customer ordered the wrong size" }));
    expect(result.ok).toBe(true);
    expect(result.data).toMatchObject({ order_id: id, previous_status: "processing", status: "cancelled" });
    expect(changes).toEqual({ orders: { updated: [id] }, ...ONE_AUDIT_ROW });
    const row = db().sql.prepare("SELECT status, notes FROM orders WHERE id = ?").get(id) as any;
    expect(row.status).toBe("cancelled");
    expect(row.notes).toContain("customer ordered the wrong size");
    expectLastAudit(db(), "cancel_order");
  });

  it("notify_customer_shipping records one outbound message to the order's customer and one audit row", async () => {
    const message = "Your parcel is held at the UPS hub in Louisville; we opened a trace and will update you within 2 business days.";
    const { result, changes } = await withChanges(db(), () => callTool(tool("notify_customer_shipping"), { order_id: STUCK_ORDER, message }));
    expect(result.ok).toBe(true);
    const email = db().sql.prepare("SELECT email FROM customers WHERE id = ?").pluck().get(STUCK_CUSTOMER);
    expect(result.data).toMatchObject({ order_id: STUCK_ORDER, customer_id: STUCK_CUSTOMER, sent_to: email });
    expect(changes).toEqual({ channel_messages: { inserted: [result.data.notification_id] }, ...ONE_AUDIT_ROW });
    const row = db().sql.prepare("SELECT channel, body, created_at FROM channel_messages WHERE id = ?").get(result.data.notification_id) as any;
    expect(row.body).toContain(message);
    expect(row.body).toContain(STUCK_ORDER);
    expect(row.created_at).toBe(nowIso());
  });
});
