/** Service catalogue tools: list services, one service's live status, and marking a service's status. */
import { z } from "zod";
import { defineTool } from "../../src/toolkit/define-tool.js";
import { SERVICE_STATUSES } from "../../src/db/rows.js";
import { auditedWrite, noChange } from "../shared/db-helpers.js";
import { SEVERITY_ORDER_SQL, loadService, serviceIdField } from "./fields.js";

export const listServices = defineTool({
  name: "list_services",
  description:
    "Lists the company's services with tier, current status, owning team, on-call handle and number of open incidents. " +
    "Use it to find a service id or to see which services are not operational; for one service's detail use get_service_status.",
  schema: z.object({
    status: z.enum(SERVICE_STATUSES).optional().describe("Only services in this status, e.g. degraded (default: all)."),
  }),
  metadata: {
    domain: "incidents",
    sideEffect: "read",
    idempotent: true,
    scopes: ["incidents:read"],
    examples: ["Which services are degraded right now?", "List all our services and who is on call", "What services does the payments team own?"],
    retrievalExamples: [
      "Show me the service catalogue",
      "Which services are tier 1?",
      "Is any service in a major outage?",
      "Who owns checkout-web and search-api?",
      "Which services have open incidents?",
      "list services and their current status",
      "what's the service id of the search backend?",
    ],
  },
  run: ({ status }, ctx) => {
    const rows = ctx.db.sql
      .prepare(
        `SELECT s.id, s.name, s.tier, s.status, s.owner_team, s.oncall,
                (SELECT COUNT(*) FROM incidents i WHERE i.service_id = s.id AND i.status != 'resolved') AS open_incidents
           FROM services s ${status ? "WHERE s.status = ?" : ""}
          ORDER BY s.tier, s.id LIMIT 50`,
      )
      .all(...(status ? [status] : []));
    return { count: rows.length, services: rows };
  },
});

export const getServiceStatus = defineTool({
  name: "get_service_status",
  description:
    "Gets one service's current status, owner and on-call, its open incidents and its latest hourly metrics. " +
    "Use it first when someone asks whether a service is healthy or what is wrong with it; for trends over time use get_service_metrics.",
  schema: z.object({ service_id: serviceIdField("The service to check") }),
  metadata: {
    domain: "incidents",
    sideEffect: "read",
    idempotent: true,
    scopes: ["incidents:read"],
    examples: ["Is payments-api healthy?", "What's the status of checkout-web?", "Who is on call for orders-api?"],
    retrievalExamples: [
      "How is search-api doing right now?",
      "Is checkout-web up?",
      "What's wrong with payments-api at the moment?",
      "Who is the on-call engineer for shipping-api?",
      "Does orders-api have any open incidents?",
      "Is the payments service degraded?",
      "health check of auth-service",
    ],
  },
  run: ({ service_id }, ctx) => {
    const service = loadService(ctx.db, service_id);
    const nowIso = ctx.now.toISOString();
    const openIncidents = ctx.db.sql
      .prepare(
        `SELECT id, title, severity, status, started_at FROM incidents
          WHERE service_id = ? AND status != 'resolved' ORDER BY ${SEVERITY_ORDER_SQL}, started_at DESC LIMIT 10`,
      )
      .all(service_id);
    const latest = ctx.db.sql
      .prepare("SELECT ts, latency_p95_ms, error_rate, requests FROM metrics WHERE service_id = ? AND ts <= ? ORDER BY ts DESC LIMIT 1")
      .get(service_id, nowIso) as { ts: string; latency_p95_ms: number; error_rate: number; requests: number } | undefined;
    return {
      ...service,
      open_incidents: openIncidents,
      latest_metrics: latest ?? null,
    };
  },
});

export const setServiceStatus = defineTool({
  name: "set_service_status",
  description:
    "Sets a service's status on the internal status board (operational, degraded, partial_outage, major_outage) and records why. " +
    "Use it when an incident changes a service's health or after it recovers; it does not notify anyone (use post_status_update for that).",
  schema: z.object({
    service_id: serviceIdField("The service whose status changes"),
    status: z.enum(SERVICE_STATUSES).describe("The new status, e.g. operational"),
    reason: z.string().trim().min(3).max(500).describe("Why the status changes, e.g. 'error rate back to baseline after rollback'"),
  }),
  metadata: {
    domain: "incidents",
    sideEffect: "write",
    idempotent: true,
    scopes: ["incidents:write"],
    examples: ["Mark payments-api as operational again", "Set checkout-web to partial outage"],
    retrievalExamples: [
      "Mark search-api as degraded",
      "Put orders-api in major outage on the status board",
      "payments-api has recovered, set it back to operational",
      "Update the status board: shipping-api partial outage",
      "Flag checkout-web as degraded because of the latency",
      "change a service's status",
    ],
  },
  run: (args, ctx) => {
    return auditedWrite(ctx, args, () => {
      const service = loadService(ctx.db, args.service_id);
      if (service.status === args.status) {
        // Already there: nothing to change or audit, so a retry is harmless.
        return noChange({ service_id: service.id, previous_status: service.status, status: service.status, changed: false });
      }
      ctx.db.sql.prepare("UPDATE services SET status = ? WHERE id = ?").run(args.status, service.id);
      return { service_id: service.id, previous_status: service.status, status: args.status, changed: true };
    });
  },
});
