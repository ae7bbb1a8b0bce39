/** Incident write and egress tools: declare and update incidents, page the on-call, post public status updates. */
import { z } from "zod";
import { defineTool } from "../../src/toolkit/define-tool.js";
import { ToolError } from "../../src/toolkit/tool-result.js";
import { INCIDENT_STATUSES, SEVERITIES } from "../../src/db/rows.js";
import { auditedWrite, nextId } from "../shared/db-helpers.js";
import { incidentIdField, loadIncident, loadService, serviceIdField } from "./fields.js";

export const createIncident = defineTool({
  name: "create_incident",
  description:
    "Declares a new incident on a service, status investigating, starting now; returns the new incident id. " +
    "Use it only when no open incident already covers the problem (check list_open_incidents first); to change an existing one use update_incident.",
  schema: z.object({
    service_id: serviceIdField("The affected service"),
    severity: z.enum(SEVERITIES).describe("Severity: sev1 (critical, customer-facing outage) to sev4 (minor), e.g. sev2"),
    title: z.string().trim().min(5).max(120).describe("Short title of the problem, e.g. 'Elevated 5xx errors on payments-api'"),
    summary: z.string().trim().min(5).max(1000).describe("What is known so far: symptoms, impact, first findings"),
  }),
  metadata: {
    domain: "incidents",
    sideEffect: "write",
    idempotent: false,
    scopes: ["incidents:write"],
    examples: ["Open a sev2 incident for checkout-web latency", "Declare an incident: search-api is returning errors"],
    retrievalExamples: [
      "Start a new incident for payments-api, checkout is failing",
      "Raise a sev1 incident: orders-api is down",
      "Open an incident for elevated errors on search-api",
      "We have an outage on shipping-api, declare it",
      "Log a new sev3 incident for slow dashboards",
      "create an incident for this problem",
    ],
  },
  run: (args, ctx) => {
    return auditedWrite(ctx, args, () => {
      loadService(ctx.db, args.service_id);
      const duplicate = ctx.db.sql
        .prepare("SELECT id FROM incidents WHERE service_id = ? AND status != 'resolved' AND lower(title) = lower(?)")
        .pluck()
        .get(args.service_id, args.title) as string | undefined;
      if (duplicate) {
        throw new ToolError(
          "invalid_state",
          `Open incident ${duplicate} on ${args.service_id} already has this title.`,
          `Update ${duplicate} with update_incident instead of declaring a duplicate.`,
          "title",
        );
      }
      const id = nextId(ctx.db, "incidents", "INC");
      const startedAt = ctx.now.toISOString();
      ctx.db.sql
        .prepare(
          "INSERT INTO incidents (id, service_id, title, severity, status, started_at, resolved_at, summary) VALUES (?, ?, ?, ?, 'investigating', ?, NULL, ?)",
        )
        .run(id, args.service_id, args.title, args.severity, startedAt, args.summary);
      return { incident_id: id, service_id: args.service_id, severity: args.severity, status: "investigating", started_at: startedAt };
    });
  },
});

export const updateIncident = defineTool({
  name: "update_incident",
  description:
    "Updates an open incident: changes its status (investigating, identified, monitoring, resolved) and/or severity and records an internal update note. " +
    "Use it to move an incident along or resolve it; it is not visible to customers (use post_status_update for that).",
  schema: z.object({
    incident_id: incidentIdField("The incident to update"),
    status: z.enum(INCIDENT_STATUSES).optional().describe("New status, e.g. identified; resolved sets the resolution time to now"),
    severity: z.enum(SEVERITIES).optional().describe("New severity, e.g. sev1"),
    message: z.string().trim().min(3).max(1000).optional().describe("Internal update note: what changed or was found"),
  }),
  metadata: {
    domain: "incidents",
    sideEffect: "write",
    idempotent: false,
    scopes: ["incidents:write"],
    examples: ["Mark INC-700 as identified: bad deploy", "Resolve INC-700", "Raise INC-700 to sev1"],
    retrievalExamples: [
      "Set INC-701 to monitoring, the fix is deployed",
      "Downgrade INC-702 to sev3",
      "Add an internal note to INC-700: root cause is a bad config",
      "INC-703 is resolved now, close it out",
      "Change the status of INC-700 to identified",
      "update the incident severity",
    ],
  },
  run: (args, ctx) => {
    if (!args.status && !args.severity && !args.message) {
      throw new ToolError(
        "invalid_arguments",
        "Give at least one of status, severity or message.",
        "Ask the user what should change on the incident.",
        "status",
      );
    }
    return auditedWrite(ctx, args, () => {
      const incident = loadIncident(ctx.db, args.incident_id);
      if (incident.status === "resolved") {
        throw new ToolError(
          "invalid_state",
          `${incident.id} was resolved at ${incident.resolved_at}; a resolved incident cannot be updated.`,
          "If the problem is back, declare a new incident with create_incident and mention the old id.",
          "incident_id",
        );
      }
      const status = args.status ?? incident.status;
      const severity = args.severity ?? incident.severity;
      const changes: string[] = [];
      if (status !== incident.status) changes.push(`status ${incident.status} -> ${status}`);
      if (severity !== incident.severity) changes.push(`severity ${incident.severity} -> ${severity}`);
      if (changes.length === 0 && !args.message) {
        throw new ToolError(
          "invalid_state",
          `${incident.id} already has status ${incident.status} and severity ${incident.severity}.`,
          "Nothing to change; tell the user, or add a message to record a note.",
          args.status ? "status" : "severity",
        );
      }
      const nowIso = ctx.now.toISOString();
      const resolvedAt = status === "resolved" ? nowIso : null;
      if (changes.length) {
        ctx.db.sql
          .prepare("UPDATE incidents SET status = ?, severity = ?, resolved_at = ? WHERE id = ?")
          .run(status, severity, resolvedAt, incident.id);
      }
      const body = [changes.length ? `[${changes.join("; ")}]` : "", args.message ?? ""].filter(Boolean).join(" ");
      const info = ctx.db.sql
        .prepare("INSERT INTO incident_updates (incident_id, body, public, created_at) VALUES (?, ?, 0, ?)")
        .run(incident.id, body, nowIso);
      return {
        incident_id: incident.id,
        previous: { status: incident.status, severity: incident.severity },
        status,
        severity,
        resolved_at: resolvedAt,
        update_id: Number(info.lastInsertRowid),
      };
    });
  },
});

export const pageOncall = defineTool({
  name: "page_oncall",
  description:
    "Pages the on-call engineer of a service (or of an incident's service) with a message; returns the page id and who was paged. " +
    "Use it when an incident needs a human responder now; do not page for resolved incidents or for questions that can wait.",
  schema: z.object({
    service_id: serviceIdField("The service whose on-call to page (default: the incident's service)").optional(),
    incident_id: incidentIdField("The incident the page is about").optional(),
    message: z.string().trim().min(5).max(500).describe("What the on-call needs to know, e.g. 'payments-api 5xx at 12%, INC-700 sev2'"),
  }),
  metadata: {
    domain: "incidents",
    sideEffect: "egress",
    idempotent: false,
    scopes: ["incidents:page"],
    examples: ["Page the payments on-call about INC-700", "Wake up whoever is on call for checkout-web", "Page on-call: orders-api is down"],
    retrievalExamples: [
      "Alert the on-call engineer for search-api",
      "Get someone from the checkout-web rotation on INC-701 now",
      "Page whoever owns payments-api, errors are spiking",
      "Notify the on-call for INC-702 immediately",
      "We need a human on orders-api, page them",
      "call out the on-call responder",
    ],
  },
  run: (args, ctx) => {
    if (!args.service_id && !args.incident_id) {
      throw new ToolError("invalid_arguments", "Give a service_id or an incident_id.", "Ask the user which service or incident the page is for.", "service_id");
    }
    return auditedWrite(ctx, args, () => {
      const incident = args.incident_id ? loadIncident(ctx.db, args.incident_id) : undefined;
      if (incident?.status === "resolved") {
        throw new ToolError(
          "invalid_state",
          `${incident.id} is already resolved; paging for it would wake someone for nothing.`,
          "Tell the user the incident is resolved; page only if a new problem is declared.",
          "incident_id",
        );
      }
      const service = loadService(ctx.db, args.service_id ?? incident!.service_id);
      const id = nextId(ctx.db, "pages", "PGE");
      const createdAt = ctx.now.toISOString();
      ctx.db.sql
        .prepare("INSERT INTO pages (id, incident_id, service_id, oncall, message, created_at) VALUES (?, ?, ?, ?, ?, ?)")
        .run(id, incident?.id ?? null, service.id, service.oncall, args.message, createdAt);
      return { page_id: id, oncall: service.oncall, service_id: service.id, incident_id: incident?.id ?? null, created_at: createdAt };
    });
  },
});

export const postStatusUpdate = defineTool({
  name: "post_status_update",
  description:
    "Publishes a public status-page update on an incident, visible to customers; returns the update id. " +
    "Use it to tell customers about impact or recovery in plain language; for internal notes use update_incident.",
  schema: z.object({
    incident_id: incidentIdField("The incident the update is about"),
    message: z
      .string()
      .trim()
      .min(10)
      .max(1000)
      .describe("The public text, e.g. 'Some card payments are failing; we are working on a fix.' No internal details."),
  }),
  metadata: {
    domain: "incidents",
    sideEffect: "egress",
    idempotent: false,
    scopes: ["incidents:write", "comms:send"],
    examples: ["Post a status update for INC-700 saying we are investigating", "Tell customers the payments issue is fixed"],
    retrievalExamples: [
      "Update the public status page about INC-701",
      "Let customers know checkout is slow and we're on it",
      "Publish that INC-700 has been resolved",
      "Post a customer-facing notice for the search outage",
      "Tell our users on the status page that payments are recovering",
      "post an external update on the incident",
    ],
  },
  run: (args, ctx) => {
    return auditedWrite(ctx, args, () => {
      const incident = loadIncident(ctx.db, args.incident_id);
      const createdAt = ctx.now.toISOString();
      const info = ctx.db.sql
        .prepare("INSERT INTO incident_updates (incident_id, body, public, created_at) VALUES (?, ?, 1, ?)")
        .run(incident.id, args.message, createdAt);
      return { update_id: Number(info.lastInsertRowid), incident_id: incident.id, public: true, created_at: createdAt };
    });
  },
});
