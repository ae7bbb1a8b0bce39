/** Invoice changes: void an invoice, email an invoice to its customer. Each is one transaction with its audit row. */
import { z } from "zod";
import { defineTool } from "../../src/toolkit/define-tool.js";
import { ToolError } from "../../src/toolkit/tool-result.js";
import type { CustomerRow, InvoiceRow } from "../../src/db/rows.js";
import { auditedWrite, formatUsd, requireRow } from "../shared/db-helpers.js";
import { idField, reasonField } from "../shared/fields.js";
import { netPaidCents } from "./records.js";

const VOIDABLE = new Set(["draft", "open", "overdue"]);

export const voidInvoice = defineTool({
  name: "void_invoice",
  description:
    "Voids an invoice so it is no longer owed. Only draft, open or overdue invoices with no payment kept on them can be voided; " +
    "a paid invoice needs issue_refund instead. Irreversible. Returns the invoice's previous and new status.",
  schema: z.object({
    invoice_id: idField("invoice_id", "The invoice to void"),
    reason: reasonField("Why the invoice is voided, e.g. Issued in error after plan downgrade"),
  }),
  metadata: {
    domain: "finance",
    sideEffect: "destructive",
    idempotent: true,
    scopes: ["finance:write"],
    examples: ["Void invoice INV-21042", "Cancel the draft invoice INV-20310", "Void CUS-1042's overdue invoice, it was issued in error"],
    retrievalExamples: [
      "Void INV-20877, it was created by mistake",
      "Cancel invoice INV-20415 so the customer doesn't owe it",
      "Write off the draft invoice INV-21100",
      "Remove the duplicate invoice INV-21043 from CUS-1042's account",
      "The invoice was sent in error, void it",
      "void this invoice",
    ],
  },
  run: (args, ctx) =>
    auditedWrite(ctx, args, () => {
      const invoice = requireRow<InvoiceRow>(ctx.db, "invoices", args.invoice_id, "invoice", "invoice_id");
      if (!VOIDABLE.has(invoice.status))
        throw new ToolError("invalid_state", `Invoice ${invoice.id} is ${invoice.status}; only draft, open or overdue invoices can be voided.`, invoice.status === "paid" ? "Tell the user a paid invoice cannot be voided; offer a refund with issue_refund instead." : "Tell the user the invoice is already void.", "invoice_id");
      const kept = netPaidCents(ctx.db, invoice.id);
      if (kept > 0)
        throw new ToolError("invalid_state", `Invoice ${invoice.id} has ${formatUsd(kept)} paid against it.`, "Refund its payments with issue_refund before voiding, or ask the user how to proceed.", "invoice_id");
      ctx.db.sql.prepare("UPDATE invoices SET status = 'void' WHERE id = ?").run(invoice.id);
      return { invoice_id: invoice.id, customer_id: invoice.customer_id, previous_status: invoice.status, status: "void" };
    }),
});

export const sendInvoiceEmail = defineTool({
  name: "send_invoice_email",
  description:
    "Emails an invoice (with an optional note) to the customer's billing address. Use it when the user asks to (re)send an invoice " +
    "or a payment reminder; not for draft or void invoices. Returns the address it was sent to.",
  schema: z.object({
    invoice_id: idField("invoice_id", "The invoice to email"),
    message: z.string().trim().min(1).max(2000).optional().describe("A short note to include above the invoice, e.g. a payment reminder"),
  }),
  metadata: {
    domain: "finance",
    sideEffect: "egress",
    idempotent: false,
    scopes: ["finance:read", "comms:send"],
    examples: ["Resend invoice INV-21042 to the customer", "Email CUS-1042 a reminder about their overdue invoice", "Send INV-21042 to the client again"],
    retrievalExamples: [
      "Email invoice INV-20415 to CUS-1077's billing contact",
      "Send a payment reminder for INV-20877",
      "The customer didn't get their invoice, send it again",
      "Forward INV-21042 to the customer with a note",
      "Remind CUS-1063 that their invoice is due",
      "email the invoice",
    ],
  },
  run: (args, ctx) =>
    auditedWrite(ctx, args, () => {
      const invoice = requireRow<InvoiceRow>(ctx.db, "invoices", args.invoice_id, "invoice", "invoice_id");
      if (invoice.status === "draft" || invoice.status === "void")
        throw new ToolError("invalid_state", `Invoice ${invoice.id} is ${invoice.status}; only issued invoices can be sent.`, "Tell the user the invoice cannot be sent in its current state.", "invoice_id");
      const customer = requireRow<CustomerRow>(ctx.db, "customers", invoice.customer_id, "customer", "invoice_id");
      return {
        invoice_id: invoice.id,
        customer_id: customer.id,
        sent_to: customer.email,
        subject: `Invoice ${invoice.id} for ${invoice.period}: ${formatUsd(invoice.amount_cents)} (${invoice.status})`,
        sent_at: ctx.now.toISOString(),
      };
    }),
});
