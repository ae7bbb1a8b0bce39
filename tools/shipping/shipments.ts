/** Shipment tools: one shipment, its tracking events, and shipments that are late or stuck. */
import { z } from "zod";
import { defineTool } from "../../src/toolkit/define-tool.js";
import { CARRIERS } from "../../src/db/reference-data.js";
import type { ShipmentEventRow, ShipmentRow } from "../../src/db/rows.js";
import { etaDeadline, punctuality } from "../reports/figures.js";
import {
  carrierIdField,
  daysBetween,
  limitField,
  orderIdField,
  resolveShipment,
  shipmentIdField,
  shipmentView,
} from "./records.js";

const shipmentOrOrder = {
  shipment_id: shipmentIdField("The shipment (give this or order_id)").optional(),
  order_id: orderIdField("The order whose latest shipment to use (give this or shipment_id)").optional(),
};

function carrierInfo(carrierId: string) {
  const c = CARRIERS.find((x) => x.id === carrierId);
  return { carrier_name: c?.name ?? carrierId, service_level: c?.service_level ?? null };
}

function trackingUrl(db: import("../../src/db/index.js").CompanyDb, s: ShipmentRow): string | null {
  const base = db.sql.prepare("SELECT tracking_url FROM carriers WHERE id = ?").pluck().get(s.carrier_id) as string | undefined;
  return base ? `${base}${s.tracking_number}` : null;
}

function latestEvent(db: import("../../src/db/index.js").CompanyDb, shipmentId: string) {
  return (
    (db.sql
      .prepare("SELECT status, location, created_at FROM shipment_events WHERE shipment_id = ? ORDER BY created_at DESC, id DESC LIMIT 1")
      .get(shipmentId) as Omit<ShipmentEventRow, "id" | "shipment_id"> | undefined) ?? null
  );
}

export const getShipment = defineTool({
  name: "get_shipment",
  description:
    "Gets a shipment by shipment id, or the latest shipment of an order by order id: carrier, tracking number and link, status, eta, delivery time and latest event. " +
    "Use it for 'where is my parcel' questions; for the full event history use track_shipment.",
  schema: z.object(shipmentOrOrder),
  metadata: {
    domain: "shipping",
    sideEffect: "read",
    idempotent: true,
    scopes: ["shipping:read"],
    examples: ["Where is the shipment for ORD-10233?", "Which carrier has SHP-40012?", "Give me the tracking number for order ORD-10233"],
    retrievalExamples: [
      "Which carrier is delivering ORD-10412?",
      "What's the tracking link for SHP-40012?",
      "When is ORD-10233 expected to arrive?",
      "Has shipment SHP-40033 been delivered?",
      "Where's my parcel for ORD-10500?",
      "eta of the shipment",
    ],
  },
  run: (args, ctx) => {
    const { shipment, otherShipmentIds } = resolveShipment(ctx.db, args);
    const nowIso = ctx.now.toISOString();
    const state = punctuality(shipment, nowIso);
    return {
      ...shipmentView(shipment),
      ...carrierInfo(shipment.carrier_id),
      tracking_url: trackingUrl(ctx.db, shipment),
      late: state === "late" || state === "overdue",
      latest_event: latestEvent(ctx.db, shipment.id),
      other_shipment_ids: otherShipmentIds,
    };
  },
});

export const trackShipment = defineTool({
  name: "track_shipment",
  description:
    "Returns a shipment's tracking events (status, location, time; oldest first), with days since the last event and whether it is past its eta. " +
    "Use it to see where a parcel is stuck; give a shipment id, or an order id for the order's latest shipment.",
  schema: z.object({ ...shipmentOrOrder, limit: limitField(30, 100, "events (the most recent ones)") }),
  metadata: {
    domain: "shipping",
    sideEffect: "read",
    idempotent: true,
    scopes: ["shipping:read"],
    examples: ["Track order ORD-10233", "Show the tracking history of SHP-40012", "Where did the parcel for ORD-10233 get stuck?"],
    retrievalExamples: [
      "Show every tracking scan for ORD-10412",
      "How long has SHP-40033 been sitting without an update?",
      "Where was the package for ORD-10233 last scanned?",
      "Full tracking timeline for shipment SHP-40012",
      "Is the parcel for ORD-10500 stuck in transit?",
      "tracking events of this shipment",
    ],
  },
  run: ({ limit = 30, ...args }, ctx) => {
    const { shipment } = resolveShipment(ctx.db, args);
    const nowIso = ctx.now.toISOString();
    const total = ctx.db.sql.prepare("SELECT COUNT(*) FROM shipment_events WHERE shipment_id = ?").pluck().get(shipment.id) as number;
    const events = (
      ctx.db.sql
        .prepare("SELECT id, status, location, created_at FROM shipment_events WHERE shipment_id = ? ORDER BY created_at DESC, id DESC LIMIT ?")
        .all(shipment.id, limit) as Omit<ShipmentEventRow, "shipment_id">[]
    ).reverse();
    const last = events[events.length - 1];
    const state = punctuality(shipment, nowIso);
    return {
      shipment_id: shipment.id,
      order_id: shipment.order_id,
      carrier_id: shipment.carrier_id,
      tracking_number: shipment.tracking_number,
      status: shipment.status,
      eta: shipment.eta,
      delivered_at: shipment.delivered_at,
      past_eta: state === "overdue" || state === "late",
      days_since_last_event: last && !shipment.delivered_at ? daysBetween(last.created_at, nowIso) : null,
      total_events: total,
      events,
    };
  },
});

export const findDelayedShipments = defineTool({
  name: "find_delayed_shipments",
  description:
    "Finds shipments that are in exception or past their eta and not delivered, most delayed first, with order, carrier, days late and last event. " +
    "Use it for 'which parcels are late or stuck' questions, optionally for one carrier; not for a single known order (use track_shipment).",
  schema: z.object({
    carrier_id: carrierIdField("Only shipments of this carrier").optional(),
    limit: limitField(20, 50, "shipments"),
  }),
  metadata: {
    domain: "shipping",
    sideEffect: "read",
    idempotent: true,
    scopes: ["shipping:read"],
    examples: ["Which shipments are delayed?", "Show stuck UPS parcels", "Any shipments in exception right now?"],
    retrievalExamples: [
      "Which parcels are late?",
      "List shipments past their ETA",
      "Any stuck DHL deliveries?",
      "Show undelivered shipments that are overdue",
      "Which orders are delayed in transit right now?",
      "shipments with exceptions",
    ],
  },
  run: ({ carrier_id, limit = 20 }, ctx) => {
    const nowIso = ctx.now.toISOString();
    const rows = ctx.db.sql
      .prepare(
        `SELECT * FROM shipments WHERE status NOT IN ('delivered','returned') AND delivered_at IS NULL AND shipped_at <= ?
          ${carrier_id ? "AND carrier_id = ?" : ""} ORDER BY id`,
      )
      .all(...(carrier_id ? [nowIso, carrier_id] : [nowIso])) as ShipmentRow[];
    const delayed = rows
      .filter((s) => s.status === "exception" || etaDeadline(s.eta) < nowIso)
      .map((s) => {
        const last = latestEvent(ctx.db, s.id);
        const customerId = ctx.db.sql.prepare("SELECT customer_id FROM orders WHERE id = ?").pluck().get(s.order_id) as string | undefined;
        return {
          shipment_id: s.id,
          order_id: s.order_id,
          customer_id: customerId ?? null,
          carrier_id: s.carrier_id,
          status: s.status,
          reason: s.status === "exception" ? "exception" : "past_eta",
          eta: s.eta,
          days_late: etaDeadline(s.eta) < nowIso ? daysBetween(etaDeadline(s.eta), nowIso) : 0,
          days_since_last_event: last ? daysBetween(last.created_at, nowIso) : null,
          last_event: last,
        };
      })
      .sort((a, b) => b.days_late - a.days_late || (b.days_since_last_event ?? 0) - (a.days_since_last_event ?? 0) || a.shipment_id.localeCompare(b.shipment_id));
    return { total_delayed: delayed.length, returned: Math.min(limit, delayed.length), shipments: delayed.slice(0, limit) };
  },
});
