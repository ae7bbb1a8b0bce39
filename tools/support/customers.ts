/** Customer lookups: find a customer, read one with its plan, read a plan's SLA. */
import { z } from "zod";
import { defineTool } from "../../src/toolkit/define-tool.js";
import { PLANS } from "../../src/db/reference-data.js";
import type { CustomerRow, PlanRow } from "../../src/db/rows.js";
import { formatUsd, requireRow } from "../shared/db-helpers.js";
import { idField, limitField } from "../shared/fields.js";
import { customerView, planView } from "./records.js";

const PLAN_IDS = PLANS.map((p) => p.id) as unknown as readonly [string, ...string[]];

export const findCustomer = defineTool({
  name: "find_customer",
  description:
    "Finds customers by email address or by a fragment of their name or company. Use it when the user names a customer " +
    "without giving a CUS- id; if you already have the id, use get_customer. Returns the matching customers' ids, names, emails, plans and statuses.",
  schema: z
    .object({
      email: z.email().optional().describe("The customer's exact email address, e.g. jane@acme.example"),
      query: z.string().trim().min(2).max(100).optional().describe("A fragment of the customer's name, company or email, e.g. Acme"),
      limit: limitField(5, 20),
    })
    .refine((v) => v.email !== undefined || v.query !== undefined, {
      message: "Give the customer's email or a name fragment in query.",
      path: ["query"],
    }),
  metadata: {
    domain: "support",
    sideEffect: "read",
    idempotent: true,
    scopes: ["support:read"],
    examples: ["Find the customer with email jane@acme.example", "Which customer is Acme Corp?", "Look up the account for Maria Lopez"],
    retrievalExamples: [
      "Who is the customer behind billing@northwind.example?",
      "Search our customers for 'Globex'",
      "I have a caller from Brightside Dental but no account number, which account is theirs?",
      "Find the CUS id for the company Initech",
      "Is there an account under the name Tom Becker?",
      "Someone emailed from ops@contoso.example, who are they?",
      "look up a client by their email",
    ],
  },
  run: ({ email, query, limit }, ctx) => {
    const rows = email
      ? (ctx.db.sql.prepare("SELECT * FROM customers WHERE lower(email) = lower(?) ORDER BY id LIMIT ?").all(email, limit) as CustomerRow[])
      : (ctx.db.sql
          .prepare(
            `SELECT * FROM customers
              WHERE name LIKE @pattern ESCAPE '\\' OR company LIKE @pattern ESCAPE '\\' OR email LIKE @pattern ESCAPE '\\'
              ORDER BY id LIMIT @limit`,
          )
          .all({ pattern: `%${query!.replace(/[\\%_]/g, (m) => `\\${m}`)}%`, limit }) as CustomerRow[]);
    return { count: rows.length, customers: rows.map(customerView) };
  },
});

export const getCustomer = defineTool({
  name: "get_customer",
  description:
    "Reads one customer's account by id: contact details, status, credit balance, plan with its SLA, and open tickets. " +
    "Use it once you have a CUS- id; to find an id from an email or name use find_customer.",
  schema: z.object({ customer_id: idField("customer_id", "The customer's id") }),
  metadata: {
    domain: "support",
    sideEffect: "read",
    idempotent: true,
    scopes: ["support:read"],
    examples: ["Show me customer CUS-1042", "What plan is CUS-1100 on?", "What is the credit balance of CUS-1042?"],
    retrievalExamples: [
      "Pull up the account details for CUS-1077",
      "Is CUS-1042 active or suspended?",
      "What's the contact email on CUS-1100's account?",
      "Give me an overview of customer CUS-1063",
      "Which plan and SLA does customer CUS-1077 have, and how many tickets are open?",
      "account summary for CUS-1010",
    ],
  },
  run: ({ customer_id }, ctx) => {
    const c = requireRow<CustomerRow>(ctx.db, "customers", customer_id, "customer", "customer_id");
    const plan = requireRow<PlanRow>(ctx.db, "plans", c.plan_id, "plan", "customer_id");
    const openTickets = ctx.db.sql
      .prepare("SELECT id FROM tickets WHERE customer_id = ? AND status IN ('open','pending','escalated') ORDER BY created_at DESC")
      .pluck()
      .all(customer_id) as string[];
    return {
      ...customerView(c),
      country: c.country,
      customer_since: c.created_at,
      credit_balance_cents: c.credit_balance_cents,
      credit_balance: formatUsd(c.credit_balance_cents),
      plan: planView(plan),
      open_ticket_ids: openTickets.slice(0, 10),
      open_ticket_count: openTickets.length,
    };
  },
});

export const getPlanSla = defineTool({
  name: "get_plan_sla",
  description:
    "Reads the support SLA of a plan (hours to first response and to resolution, uptime target, support channels, price), " +
    "either for a customer's current plan or for a named plan. To check whether a specific ticket met its SLA use check_ticket_sla instead.",
  schema: z
    .object({
      customer_id: idField("customer_id", "The customer whose plan's SLA to read").optional(),
      plan_id: z.enum(PLAN_IDS).optional().describe("A plan id, when asking about a plan rather than a customer, e.g. PLAN-ENTERPRISE"),
    })
    .refine((v) => v.customer_id !== undefined || v.plan_id !== undefined, {
      message: "Give a customer_id or a plan_id.",
      path: ["customer_id"],
    }),
  metadata: {
    domain: "support",
    sideEffect: "read",
    idempotent: true,
    scopes: ["support:read"],
    examples: ["What SLA does CUS-1100 have?", "What is the Enterprise plan's first response time?", "How fast must we resolve Pro tickets?"],
    retrievalExamples: [
      "What response time does the Pro plan promise?",
      "How many hours do we have to resolve a ticket on the Basic plan?",
      "What uptime do we guarantee Enterprise customers?",
      "Which support channels come with the Starter plan?",
      "What does CUS-1077's plan entitle them to in terms of support?",
      "How much does the Enterprise plan cost?",
      "resolution target for premium customers",
    ],
  },
  run: ({ customer_id, plan_id }, ctx) => {
    const customer = customer_id ? requireRow<CustomerRow>(ctx.db, "customers", customer_id, "customer", "customer_id") : undefined;
    const plan = requireRow<PlanRow>(ctx.db, "plans", customer?.plan_id ?? plan_id!, "plan", customer ? "customer_id" : "plan_id");
    return { ...(customer ? { customer_id: customer.id } : {}), ...planView(plan) };
  },
});
