/** Invoice reads: a customer's invoices, one invoice with its payments, overdue invoices, a customer's balance. */
import { z } from "zod";
import { defineTool } from "../../src/toolkit/define-tool.js";
import { INVOICE_STATUSES, type CustomerRow, type InvoiceRow, type PaymentRow } from "../../src/db/rows.js";
import { formatUsd, requireRow } from "../shared/db-helpers.js";
import { idField, limitField } from "../shared/fields.js";
import { OVERDUE_WHERE, invoiceView, netPaidCents, paymentView } from "./records.js";

const DAY_MS = 86_400_000;

export const listInvoices = defineTool({
  name: "list_invoices",
  description:
    "Lists a customer's invoices, newest period first, optionally only those with one status. Use it to find an invoice id for a " +
    "billing period; for one invoice's payments use get_invoice. Returns invoice ids, periods, amounts, statuses and due dates.",
  schema: z.object({
    customer_id: idField("customer_id", "The customer whose invoices to list"),
    status: z.enum(INVOICE_STATUSES).optional().describe("Only invoices with this status; omit for all"),
    limit: limitField(12),
  }),
  metadata: {
    domain: "finance",
    sideEffect: "read",
    idempotent: true,
    scopes: ["finance:read"],
    examples: ["List CUS-1042's invoices", "Which invoices of CUS-1100 are open?", "Show the November invoice for CUS-1042"],
    retrievalExamples: [
      "What invoices have we sent CUS-1077?",
      "Show paid invoices for CUS-1063",
      "Find the invoice id for CUS-1100's October bill",
      "List draft invoices of CUS-1042",
      "All invoices for this customer",
      "billing history for CUS-1010",
    ],
  },
  run: ({ customer_id, status, limit }, ctx) => {
    requireRow<CustomerRow>(ctx.db, "customers", customer_id, "customer", "customer_id");
    const where = status ? "customer_id = ? AND status = ?" : "customer_id = ?";
    const params = status ? [customer_id, status] : [customer_id];
    const total = ctx.db.sql.prepare(`SELECT COUNT(*) FROM invoices WHERE ${where}`).pluck().get(...params) as number;
    const rows = ctx.db.sql
      .prepare(`SELECT * FROM invoices WHERE ${where} ORDER BY period DESC, id DESC LIMIT ?`)
      .all(...params, limit) as InvoiceRow[];
    return { customer_id, total, invoices: rows.map(invoiceView) };
  },
});

export const getInvoice = defineTool({
  name: "get_invoice",
  description:
    "Reads one invoice by id with every payment made against it (and what was refunded of each), what was paid net of refunds, " +
    "the balance still due and any overpayment (e.g. a double charge). Use it before refunding, voiding or resending an invoice.",
  schema: z.object({ invoice_id: idField("invoice_id", "The invoice's id") }),
  metadata: {
    domain: "finance",
    sideEffect: "read",
    idempotent: true,
    scopes: ["finance:read"],
    examples: ["Show invoice INV-21042", "Was INV-21042 paid twice?", "What payments were made on invoice INV-20310?"],
    retrievalExamples: [
      "Show me the details of INV-20415",
      "How much is still due on INV-21042?",
      "Which payments went against invoice INV-20310?",
      "Is INV-20415 fully paid?",
      "Was anything refunded on INV-21042?",
      "open invoice INV-20877",
    ],
  },
  run: ({ invoice_id }, ctx) => {
    const invoice = requireRow<InvoiceRow>(ctx.db, "invoices", invoice_id, "invoice", "invoice_id");
    const payments = ctx.db.sql
      .prepare("SELECT * FROM payments WHERE invoice_id = ? ORDER BY created_at, id")
      .all(invoice_id) as PaymentRow[];
    const netPaid = netPaidCents(ctx.db, invoice_id);
    const due = invoice.status === "void" ? 0 : Math.max(0, invoice.amount_cents - netPaid);
    const overpaid = Math.max(0, netPaid - invoice.amount_cents);
    return {
      ...invoiceView(invoice),
      net_paid_cents: netPaid,
      net_paid: formatUsd(netPaid),
      balance_due_cents: due,
      balance_due: formatUsd(due),
      overpaid_cents: overpaid,
      overpaid: formatUsd(overpaid),
      payments: payments.map((p) => paymentView(ctx.db, p)),
    };
  },
});

export const listOverdueInvoices = defineTool({
  name: "list_overdue_invoices",
  description:
    "Lists unpaid invoices past their due date (marked overdue, or open after the due date), oldest due date first, for all " +
    "customers or one. Use it for collections and dunning questions. Returns invoice ids, customers, amounts, due dates, days overdue and totals.",
  schema: z.object({
    customer_id: idField("customer_id", "Only this customer's overdue invoices; omit for all customers").optional(),
    limit: limitField(10),
  }),
  metadata: {
    domain: "finance",
    sideEffect: "read",
    idempotent: true,
    scopes: ["finance:read"],
    examples: ["Which invoices are overdue?", "Does CUS-1042 have overdue invoices?", "How much is overdue right now?"],
    retrievalExamples: [
      "Which customers haven't paid on time?",
      "Show invoices past their due date",
      "Who is behind on payments?",
      "List overdue bills for collections",
      "How many days overdue is CUS-1077's invoice?",
      "what's the total overdue amount across all customers?",
      "dunning list",
    ],
  },
  run: ({ customer_id, limit }, ctx) => {
    if (customer_id) requireRow<CustomerRow>(ctx.db, "customers", customer_id, "customer", "customer_id");
    const where = `${OVERDUE_WHERE}${customer_id ? " AND customer_id = @customer" : ""}`;
    const params = { asOf: ctx.now.toISOString(), ...(customer_id ? { customer: customer_id } : {}) };
    const totals = ctx.db.sql
      .prepare(`SELECT COUNT(*) AS n, COALESCE(SUM(amount_cents), 0) AS cents FROM invoices WHERE ${where}`)
      .get(params) as { n: number; cents: number };
    const rows = ctx.db.sql
      .prepare(`SELECT * FROM invoices WHERE ${where} ORDER BY due_at, id LIMIT @limit`)
      .all({ ...params, limit }) as InvoiceRow[];
    return {
      as_of: ctx.now.toISOString(),
      total: totals.n,
      total_amount_cents: totals.cents,
      total_amount: formatUsd(totals.cents),
      invoices: rows.map((i) => ({
        ...invoiceView(i),
        days_overdue: Math.max(0, Math.floor((ctx.now.getTime() - Date.parse(i.due_at)) / DAY_MS)),
      })),
    };
  },
});

export const getOutstandingBalance = defineTool({
  name: "get_outstanding_balance",
  description:
    "Computes what a customer still owes: the unpaid part of each open or overdue invoice, their total, and the customer's " +
    "service credit balance. Use it when asked how much a customer owes; for a single invoice use get_invoice.",
  schema: z.object({ customer_id: idField("customer_id", "The customer whose balance to compute") }),
  metadata: {
    domain: "finance",
    sideEffect: "read",
    idempotent: true,
    scopes: ["finance:read"],
    examples: ["How much does CUS-1042 owe?", "What is the outstanding balance of CUS-1100?", "Does CUS-1042 have anything unpaid?"],
    retrievalExamples: [
      "What's left to pay on CUS-1077's account?",
      "Total amount CUS-1063 still owes us",
      "Does CUS-1100 have an unpaid balance?",
      "How much money is CUS-1042 behind on?",
      "What does this customer owe in total, including credits?",
      "outstanding amount for CUS-1010",
    ],
  },
  run: ({ customer_id }, ctx) => {
    const customer = requireRow<CustomerRow>(ctx.db, "customers", customer_id, "customer", "customer_id");
    const rows = ctx.db.sql
      .prepare("SELECT * FROM invoices WHERE customer_id = ? AND status IN ('open','overdue') ORDER BY due_at, id")
      .all(customer_id) as InvoiceRow[];
    const invoices = rows
      .map((i) => ({ ...invoiceView(i), balance_due_cents: Math.max(0, i.amount_cents - netPaidCents(ctx.db, i.id)) }))
      .filter((i) => i.balance_due_cents > 0)
      .map((i) => ({ ...i, balance_due: formatUsd(i.balance_due_cents) }));
    const outstanding = invoices.reduce((sum, i) => sum + i.balance_due_cents, 0);
    return {
      customer_id,
      outstanding_cents: outstanding,
      outstanding: formatUsd(outstanding),
      credit_balance_cents: customer.credit_balance_cents,
      credit_balance: formatUsd(customer.credit_balance_cents),
      invoices: invoices.slice(0, 20),
    };
  },
});
