/** Schema fields, lookups and views shared by the shipping tools. */
import { z } from "zod";
import type { CompanyDb } from "../../src/db/index.js";
import { CARRIER_IDS } from "../../src/db/reference-data.js";
import { ToolError, notFound } from "../../src/toolkit/tool-result.js";
import type { OrderRow, OrderStatus, ShipmentRow } from "../../src/db/rows.js";
import { formatUsd } from "../shared/db-helpers.js";
import { idField } from "../shared/fields.js";

/** Order statuses in which the goods have not left the warehouse: address changes and cancellation are still possible. */
export const PRE_SHIPMENT_STATUSES: readonly OrderStatus[] = ["pending", "processing"];

export const orderIdField = (what = "The order") => idField("order_id", what);
export const shipmentIdField = (what = "The shipment") => idField("shipment_id", what);
export const customerIdField = (what = "The customer") => idField("customer_id", what);
export const carrierIdField = (what = "The carrier") => z.enum(CARRIER_IDS).describe(`${what}, by id, e.g. CAR-UPS`);

export const limitField = (dflt: number, max: number, what: string) =>
  z.number().int().min(1).max(max).optional().describe(`Maximum number of ${what} to return (default ${dflt}, at most ${max}).`);

export function loadOrder(db: CompanyDb, orderId: string): OrderRow {
  const row = db.sql.prepare("SELECT * FROM orders WHERE id = ?").get(orderId) as OrderRow | undefined;
  if (!row) throw notFound("order", orderId, "order_id");
  return row;
}

export function loadShipment(db: CompanyDb, shipmentId: string): ShipmentRow {
  const row = db.sql.prepare("SELECT * FROM shipments WHERE id = ?").get(shipmentId) as ShipmentRow | undefined;
  if (!row) throw notFound("shipment", shipmentId, "shipment_id");
  return row;
}

export function orderShipments(db: CompanyDb, orderId: string): ShipmentRow[] {
  return db.sql.prepare("SELECT * FROM shipments WHERE order_id = ? ORDER BY shipped_at DESC, id DESC").all(orderId) as ShipmentRow[];
}

/**
 * The shipment a call is about: by `shipment_id`, or the most recent shipment of `order_id`. Fails with
 * `invalid_arguments` when neither is given and `not_found` when the order has no shipment yet.
 */
export function resolveShipment(db: CompanyDb, args: { shipment_id?: string | undefined; order_id?: string | undefined }): {
  shipment: ShipmentRow;
  otherShipmentIds: string[];
} {
  if (args.shipment_id) {
    const shipment = loadShipment(db, args.shipment_id);
    if (args.order_id && shipment.order_id !== args.order_id) {
      throw new ToolError(
        "invalid_arguments",
        `Shipment ${shipment.id} belongs to order ${shipment.order_id}, not ${args.order_id}.`,
        "Check which order or shipment the user means; give only one of the two ids.",
        "shipment_id",
      );
    }
    return { shipment, otherShipmentIds: [] };
  }
  if (!args.order_id) {
    throw new ToolError("invalid_arguments", "Give a shipment_id or an order_id.", "Ask the user for the order id (ORD-…) or shipment id (SHP-…).", "order_id");
  }
  const order = loadOrder(db, args.order_id);
  const shipments = orderShipments(db, order.id);
  const [latest, ...rest] = shipments;
  if (!latest) {
    throw new ToolError(
      "not_found",
      `Order ${order.id} has no shipment yet (order status ${order.status}).`,
      "Tell the user the order has not shipped yet; use get_order for its status.",
      "order_id",
    );
  }
  return { shipment: latest, otherShipmentIds: rest.map((s) => s.id) };
}

interface OrderItem {
  sku?: string;
  name?: string;
  qty?: number;
  price_cents?: number;
}

/** The items JSON of an order, parsed; unreadable JSON gives an empty list rather than failing the call. */
export function parseItems(items: string): { sku: string | null; name: string | null; qty: number; price_usd: string | null }[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(items);
  } catch {
    return [];
  }
  if (!Array.isArray(parsed)) return [];
  return parsed.slice(0, 50).map((raw: OrderItem) => ({
    sku: raw.sku ?? null,
    name: raw.name ?? null,
    qty: raw.qty ?? 1,
    price_usd: typeof raw.price_cents === "number" ? formatUsd(raw.price_cents) : null,
  }));
}

/** Compact view of an order. */
export function orderView(o: OrderRow) {
  return {
    id: o.id,
    customer_id: o.customer_id,
    status: o.status,
    created_at: o.created_at,
    total_cents: o.total_cents,
    total_usd: formatUsd(o.total_cents),
    shipping_address: o.shipping_address,
  };
}

/** Compact view of a shipment. */
export function shipmentView(s: ShipmentRow) {
  return {
    id: s.id,
    order_id: s.order_id,
    carrier_id: s.carrier_id,
    tracking_number: s.tracking_number,
    status: s.status,
    shipped_at: s.shipped_at,
    eta: s.eta,
    delivered_at: s.delivered_at,
  };
}

/** Whole days between two ISO timestamps (floor), never negative. */
export function daysBetween(fromIso: string, toIso: string): number {
  return Math.max(0, Math.floor((new Date(toIso).getTime() - new Date(fromIso).getTime()) / 86_400_000));
}
