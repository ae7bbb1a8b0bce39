/**
 * Weekly operations figures, computed straight from the company database. Plain functions (no tool wrapper) so
 * the deterministic weekly-brief workflow and the tools share one definition of every number.
 *
 * Windows are half-open `[fromIso, toIso)` over ISO 8601 UTC timestamps.
 */
import type { CompanyDb } from "../../src/db/index.js";
import { INCIDENT_STATUSES, ORDER_STATUSES, SEVERITIES, SHIPMENT_STATUSES, type IncidentRow, type OrderRow, type ShipmentRow } from "../../src/db/rows.js";
import { formatUsd } from "../shared/db-helpers.js";
import { dayOf, daysBetween, round } from "./dates.js";

const LIST_CAP = 25;

function zeroCounts<K extends string>(keys: readonly K[]): Record<K, number> {
  return Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;
}

/** Days covered by `[fromIso, toIso)`. */
export function windowDays(fromIso: string, toIso: string): string[] {
  const lastInstant = new Date(new Date(toIso).getTime() - 1);
  return daysBetween(dayOf(fromIso), dayOf(lastInstant));
}

function minutesBetween(a: string, b: string): number {
  return (new Date(b).getTime() - new Date(a).getTime()) / 60_000;
}

/** An incident as `incidentFigures` selects it. */
type IncidentFigureRow = Omit<IncidentRow, "summary">;

export interface IncidentFigures {
  window: { from: string; to: string };
  service_id: string | null;
  /** Incidents that started in the window. */
  started: number;
  by_severity: Record<(typeof SEVERITIES)[number], number>;
  /** Current status of the incidents that started in the window. */
  by_status: Record<(typeof INCIDENT_STATUSES)[number], number>;
  by_service: Record<string, number>;
  /** Incidents resolved in the window (whenever they started) and their mean time to resolve. */
  resolved: number;
  mttr_minutes: number | null;
  mttr_hours: number | null;
  /** Incidents still open at the end of the window (started before it ended, not resolved by then). */
  open_at_end: number;
  open_at_end_ids: string[];
  by_day: { date: string; started: number; resolved: number }[];
  incidents: {
    id: string;
    service_id: string;
    severity: string;
    status: string;
    title: string;
    started_at: string;
    resolved_at: string | null;
    duration_minutes: number | null;
  }[];
  truncated: boolean;
}

/**
 * Incident figures of `[fromIso, toIso)`: counts by severity, status and service of incidents started in the
 * window, incidents resolved in it with their MTTR, incidents open at its end, and a per-day series.
 * @example incidentFigures(db, "2026-11-09T00:00:00.000Z", "2026-11-16T00:00:00.000Z")
 */
export function incidentFigures(db: CompanyDb, fromIso: string, toIso: string, serviceId?: string): IncidentFigures {
  const svc = serviceId ? " AND service_id = ?" : "";
  const svcArgs = serviceId ? [serviceId] : [];
  const cols = "id, service_id, title, severity, status, started_at, resolved_at";
  const started = db.sql
    .prepare(`SELECT ${cols} FROM incidents WHERE started_at >= ? AND started_at < ?${svc} ORDER BY started_at, id`)
    .all(fromIso, toIso, ...svcArgs) as IncidentFigureRow[];
  const resolved = db.sql
    .prepare(`SELECT ${cols} FROM incidents WHERE resolved_at IS NOT NULL AND resolved_at >= ? AND resolved_at < ?${svc} ORDER BY resolved_at, id`)
    .all(fromIso, toIso, ...svcArgs) as IncidentFigureRow[];
  const openAtEnd = db.sql
    .prepare(`SELECT id FROM incidents WHERE started_at < ? AND (resolved_at IS NULL OR resolved_at >= ?)${svc} ORDER BY started_at, id`)
    .pluck()
    .all(toIso, toIso, ...svcArgs) as string[];

  const by_severity = zeroCounts(SEVERITIES);
  const by_status = zeroCounts(INCIDENT_STATUSES);
  const by_service: Record<string, number> = {};
  for (const i of started) {
    by_severity[i.severity]++;
    by_status[i.status]++;
    by_service[i.service_id] = (by_service[i.service_id] ?? 0) + 1;
  }
  const durations = resolved.map((i) => minutesBetween(i.started_at, i.resolved_at!));
  const mttr = durations.length ? durations.reduce((s, d) => s + d, 0) / durations.length : null;
  const by_day = windowDays(fromIso, toIso).map((date) => ({
    date,
    started: started.filter((i) => dayOf(i.started_at) === date).length,
    resolved: resolved.filter((i) => dayOf(i.resolved_at!) === date).length,
  }));
  return {
    window: { from: fromIso, to: toIso },
    service_id: serviceId ?? null,
    started: started.length,
    by_severity,
    by_status,
    by_service,
    resolved: resolved.length,
    mttr_minutes: mttr === null ? null : round(mttr, 1),
    mttr_hours: mttr === null ? null : round(mttr / 60, 2),
    open_at_end: openAtEnd.length,
    open_at_end_ids: openAtEnd.slice(0, LIST_CAP),
    by_day,
    incidents: started.slice(0, LIST_CAP).map((i) => ({
      id: i.id,
      service_id: i.service_id,
      severity: i.severity,
      status: i.status,
      title: i.title,
      started_at: i.started_at,
      resolved_at: i.resolved_at,
      duration_minutes: i.resolved_at ? round(minutesBetween(i.started_at, i.resolved_at), 1) : null,
    })),
    truncated: started.length > LIST_CAP || openAtEnd.length > LIST_CAP,
  };
}

/** A shipment's delivery promise: an `eta` written as a bare date means the end of that day. */
export function etaDeadline(eta: string): string {
  return eta.length === 10 ? `${eta}T23:59:59.999Z` : eta;
}

export type Punctuality = "on_time" | "late" | "overdue" | "pending" | "returned";

/**
 * How a shipment did against its eta as of `asOfIso`: delivered on or before the eta (`on_time`), delivered
 * after it (`late`), not delivered and past the eta (`overdue`, counted as late), not yet due (`pending`), or
 * returned to sender.
 */
export function punctuality(s: { status: string; eta: string; delivered_at: string | null }, asOfIso: string): Punctuality {
  const deadline = etaDeadline(s.eta);
  if (s.delivered_at && s.delivered_at < asOfIso) return s.delivered_at <= deadline ? "on_time" : "late";
  if (s.status === "returned") return "returned";
  return deadline < asOfIso ? "overdue" : "pending";
}

export interface OnTimeStats {
  /** Shipments considered (the cohort). */
  shipments: number;
  on_time: number;
  late: number;
  overdue: number;
  pending: number;
  /** on_time / (on_time + late + overdue), or null when nothing was due yet. */
  on_time_rate: number | null;
}

/** On-time statistics of a set of shipments as of `asOfIso` (see `punctuality`). */
export function onTimeStats(rows: { status: string; eta: string; delivered_at: string | null }[], asOfIso: string): OnTimeStats {
  const stats = { shipments: rows.length, on_time: 0, late: 0, overdue: 0, pending: 0 };
  for (const r of rows) {
    const p = punctuality(r, asOfIso);
    if (p !== "returned") stats[p]++;
  }
  const due = stats.on_time + stats.late + stats.overdue;
  return { ...stats, on_time_rate: due ? round(stats.on_time / due, 3) : null };
}

/** A shipment as `shippingFigures` selects it. */
type ShipmentFigureRow = Omit<ShipmentRow, "tracking_number">;

export interface ShippingFigures {
  window: { from: string; to: string };
  orders: {
    created: number;
    by_status: Record<(typeof ORDER_STATUSES)[number], number>;
    revenue_cents: number;
    revenue_usd: string;
  };
  shipments: {
    shipped: number;
    by_status: Record<(typeof SHIPMENT_STATUSES)[number], number>;
    delivered_in_window: number;
  };
  /**
   * Punctuality of the shipments due in the window (eta inside it), as of the window's end or the dataset's
   * reference time, whichever is earlier: delivered by the eta, delivered late, or still undelivered past it.
   */
  on_time: OnTimeStats;
  by_carrier: Record<string, OnTimeStats>;
  /** Shipments in exception: shipped before the window ended and either now in exception or with an exception event in the window. */
  exceptions: number;
  exception_ids: string[];
  by_day: { date: string; orders: number; shipped: number; delivered: number }[];
  truncated: boolean;
}

/**
 * Shipping figures of `[fromIso, toIso)`: orders created (by status, revenue), shipments shipped (by status),
 * deliveries, the on-time rate of shipments due in the window (overall and per carrier), exceptions and a
 * per-day series.
 * @example shippingFigures(db, "2026-11-09T00:00:00.000Z", "2026-11-16T00:00:00.000Z")
 */
export function shippingFigures(db: CompanyDb, fromIso: string, toIso: string): ShippingFigures {
  const orders = db.sql
    .prepare("SELECT id, status, total_cents, created_at FROM orders WHERE created_at >= ? AND created_at < ? ORDER BY created_at, id")
    .all(fromIso, toIso) as Pick<OrderRow, "id" | "status" | "total_cents" | "created_at">[];
  const cols = "id, order_id, carrier_id, status, shipped_at, eta, delivered_at";
  const shipped = db.sql
    .prepare(`SELECT ${cols} FROM shipments WHERE shipped_at >= ? AND shipped_at < ? ORDER BY shipped_at, id`)
    .all(fromIso, toIso) as ShipmentFigureRow[];
  const due = db.sql
    .prepare(`SELECT ${cols} FROM shipments WHERE eta >= ? AND eta < ? ORDER BY eta, id`)
    .all(fromIso, toIso) as ShipmentFigureRow[];
  const nowIso = db.referenceNow.toISOString();
  const asOf = toIso < nowIso ? toIso : nowIso;
  const delivered = db.sql
    .prepare("SELECT delivered_at FROM shipments WHERE delivered_at IS NOT NULL AND delivered_at >= ? AND delivered_at < ?")
    .pluck()
    .all(fromIso, toIso) as string[];
  const exceptionIds = db.sql
    .prepare(
      `SELECT id FROM shipments s WHERE s.shipped_at < ? AND (s.status = 'exception' OR EXISTS (
          SELECT 1 FROM shipment_events e WHERE e.shipment_id = s.id AND e.status = 'exception' AND e.created_at >= ? AND e.created_at < ?))
        ORDER BY s.id`,
    )
    .pluck()
    .all(toIso, fromIso, toIso) as string[];

  const orderStatus = zeroCounts(ORDER_STATUSES);
  let revenue = 0;
  for (const o of orders) {
    orderStatus[o.status]++;
    if (o.status !== "cancelled") revenue += o.total_cents;
  }
  const shipmentStatus = zeroCounts(SHIPMENT_STATUSES);
  for (const s of shipped) shipmentStatus[s.status]++;
  const carriers = [...new Set(due.map((s) => s.carrier_id))].sort();
  const by_carrier = Object.fromEntries(carriers.map((c) => [c, onTimeStats(due.filter((s) => s.carrier_id === c), asOf)]));
  const by_day = windowDays(fromIso, toIso).map((date) => ({
    date,
    orders: orders.filter((o) => dayOf(o.created_at) === date).length,
    shipped: shipped.filter((s) => dayOf(s.shipped_at) === date).length,
    delivered: delivered.filter((d) => dayOf(d) === date).length,
  }));
  return {
    window: { from: fromIso, to: toIso },
    orders: { created: orders.length, by_status: orderStatus, revenue_cents: revenue, revenue_usd: formatUsd(revenue) },
    shipments: { shipped: shipped.length, by_status: shipmentStatus, delivered_in_window: delivered.length },
    on_time: onTimeStats(due, asOf),
    by_carrier,
    exceptions: exceptionIds.length,
    exception_ids: exceptionIds.slice(0, LIST_CAP),
    by_day,
    truncated: exceptionIds.length > LIST_CAP,
  };
}
