/** Ticket reads: a customer's tickets, one ticket with its conversation, and a ticket's SLA status. */
import { z } from "zod";
import { defineTool } from "../../src/toolkit/define-tool.js";
import { TICKET_STATUSES, type CustomerRow, type PlanRow, type TicketMessageRow, type TicketRow } from "../../src/db/rows.js";
import { requireRow } from "../shared/db-helpers.js";
import { idField, limitField } from "../shared/fields.js";
import { ticketView } from "./records.js";

const MAX_MESSAGES = 20;
const HOUR_MS = 3_600_000;

export const listCustomerTickets = defineTool({
  name: "list_customer_tickets",
  description:
    "Lists a customer's support tickets, newest first, optionally only those with one status. Use it to see what a customer " +
    "has raised; to read one ticket's conversation use get_ticket. Returns ticket ids, subjects, categories, priorities, statuses and dates.",
  schema: z.object({
    customer_id: idField("customer_id", "The customer whose tickets to list"),
    status: z.enum(TICKET_STATUSES).optional().describe("Only tickets with this status; omit for all"),
    limit: limitField(10),
  }),
  metadata: {
    domain: "support",
    sideEffect: "read",
    idempotent: true,
    scopes: ["support:read"],
    examples: ["What tickets does CUS-1042 have open?", "List the support tickets of CUS-1100", "Show escalated tickets for CUS-1042"],
    retrievalExamples: [
      "Has CUS-1077 contacted support before?",
      "Show all closed tickets for customer CUS-1100",
      "What issues has this customer raised with us recently?",
      "Any pending tickets for CUS-1063?",
      "ticket history of CUS-1042",
      "How many support requests has CUS-1010 opened?",
    ],
  },
  run: ({ customer_id, status, limit }, ctx) => {
    requireRow<CustomerRow>(ctx.db, "customers", customer_id, "customer", "customer_id");
    const where = status ? "customer_id = ? AND status = ?" : "customer_id = ?";
    const params = status ? [customer_id, status] : [customer_id];
    const total = ctx.db.sql.prepare(`SELECT COUNT(*) FROM tickets WHERE ${where}`).pluck().get(...params) as number;
    const rows = ctx.db.sql
      .prepare(`SELECT * FROM tickets WHERE ${where} ORDER BY created_at DESC, id DESC LIMIT ?`)
      .all(...params, limit) as TicketRow[];
    return { customer_id, total, tickets: rows.map(ticketView) };
  },
});

export const getTicket = defineTool({
  name: "get_ticket",
  description:
    "Reads one support ticket by id with its body, status, timestamps, escalation and its conversation (the latest " +
    `${MAX_MESSAGES} messages, oldest first). Use it before replying to, escalating or crediting against a ticket.`,
  schema: z.object({ ticket_id: idField("ticket_id", "The ticket's id") }),
  metadata: {
    domain: "support",
    sideEffect: "read",
    idempotent: true,
    scopes: ["support:read"],
    examples: ["Show me ticket TCK-5042", "What did the customer write in TCK-5100?", "Read the conversation on ticket TCK-5077"],
    retrievalExamples: [
      "Open TCK-5063 and summarise it",
      "What is ticket TCK-5042 about?",
      "When was TCK-5100 created and who is handling it?",
      "Show the latest messages on TCK-5077",
      "Has the customer replied on TCK-5042?",
      "give me the details of support ticket TCK-5012",
    ],
  },
  run: ({ ticket_id }, ctx) => {
    const t = requireRow<TicketRow>(ctx.db, "tickets", ticket_id, "ticket", "ticket_id");
    const messages = ctx.db.sql
      .prepare(
        `SELECT * FROM (SELECT * FROM ticket_messages WHERE ticket_id = ? ORDER BY created_at DESC, id DESC LIMIT ?)
          ORDER BY created_at, id`,
      )
      .all(ticket_id, MAX_MESSAGES) as TicketMessageRow[];
    const messageCount = ctx.db.sql.prepare("SELECT COUNT(*) FROM ticket_messages WHERE ticket_id = ?").pluck().get(ticket_id) as number;
    return {
      ...ticketView(t),
      body: t.body,
      first_response_at: t.first_response_at,
      resolved_at: t.resolved_at,
      escalated_to: t.escalated_to,
      message_count: messageCount,
      messages: messages.map((m) => ({ message_id: m.id, author: m.author, body: m.body, created_at: m.created_at })),
    };
  },
});

export const checkTicketSla = defineTool({
  name: "check_ticket_sla",
  description:
    "Checks one ticket against its customer's plan SLA: hours to first response and to resolution, each measured to the " +
    "recorded time or, while still pending, to now. Use it to tell whether a ticket breached (or is about to breach) its SLA. " +
    "Returns targets, due times, elapsed and remaining hours and a breached flag for each.",
  schema: z.object({ ticket_id: idField("ticket_id", "The ticket to check") }),
  metadata: {
    domain: "support",
    sideEffect: "read",
    idempotent: true,
    scopes: ["support:read"],
    examples: ["Did ticket TCK-5042 breach its SLA?", "Is CUS-1100's urgent ticket within SLA?", "How long until TCK-5077 breaches?"],
    retrievalExamples: [
      "Are we still within the response deadline on TCK-5063?",
      "Has the resolution target on TCK-5100 been missed?",
      "How many hours are left to answer TCK-5042?",
      "Is ticket TCK-5077 overdue against its SLA?",
      "Did we respond to TCK-5012 in time?",
      "check whether this ticket breached the first response target",
    ],
  },
  run: ({ ticket_id }, ctx) => {
    const t = requireRow<TicketRow>(ctx.db, "tickets", ticket_id, "ticket", "ticket_id");
    const customer = requireRow<CustomerRow>(ctx.db, "customers", t.customer_id, "customer", "ticket_id");
    const plan = requireRow<PlanRow>(ctx.db, "plans", customer.plan_id, "plan", "ticket_id");
    const firstResponse = slaClock(t.created_at, t.first_response_at, plan.sla_first_response_h, ctx.now);
    const resolution = slaClock(t.created_at, t.resolved_at, plan.sla_resolution_h, ctx.now);
    return {
      ticket_id: t.id,
      customer_id: t.customer_id,
      plan_id: plan.id,
      priority: t.priority,
      status: t.status,
      created_at: t.created_at,
      measured_at: ctx.now.toISOString(),
      first_response: { ...firstResponse, responded_at: t.first_response_at },
      resolution: { ...resolution, resolved_at: t.resolved_at },
      breached: firstResponse.breached || resolution.breached,
    };
  },
});

/** One SLA clock: from `start` to `stop` (or `now` while still running) against `targetHours`. */
function slaClock(start: string, stop: string | null, targetHours: number, now: Date) {
  const startMs = Date.parse(start);
  const dueMs = startMs + targetHours * HOUR_MS;
  const endMs = stop ? Date.parse(stop) : now.getTime();
  const elapsed = (endMs - startMs) / HOUR_MS;
  const breached = endMs > dueMs;
  return {
    target_hours: targetHours,
    due_at: new Date(dueMs).toISOString(),
    state: stop ? (breached ? "breached" : "met") : breached ? "breached" : "running",
    elapsed_hours: round2(elapsed),
    ...(stop || breached ? {} : { remaining_hours: round2((dueMs - endMs) / HOUR_MS) }),
    ...(breached ? { overdue_hours: round2((endMs - dueMs) / HOUR_MS) } : {}),
    breached,
  };
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
