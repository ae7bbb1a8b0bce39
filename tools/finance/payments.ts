/** Payment reads: list payments, find double charges. */
import { z } from "zod";
import { defineTool } from "../../src/toolkit/define-tool.js";
import { ToolError } from "../../src/toolkit/tool-result.js";
import { PAYMENT_STATUSES, type CustomerRow, type InvoiceRow, type PaymentRow } from "../../src/db/rows.js";
import { formatUsd, requireRow } from "../shared/db-helpers.js";
import { dateField, idField, limitField } from "../shared/fields.js";
import { paymentView } from "./records.js";

/** Two equal successful charges of one customer this close together are treated as a duplicate. */
export const DUPLICATE_WINDOW_SECONDS = 600;

export const listPayments = defineTool({
  name: "list_payments",
  description:
    "Lists payments of a customer or of one invoice, newest first, optionally only those with one status, with what was refunded " +
    "of each. Use it to see charges and failed payments; to look for double charges use find_duplicate_charges.",
  schema: z
    .object({
      customer_id: idField("customer_id", "The customer whose payments to list").optional(),
      invoice_id: idField("invoice_id", "The invoice whose payments to list").optional(),
      status: z.enum(PAYMENT_STATUSES).optional().describe("Only payments with this status; omit for all"),
      limit: limitField(10),
    })
    .refine((v) => v.customer_id !== undefined || v.invoice_id !== undefined, {
      message: "Give a customer_id or an invoice_id.",
      path: ["customer_id"],
    }),
  metadata: {
    domain: "finance",
    sideEffect: "read",
    idempotent: true,
    scopes: ["finance:read"],
    examples: ["List CUS-1042's payments", "Which payments failed for CUS-1100?", "Show payments on invoice INV-21042"],
    retrievalExamples: [
      "Show recent charges for CUS-1077",
      "What payments has CUS-1063 made this year?",
      "Did CUS-1042's last card payment fail?",
      "List refunded payments for CUS-1100",
      "Which payments went through for INV-20310?",
      "payment history for this customer",
    ],
  },
  run: ({ customer_id, invoice_id, status, limit }, ctx) => {
    if (customer_id) requireRow<CustomerRow>(ctx.db, "customers", customer_id, "customer", "customer_id");
    if (invoice_id) requireRow<InvoiceRow>(ctx.db, "invoices", invoice_id, "invoice", "invoice_id");
    const filters = [
      ...(customer_id ? ["customer_id = @customer_id"] : []),
      ...(invoice_id ? ["invoice_id = @invoice_id"] : []),
      ...(status ? ["status = @status"] : []),
    ].join(" AND ");
    const params = { customer_id, invoice_id, status };
    const defined = Object.fromEntries(Object.entries(params).filter(([, v]) => v !== undefined));
    const total = ctx.db.sql.prepare(`SELECT COUNT(*) FROM payments WHERE ${filters}`).pluck().get(defined) as number;
    const rows = ctx.db.sql
      .prepare(`SELECT * FROM payments WHERE ${filters} ORDER BY created_at DESC, id DESC LIMIT @limit`)
      .all({ ...defined, limit }) as PaymentRow[];
    return { total, payments: rows.map((p) => paymentView(ctx.db, p)) };
  },
});

export const findDuplicateCharges = defineTool({
  name: "find_duplicate_charges",
  description:
    `Finds likely double charges: two successful payments of the same customer for the same amount within ${DUPLICATE_WINDOW_SECONDS / 60} minutes. ` +
    "Search one customer, or all customers over a date range. Use it when a customer says they were charged twice, before refunding. " +
    "Returns pairs of payment ids (the later one is the likely duplicate) with amount, invoices and seconds apart.",
  schema: z.object({
    customer_id: idField("customer_id", "Only this customer's payments; omit to search all customers").optional(),
    from_date: dateField("Earliest payment date to search (inclusive)").optional(),
    to_date: dateField("Latest payment date to search (inclusive)").optional(),
    limit: limitField(10),
  }),
  metadata: {
    domain: "finance",
    sideEffect: "read",
    idempotent: true,
    scopes: ["finance:read"],
    examples: ["Was CUS-1042 charged twice?", "Find duplicate charges in November 2026", "Check for double payments this month"],
    retrievalExamples: [
      "The customer says they were billed twice, can you check CUS-1077?",
      "Look for double charges across all customers last week",
      "Did anyone get charged the same amount twice in October?",
      "Check whether CUS-1063 has a duplicate payment",
      "Find repeated charges between 2026-11-01 and 2026-11-15",
      "scan for accidental double billing",
    ],
  },
  run: ({ customer_id, from_date, to_date, limit }, ctx) => {
    if (from_date && to_date && from_date > to_date)
      throw new ToolError("invalid_arguments", `from_date ${from_date} is after to_date ${to_date}.`, "Swap or correct the dates.", "from_date");
    if (customer_id) requireRow<CustomerRow>(ctx.db, "customers", customer_id, "customer", "customer_id");
    const filters = [
      ...(customer_id ? ["a.customer_id = @customer_id"] : []),
      ...(from_date ? ["a.created_at >= @from"] : []),
      ...(to_date ? ["a.created_at < date(@to, '+1 day')"] : []),
    ];
    const rows = ctx.db.sql
      .prepare(
        `SELECT a.customer_id, a.amount_cents, a.id AS first_id, b.id AS second_id, a.invoice_id AS first_invoice,
                b.invoice_id AS second_invoice, a.created_at AS first_at, b.created_at AS second_at,
                CAST(ROUND((julianday(b.created_at) - julianday(a.created_at)) * 86400) AS INTEGER) AS seconds_apart
           FROM payments a JOIN payments b
             ON b.customer_id = a.customer_id AND b.amount_cents = a.amount_cents AND b.id <> a.id
            AND (b.created_at > a.created_at OR (b.created_at = a.created_at AND b.id > a.id))
            AND (julianday(b.created_at) - julianday(a.created_at)) * 86400 <= ${DUPLICATE_WINDOW_SECONDS}
          WHERE a.status = 'succeeded' AND b.status = 'succeeded'${filters.map((f) => ` AND ${f}`).join("")}
          ORDER BY a.created_at, a.id LIMIT @limit`,
      )
      .all({
        ...(customer_id ? { customer_id } : {}),
        ...(from_date ? { from: from_date } : {}),
        ...(to_date ? { to: to_date } : {}),
        limit,
      }) as Array<{
      customer_id: string;
      amount_cents: number;
      first_id: string;
      second_id: string;
      first_invoice: string;
      second_invoice: string;
      first_at: string;
      second_at: string;
      seconds_apart: number;
    }>;
    return {
      count: rows.length,
      duplicates: rows.map((r) => ({
        customer_id: r.customer_id,
        amount_cents: r.amount_cents,
        amount: formatUsd(r.amount_cents),
        payment_ids: [r.first_id, r.second_id],
        duplicate_payment_id: r.second_id,
        invoice_ids: [...new Set([r.first_invoice, r.second_invoice])],
        charged_at: [r.first_at, r.second_at],
        seconds_apart: r.seconds_apart,
      })),
    };
  },
});
