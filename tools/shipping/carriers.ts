/** Carrier tools: the carrier list and measured on-time performance. */
import { z } from "zod";
import { defineTool } from "../../src/toolkit/define-tool.js";
import type { CarrierRow, ShipmentRow } from "../../src/db/rows.js";
import { dateField, resolveDateWindow, round } from "../reports/dates.js";
import { onTimeStats } from "../reports/figures.js";
import { carrierIdField } from "./records.js";

export const listCarriers = defineTool({
  name: "list_carriers",
  description:
    "Lists the shipping carriers with id, name, service level, contracted on-time rate and tracking link base. " +
    "Use it to find a carrier id; for measured performance over a period use get_carrier_performance.",
  schema: z.object({}),
  metadata: {
    domain: "shipping",
    sideEffect: "read",
    idempotent: true,
    scopes: ["shipping:read"],
    examples: ["Which carriers do we use?", "What is the carrier id for FedEx?"],
    retrievalExamples: [
      "List our shipping carriers",
      "What service levels do our carriers offer?",
      "What's DHL's contracted on-time rate?",
      "What's the tracking URL base for UPS?",
      "Which carrier ids do we have?",
      "carrier list",
    ],
  },
  run: (_args, ctx) => {
    const carriers = ctx.db.sql.prepare("SELECT id, name, service_level, on_time_rate, tracking_url FROM carriers ORDER BY id LIMIT 20").all() as CarrierRow[];
    return { count: carriers.length, carriers: carriers.map(({ on_time_rate, ...c }) => ({ ...c, contracted_on_time_rate: on_time_rate })) };
  },
});

export const getCarrierPerformance = defineTool({
  name: "get_carrier_performance",
  description:
    "Measures carriers' on-time rate over the shipments due (eta) between from_date and to_date (default the last 30 days): " +
    "delivered on time, late, overdue (undelivered past eta), exceptions and average transit days, next to the contracted rate. Use it to compare carriers or check one.",
  schema: z.object({
    carrier_id: carrierIdField("Only this carrier (default: all carriers)").optional(),
    from_date: dateField("First day (UTC) of the eta window, YYYY-MM-DD, e.g. 2026-10-01 (default: the 30 days ending on to_date)").optional(),
    to_date: dateField("Last day (UTC) of the eta window, included, YYYY-MM-DD (default: today)").optional(),
  }),
  metadata: {
    domain: "shipping",
    sideEffect: "read",
    idempotent: true,
    scopes: ["shipping:read"],
    examples: ["How is UPS doing on delivery times?", "Compare carrier on-time rates for last month", "What's FedEx's on-time rate since 2026-10-01?"],
    retrievalExamples: [
      "Which carrier was most reliable last month?",
      "Is DHL meeting its contracted on-time rate?",
      "How many UPS deliveries were late in October?",
      "Average transit days per carrier this quarter",
      "Compare FedEx and UPS delivery performance",
      "carrier on-time performance",
    ],
  },
  run: ({ carrier_id, from_date, to_date }, ctx) => {
    const window = resolveDateWindow(ctx.now, { from_date, to_date }, 30, 366);
    const nowIso = ctx.now.toISOString();
    const asOf = window.toIso < nowIso ? window.toIso : nowIso;
    const carriers = ctx.db.sql
      .prepare(`SELECT id, name, service_level, on_time_rate, tracking_url FROM carriers ${carrier_id ? "WHERE id = ?" : ""} ORDER BY id`)
      .all(...(carrier_id ? [carrier_id] : [])) as CarrierRow[];
    const shipments = ctx.db.sql
      .prepare(`SELECT * FROM shipments WHERE eta >= ? AND eta < ? ${carrier_id ? "AND carrier_id = ?" : ""}`)
      .all(...(carrier_id ? [window.fromIso, window.toIso, carrier_id] : [window.fromIso, window.toIso])) as ShipmentRow[];
    return {
      from_date: window.from_date,
      to_date: window.to_date,
      as_of: asOf,
      carriers: carriers.map((c) => {
        const mine = shipments.filter((s) => s.carrier_id === c.id);
        const delivered = mine.filter((s) => s.delivered_at && s.delivered_at < asOf);
        const transit = delivered.map((s) => (new Date(s.delivered_at!).getTime() - new Date(s.shipped_at).getTime()) / 86_400_000);
        return {
          carrier_id: c.id,
          name: c.name,
          contracted_on_time_rate: c.on_time_rate,
          ...onTimeStats(mine, asOf),
          exceptions: mine.filter((s) => s.status === "exception").length,
          avg_transit_days: transit.length ? round(transit.reduce((a, b) => a + b, 0) / transit.length, 1) : null,
        };
      }),
    };
  },
});
