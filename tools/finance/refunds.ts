/** Refunds: return money from a payment. */
import { z } from "zod";
import { defineTool } from "../../src/toolkit/define-tool.js";
import { ToolError } from "../../src/toolkit/tool-result.js";
import type { PaymentRow } from "../../src/db/rows.js";
import { auditedWrite, formatUsd, nextId, requireRow, toCents } from "../shared/db-helpers.js";
import { idField, reasonField } from "../shared/fields.js";
import { refundedCents } from "./records.js";

export const issueRefund = defineTool({
  name: "issue_refund",
  description:
    "Refunds a successful payment to the customer's original payment method, in full (omit amount_usd) or in part. Use it for a " +
    "verified double charge or an approved refund under the refund policy; it refuses more than what remains unrefunded. " +
    "Returns the refund id, the amount and the payment's new status.",
  schema: z.object({
    payment_id: idField("payment_id", "The payment to refund (for a double charge, the duplicate one)"),
    amount_usd: z.number().min(0.01).optional().describe("Amount to refund in US dollars, e.g. 99; omit to refund everything that remains"),
    reason: reasonField("Why the refund is issued, e.g. Duplicate charge for the 2026-11 invoice"),
  }),
  metadata: {
    domain: "finance",
    sideEffect: "destructive",
    idempotent: false,
    scopes: ["finance:refund"],
    examples: ["Refund the duplicate charge PAY-31043", "Refund $20 of payment PAY-30120", "Give CUS-1042 their money back for the double charge"],
    retrievalExamples: [
      "Refund payment PAY-30877 in full",
      "Send $15 back to the customer for payment PAY-31002",
      "Reverse the double charge on CUS-1077's card",
      "Return the money for the second charge PAY-31043",
      "Partially refund PAY-30120 by $40",
      "refund this payment",
    ],
  },
  run: (args, ctx) =>
    auditedWrite(ctx, args, () => {
      const payment = requireRow<PaymentRow>(ctx.db, "payments", args.payment_id, "payment", "payment_id");
      if (payment.status === "failed" || payment.status === "refunded")
        throw new ToolError("invalid_state", `Payment ${payment.id} is ${payment.status}; there is nothing to refund.`, "Tell the user; check list_payments for the payment that was actually collected.", "payment_id");
      const remaining = payment.amount_cents - refundedCents(ctx.db, payment.id);
      const cents = args.amount_usd === undefined ? remaining : toCents(args.amount_usd);
      if (remaining <= 0)
        throw new ToolError("invalid_state", `Payment ${payment.id} has already been refunded in full.`, "Tell the user; do not refund it again.", "payment_id");
      if (cents > remaining)
        throw new ToolError("invalid_state", `Refund of ${formatUsd(cents)} exceeds the ${formatUsd(remaining)} that remains refundable on ${payment.id}.`, `Refund at most ${formatUsd(remaining)}, or ask the user which amount they meant.`, "amount_usd");
      const id = nextId(ctx.db, "refunds", "RFD");
      ctx.db.sql
        .prepare("INSERT INTO refunds (id, payment_id, amount_cents, reason, created_at) VALUES (?, ?, ?, ?, ?)")
        .run(id, payment.id, cents, args.reason, ctx.now.toISOString());
      const left = remaining - cents;
      const status = left === 0 ? "refunded" : "partially_refunded";
      ctx.db.sql.prepare("UPDATE payments SET status = ? WHERE id = ?").run(status, payment.id);
      return {
        refund_id: id,
        payment_id: payment.id,
        invoice_id: payment.invoice_id,
        customer_id: payment.customer_id,
        amount_cents: cents,
        amount: formatUsd(cents),
        payment_status: status,
        remaining_refundable_cents: left,
        remaining_refundable: formatUsd(left),
      };
    }),
});
