/** Incident read tools: one incident with its timeline, open incidents, incident history and incident statistics. */
import { z } from "zod";
import { defineTool } from "../../src/toolkit/define-tool.js";
import { INCIDENT_STATUSES, SEVERITIES } from "../../src/db/rows.js";
import { dateField, hoursBefore, resolveDateWindow } from "../reports/dates.js";
import { incidentFigures } from "../reports/figures.js";
import { SEVERITY_ORDER_SQL, hoursField, incidentIdField, limitField, loadIncident, serviceIdField } from "./fields.js";

export const getIncident = defineTool({
  name: "get_incident",
  description:
    "Gets one incident by id with its service, severity, status, summary, its updates (internal and public, oldest first) and the pages sent for it. " +
    "Use it to brief someone on an incident or before updating it; to find incident ids use list_open_incidents or list_incidents.",
  schema: z.object({ incident_id: incidentIdField("The incident to fetch") }),
  metadata: {
    domain: "incidents",
    sideEffect: "read",
    idempotent: true,
    scopes: ["incidents:read"],
    examples: ["What's the latest on INC-700?", "Show me the timeline of the payments incident", "Who was paged for INC-701?"],
    retrievalExamples: [
      "Give me a summary of INC-701",
      "What's the current status and severity of INC-702?",
      "Show all updates posted on INC-700",
      "Brief me on the checkout incident INC-703",
      "Which service does INC-701 affect?",
      "incident details for INC-700",
    ],
  },
  run: ({ incident_id }, ctx) => {
    const incident = loadIncident(ctx.db, incident_id);
    const service = ctx.db.sql.prepare("SELECT name, status, oncall FROM services WHERE id = ?").get(incident.service_id) as
      | { name: string; status: string; oncall: string }
      | undefined;
    const updates = ctx.db.sql
      .prepare(
        "SELECT id, body, public, created_at FROM incident_updates WHERE incident_id = ? ORDER BY created_at DESC, id DESC LIMIT 50",
      )
      .all(incident_id) as { id: number; body: string; public: number; created_at: string }[];
    const pages = ctx.db.sql
      .prepare("SELECT id, oncall, message, created_at FROM pages WHERE incident_id = ? ORDER BY created_at DESC, id DESC LIMIT 20")
      .all(incident_id);
    return {
      ...incident,
      service_name: service?.name ?? null,
      service_status: service?.status ?? null,
      service_oncall: service?.oncall ?? null,
      updates: updates.reverse().map((u) => ({ ...u, public: u.public === 1 })),
      pages: pages.reverse(),
    };
  },
});

export const listOpenIncidents = defineTool({
  name: "list_open_incidents",
  description:
    "Lists incidents that are not resolved, most severe first, optionally for one service or severity. " +
    "Use it to answer 'what is on fire right now'; for past or resolved incidents use list_incidents.",
  schema: z.object({
    service_id: serviceIdField("Only incidents of this service").optional(),
    severity: z.enum(SEVERITIES).optional().describe("Only incidents of this severity, e.g. sev2"),
    limit: limitField(20, 50, "incidents"),
  }),
  metadata: {
    domain: "incidents",
    sideEffect: "read",
    idempotent: true,
    scopes: ["incidents:read"],
    examples: ["Are there any open incidents?", "List open sev1 incidents", "Is anything open on payments-api?"],
    retrievalExamples: [
      "What's on fire right now?",
      "Any active incidents on checkout-web?",
      "Show unresolved sev2 incidents",
      "Which incidents are still being worked on?",
      "Is there already an open incident for search-api?",
      "current incidents ordered by severity",
    ],
  },
  run: ({ service_id, severity, limit = 20 }, ctx) => {
    const where = ["status != 'resolved'"];
    const params: unknown[] = [];
    if (service_id) {
      where.push("service_id = ?");
      params.push(service_id);
    }
    if (severity) {
      where.push("severity = ?");
      params.push(severity);
    }
    const clause = where.join(" AND ");
    const total = ctx.db.sql.prepare(`SELECT COUNT(*) FROM incidents WHERE ${clause}`).pluck().get(...params) as number;
    const incidents = ctx.db.sql
      .prepare(
        `SELECT id, service_id, title, severity, status, started_at FROM incidents WHERE ${clause}
          ORDER BY ${SEVERITY_ORDER_SQL}, started_at DESC, id LIMIT ?`,
      )
      .all(...params, limit);
    return { total_open: total, returned: incidents.length, incidents };
  },
});

export const listIncidents = defineTool({
  name: "list_incidents",
  description:
    "Lists incidents (open or resolved) that started between from_date and to_date, newest first, filtered by service, severity or status. " +
    "Use it for incident history ('what broke last week'); for only the currently open ones use list_open_incidents.",
  schema: z.object({
    service_id: serviceIdField("Only incidents of this service").optional(),
    severity: z.enum(SEVERITIES).optional().describe("Only incidents of this severity, e.g. sev1"),
    status: z.enum(INCIDENT_STATUSES).optional().describe("Only incidents in this status, e.g. resolved"),
    from_date: dateField("First day (UTC) of the window, YYYY-MM-DD, e.g. 2026-11-01 (default: the 30 days ending on to_date)").optional(),
    to_date: dateField("Last day (UTC) of the window, included, YYYY-MM-DD (default: today)").optional(),
    limit: limitField(20, 50, "incidents"),
  }),
  metadata: {
    domain: "incidents",
    sideEffect: "read",
    idempotent: true,
    scopes: ["incidents:read"],
    examples: ["What incidents did we have last month?", "List resolved sev2 incidents on checkout-web", "Incidents between 2026-11-01 and 2026-11-07"],
    retrievalExamples: [
      "What broke last week?",
      "Show all incidents on payments-api in October",
      "List incidents since 2026-10-01",
      "Which sev1 incidents did we have this year?",
      "Past incidents for orders-api that are resolved",
      "incident history between two dates",
    ],
  },
  run: ({ service_id, severity, status, from_date, to_date, limit = 20 }, ctx) => {
    const window = resolveDateWindow(ctx.now, { from_date, to_date }, 30, 366);
    const where = ["started_at >= ?", "started_at < ?"];
    const params: unknown[] = [window.fromIso, window.toIso];
    for (const [col, value] of [
      ["service_id", service_id],
      ["severity", severity],
      ["status", status],
    ] as const) {
      if (value) {
        where.push(`${col} = ?`);
        params.push(value);
      }
    }
    const clause = where.join(" AND ");
    const total = ctx.db.sql.prepare(`SELECT COUNT(*) FROM incidents WHERE ${clause}`).pluck().get(...params) as number;
    const incidents = ctx.db.sql
      .prepare(
        `SELECT id, service_id, title, severity, status, started_at, resolved_at FROM incidents WHERE ${clause}
          ORDER BY started_at DESC, id DESC LIMIT ?`,
      )
      .all(...params, limit);
    return { from_date: window.from_date, to_date: window.to_date, total_matched: total, returned: incidents.length, incidents };
  },
});

export const getIncidentStats = defineTool({
  name: "get_incident_stats",
  description:
    "Computes incident statistics over the last N hours, for all services or one: incidents started (by severity, status, service), " +
    "incidents resolved and their mean time to resolve (MTTR), and incidents still open. Use it for 'how many incidents' or 'what is our MTTR' questions; " +
    "for a calendar week's report use get_incident_figures.",
  schema: z.object({
    service_id: serviceIdField("Only incidents of this service").optional(),
    hours: hoursField(720, 2160),
  }),
  metadata: {
    domain: "incidents",
    sideEffect: "read",
    idempotent: true,
    scopes: ["incidents:read"],
    examples: ["What's our MTTR over the last 30 days?", "How many sev1 incidents did payments-api have this month?", "Incident count for the last 7 days"],
    retrievalExamples: [
      "What's our mean time to resolve this quarter?",
      "How many incidents were opened in the last 24 hours?",
      "Break down last month's incidents by severity",
      "Which service had the most incidents in the past 2 weeks?",
      "How many incidents are still open and how many got resolved in the last 30 days?",
      "incident statistics for checkout-web",
    ],
  },
  run: ({ service_id, hours = 720 }, ctx) => {
    const from = hoursBefore(ctx.now, hours);
    // End just after "now" so an incident that starts at the reference instant counts.
    const to = new Date(ctx.now.getTime() + 1).toISOString();
    const f = incidentFigures(ctx.db, from, to, service_id);
    return {
      service_id: service_id ?? null,
      window: { from, to: ctx.now.toISOString(), hours },
      started: f.started,
      by_severity: f.by_severity,
      by_status: f.by_status,
      by_service: f.by_service,
      resolved: f.resolved,
      mttr_minutes: f.mttr_minutes,
      mttr_hours: f.mttr_hours,
      open_now: f.open_at_end,
      open_ids: f.open_at_end_ids,
      incidents: f.incidents.slice(0, 15),
    };
  },
});
