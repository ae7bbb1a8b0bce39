/** The views the finance tools answer with and the money sums they share. */
import type { CompanyDb } from "../../src/db/index.js";
import type { InvoiceRow, PaymentRow } from "../../src/db/rows.js";
import { formatUsd } from "../shared/db-helpers.js";

/** Payment statuses whose money was collected (a refunded payment was collected first, then refunded). */
export const COLLECTED_SQL = "('succeeded','refunded','partially_refunded')";

export function invoiceView(i: InvoiceRow) {
  return {
    invoice_id: i.id,
    customer_id: i.customer_id,
    period: i.period,
    amount_cents: i.amount_cents,
    amount: formatUsd(i.amount_cents),
    status: i.status,
    issued_at: i.issued_at,
    due_at: i.due_at,
  };
}

/** A payment with what has been refunded of it so far. */
export function paymentView(db: CompanyDb, p: PaymentRow) {
  const refunded = refundedCents(db, p.id);
  return {
    payment_id: p.id,
    invoice_id: p.invoice_id,
    customer_id: p.customer_id,
    amount_cents: p.amount_cents,
    amount: formatUsd(p.amount_cents),
    method: p.method,
    ...(p.card_last4 ? { card_last4: p.card_last4 } : {}),
    status: p.status,
    created_at: p.created_at,
    refunded_cents: refunded,
  };
}

export function refundedCents(db: CompanyDb, paymentId: string): number {
  return db.sql.prepare("SELECT COALESCE(SUM(amount_cents), 0) FROM refunds WHERE payment_id = ?").pluck().get(paymentId) as number;
}

/** Money kept on an invoice: collected payments minus their refunds. */
export function netPaidCents(db: CompanyDb, invoiceId: string): number {
  return db.sql
    .prepare(
      `SELECT COALESCE(SUM(p.amount_cents), 0) - COALESCE((SELECT SUM(r.amount_cents) FROM refunds r JOIN payments q ON q.id = r.payment_id WHERE q.invoice_id = @id), 0)
         FROM payments p WHERE p.invoice_id = @id AND p.status IN ${COLLECTED_SQL}`,
    )
    .pluck()
    .get({ id: invoiceId }) as number;
}

/** Unpaid invoices past due as of `@asOf` (an ISO time): marked overdue, or still open after their due date. */
export const OVERDUE_WHERE = "(status = 'overdue' OR (status = 'open' AND due_at < @asOf))";
