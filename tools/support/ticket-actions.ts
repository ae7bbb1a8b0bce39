/** Ticket changes: escalate, change status, reply to the customer. Each is one transaction with its audit row. */
import { z } from "zod";
import { defineTool } from "../../src/toolkit/define-tool.js";
import { ToolError } from "../../src/toolkit/tool-result.js";
import type { CompanyDb } from "../../src/db/index.js";
import type { CustomerRow, TicketRow } from "../../src/db/rows.js";
import { auditedWrite, nextId, requireRow } from "../shared/db-helpers.js";
import { idField, reasonField } from "../shared/fields.js";

/** Escalation targets of the escalation policy (KB-005). */
export const ESCALATION_TEAMS = ["tier2-support", "billing-ops", "logistics", "engineering", "privacy"] as const;

/** The team a ticket goes to when the caller names none, by ticket category (KB-005). */
const DEFAULT_TEAM: Record<string, (typeof ESCALATION_TEAMS)[number]> = {
  billing: "billing-ops",
  shipping: "logistics",
  technical: "engineering",
};

/** Statuses `update_ticket_status` may set; escalation has its own tool. */
const SETTABLE_STATUSES = ["open", "pending", "resolved", "closed"] as const;

export const escalateTicket = defineTool({
  name: "escalate_ticket",
  description:
    "Escalates a support ticket to a specialist team: sets its status to escalated, records the team and adds a system note " +
    "with the reason. Use it when the escalation policy requires it (e.g. an SLA breach or an issue you cannot resolve); " +
    "not for closed or resolved tickets. Returns the ticket's new status and team.",
  schema: z.object({
    ticket_id: idField("ticket_id", "The ticket to escalate"),
    reason: reasonField("Why the ticket is escalated, e.g. Enterprise SLA breached on an urgent outage"),
    team: z
      .enum(ESCALATION_TEAMS)
      .optional()
      .describe("Team to escalate to (KB-005): billing-ops for billing disputes, logistics for shipping, engineering for bugs and outages, tier2-support for account issues, privacy for data requests; omit to pick by the ticket's category"),
  }),
  metadata: {
    domain: "support",
    sideEffect: "write",
    idempotent: false,
    scopes: ["support:write"],
    examples: ["Escalate TCK-5100 to engineering", "Escalate the duplicate-charge ticket TCK-5042 to billing-ops", "Hand ticket TCK-5077 to logistics"],
    retrievalExamples: [
      "Send TCK-5063 to the engineering team, we can't fix it",
      "This ticket needs a specialist, escalate TCK-5100 to billing-ops",
      "Escalate the SLA-breached ticket TCK-5042",
      "Route TCK-5012 to the logistics team with the reason 'parcel lost'",
      "Bump TCK-5077 up to tier 2 support",
      "escalate this ticket",
    ],
  },
  run: (args, ctx) =>
    auditedWrite(ctx, args, () => {
      const t = requireRow<TicketRow>(ctx.db, "tickets", args.ticket_id, "ticket", "ticket_id");
      if (t.status === "resolved" || t.status === "closed")
        throw new ToolError("invalid_state", `Ticket ${t.id} is ${t.status}; it cannot be escalated.`, "Tell the user the ticket is already finished; reopen it with update_ticket_status first if the issue is back.", "ticket_id");
      const team = args.team ?? DEFAULT_TEAM[t.category] ?? "tier2-support";
      if (t.status === "escalated" && t.escalated_to === team)
        throw new ToolError("invalid_state", `Ticket ${t.id} is already escalated to ${team}.`, "Do not escalate again; tell the user it is already with that team.", "ticket_id");
      const now = ctx.now.toISOString();
      ctx.db.sql.prepare("UPDATE tickets SET status = 'escalated', escalated_to = ? WHERE id = ?").run(team, t.id);
      const messageId = addMessage(ctx.db, t.id, "system", `Escalated to ${team}: ${args.reason}`, now);
      return { ticket_id: t.id, previous_status: t.status, status: "escalated", escalated_to: team, message_id: messageId };
    }),
});

export const updateTicketStatus = defineTool({
  name: "update_ticket_status",
  description:
    "Changes a support ticket's status to open, pending, resolved or closed (resolving or closing records the resolution time; " +
    "reopening clears it). Use escalate_ticket to escalate instead. Closed tickets cannot change. Returns the previous and new status.",
  schema: z.object({
    ticket_id: idField("ticket_id", "The ticket to update"),
    status: z.enum(SETTABLE_STATUSES).describe("The new status"),
    reason: reasonField("Why the status changes, e.g. Customer confirmed the refund arrived").optional(),
  }),
  metadata: {
    domain: "support",
    sideEffect: "write",
    idempotent: true,
    scopes: ["support:write"],
    examples: ["Mark TCK-5042 as resolved", "Close ticket TCK-5100", "Set TCK-5077 to pending while we wait for the customer"],
    retrievalExamples: [
      "Reopen TCK-5042, the customer says it's not fixed",
      "Set TCK-5063 to pending",
      "The issue on TCK-5100 is solved, mark it resolved",
      "Close TCK-5012, no reply from the customer in two weeks",
      "Change the status of ticket TCK-5077 to open",
      "mark the ticket as closed",
    ],
  },
  run: (args, ctx) =>
    auditedWrite(ctx, args, () => {
      const t = requireRow<TicketRow>(ctx.db, "tickets", args.ticket_id, "ticket", "ticket_id");
      if (t.status === "closed")
        throw new ToolError("invalid_state", `Ticket ${t.id} is closed; closed tickets cannot change.`, "Tell the user; if the issue is back, the customer needs a new ticket.", "ticket_id");
      if (t.status === args.status)
        throw new ToolError("invalid_state", `Ticket ${t.id} is already ${t.status}.`, "Nothing to change; tell the user the ticket's current status.", "status");
      const finished = args.status === "resolved" || args.status === "closed";
      const resolvedAt = finished ? (t.resolved_at ?? ctx.now.toISOString()) : null;
      ctx.db.sql.prepare("UPDATE tickets SET status = ?, resolved_at = ? WHERE id = ?").run(args.status, resolvedAt, t.id);
      return { ticket_id: t.id, previous_status: t.status, status: args.status, resolved_at: resolvedAt };
    }),
});

export const replyToTicket = defineTool({
  name: "reply_to_ticket",
  description:
    "Sends a reply to the customer on a support ticket (emailed to them and added to the conversation as an agent message; " +
    "records the first response time if this is the first reply). Use it only with the final wording the user approved; not for " +
    "internal notes. Returns the message id and the address it was sent to.",
  schema: z.object({
    ticket_id: idField("ticket_id", "The ticket to reply on"),
    message: z.string().trim().min(1).max(4000).describe("The reply text exactly as the customer should read it"),
  }),
  metadata: {
    domain: "support",
    sideEffect: "egress",
    idempotent: false,
    scopes: ["support:write", "comms:send"],
    examples: ["Reply to TCK-5042 that the duplicate charge was refunded", "Tell the customer on TCK-5100 we are investigating", "Send the drafted answer on ticket TCK-5077"],
    retrievalExamples: [
      "Answer the customer on TCK-5063 with the approved text",
      "Write back to the customer on TCK-5042 saying the credit was applied",
      "Send our response on TCK-5100 to the customer",
      "Let the customer on TCK-5012 know we need their invoice number",
      "Respond to ticket TCK-5077 with the wording we agreed",
      "email the customer a reply on their ticket",
    ],
  },
  run: (args, ctx) =>
    auditedWrite(ctx, args, () => {
      const t = requireRow<TicketRow>(ctx.db, "tickets", args.ticket_id, "ticket", "ticket_id");
      if (t.status === "closed")
        throw new ToolError("invalid_state", `Ticket ${t.id} is closed; replies cannot be sent on it.`, "Tell the user the ticket is closed; do not send the reply.", "ticket_id");
      const customer = requireRow<CustomerRow>(ctx.db, "customers", t.customer_id, "customer", "ticket_id");
      const now = ctx.now.toISOString();
      const messageId = addMessage(ctx.db, t.id, "agent", args.message, now);
      const firstResponse = t.first_response_at === null;
      if (firstResponse) ctx.db.sql.prepare("UPDATE tickets SET first_response_at = ? WHERE id = ?").run(now, t.id);
      return { message_id: messageId, ticket_id: t.id, sent_to: customer.email, sent_at: now, first_response: firstResponse };
    }),
});

function addMessage(db: CompanyDb, ticketId: string, author: "agent" | "system", body: string, at: string): string {
  const id = nextId(db, "ticket_messages", "MSG");
  db.sql.prepare("INSERT INTO ticket_messages (id, ticket_id, author, body, created_at) VALUES (?, ?, ?, ?, ?)").run(id, ticketId, author, body, at);
  return id;
}
