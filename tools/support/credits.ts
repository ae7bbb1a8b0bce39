/** Service credits: issue a credit to a customer's account, list the credits a customer received. */
import { z } from "zod";
import { defineTool } from "../../src/toolkit/define-tool.js";
import { ToolError } from "../../src/toolkit/tool-result.js";
import type { CreditRow, CustomerRow, TicketRow } from "../../src/db/rows.js";
import { auditedWrite, formatUsd, nextId, requireRow, toCents } from "../shared/db-helpers.js";
import { idField, limitField, reasonField } from "../shared/fields.js";

/** Most a single credit may be; larger goodwill needs a finance refund or a manual adjustment. */
export const MAX_CREDIT_USD = 500;

export const issueCredit = defineTool({
  name: "issue_credit",
  description:
    `Issues a service credit (in US dollars, at most $${MAX_CREDIT_USD}) to a customer's account balance, optionally against a ticket. ` +
    "Use it for goodwill or SLA compensation under the service credit policy (check it with search_policies first); to return money " +
    "actually paid use issue_refund instead. Returns the credit id and the new credit balance.",
  schema: z.object({
    customer_id: idField("customer_id", "The customer to credit"),
    amount_usd: z.number().min(0.01).max(MAX_CREDIT_USD).describe(`Credit amount in US dollars, positive, at most ${MAX_CREDIT_USD}, e.g. 25`),
    reason: reasonField("Why the credit is given, e.g. SLA breach on TCK-5000"),
    ticket_id: idField("ticket_id", "The customer's ticket the credit relates to, if any").optional(),
  }),
  metadata: {
    domain: "support",
    sideEffect: "write",
    idempotent: false,
    scopes: ["support:write"],
    examples: ["Give CUS-1100 a $50 credit for the SLA breach", "Credit CUS-1042 $20 for the inconvenience", "Issue a $100 service credit on ticket TCK-5042"],
    retrievalExamples: [
      "Apply a $75 goodwill credit to CUS-1077",
      "Compensate CUS-1100 with a service credit for the SLA miss on TCK-5100",
      "Add $30 of account credit for CUS-1063",
      "Give the customer a credit on their balance for the downtime",
      "Put a $25 credit on CUS-1042's account as an apology",
      "issue a service credit",
    ],
  },
  run: (args, ctx) =>
    auditedWrite(ctx, args, () => {
      const customer = requireRow<CustomerRow>(ctx.db, "customers", args.customer_id, "customer", "customer_id");
      if (customer.status === "churned")
        throw new ToolError("invalid_state", `Customer ${customer.id} has churned; credits cannot be issued to a closed account.`, "Tell the user; a refund through finance is the only way to return money to a churned customer.", "customer_id");
      if (args.ticket_id) {
        const ticket = requireRow<TicketRow>(ctx.db, "tickets", args.ticket_id, "ticket", "ticket_id");
        if (ticket.customer_id !== customer.id)
          throw new ToolError("invalid_state", `Ticket ${ticket.id} belongs to ${ticket.customer_id}, not ${customer.id}.`, "Check which customer and ticket the user means.", "ticket_id");
      }
      const cents = toCents(args.amount_usd);
      const id = nextId(ctx.db, "credits", "CRD");
      ctx.db.sql
        .prepare("INSERT INTO credits (id, customer_id, amount_cents, reason, ticket_id, created_at) VALUES (?, ?, ?, ?, ?, ?)")
        .run(id, customer.id, cents, args.reason, args.ticket_id ?? null, ctx.now.toISOString());
      ctx.db.sql.prepare("UPDATE customers SET credit_balance_cents = credit_balance_cents + ? WHERE id = ?").run(cents, customer.id);
      const balance = customer.credit_balance_cents + cents;
      return {
        credit_id: id,
        customer_id: customer.id,
        amount_cents: cents,
        amount: formatUsd(cents),
        ticket_id: args.ticket_id ?? null,
        credit_balance_cents: balance,
        credit_balance: formatUsd(balance),
      };
    }),
});

export const listCustomerCredits = defineTool({
  name: "list_customer_credits",
  description:
    "Lists the service credits a customer has received, newest first, with the current credit balance. Use it to check earlier " +
    "goodwill before issuing another credit. Returns credit ids, amounts, reasons, related tickets and dates.",
  schema: z.object({
    customer_id: idField("customer_id", "The customer whose credits to list"),
    limit: limitField(10),
  }),
  metadata: {
    domain: "support",
    sideEffect: "read",
    idempotent: true,
    scopes: ["support:read"],
    examples: ["Has CUS-1100 received credits before?", "List the credits of CUS-1042", "What is CUS-1042's credit history?"],
    retrievalExamples: [
      "How much goodwill has CUS-1077 already been given?",
      "Show previous service credits for CUS-1063",
      "Did we credit CUS-1100 for the outage last month?",
      "What's CUS-1042's current credit balance and past credits?",
      "Any credits already issued against TCK-5042?",
      "credit history for this account",
    ],
  },
  run: ({ customer_id, limit }, ctx) => {
    const customer = requireRow<CustomerRow>(ctx.db, "customers", customer_id, "customer", "customer_id");
    const rows = ctx.db.sql
      .prepare("SELECT * FROM credits WHERE customer_id = ? ORDER BY created_at DESC, id DESC LIMIT ?")
      .all(customer_id, limit) as CreditRow[];
    const total = ctx.db.sql.prepare("SELECT COUNT(*) FROM credits WHERE customer_id = ?").pluck().get(customer_id) as number;
    return {
      customer_id,
      credit_balance_cents: customer.credit_balance_cents,
      credit_balance: formatUsd(customer.credit_balance_cents),
      total,
      credits: rows.map((c) => ({
        credit_id: c.id,
        amount_cents: c.amount_cents,
        amount: formatUsd(c.amount_cents),
        reason: c.reason,
        ticket_id: c.ticket_id,
        created_at: c.created_at,
      })),
    };
  },
});
