import { describe, it, expect } from "vitest";
import { companyDb } from "../../src/db/index.js";
import { STORY } from "../../src/db/seed.js";
import type { KeelTool, SideEffect } from "../../src/toolkit/define-tool.js";
import { ONE_AUDIT_ROW, callOk, expectCompleteTool, expectLastAudit, expectRefused, withChanges } from "../shared/tool-testing.js";
import { supportTools } from "../support/index.js";
import { financeFigures, financeTools } from "./index.js";

const db = companyDb();
const tool = (name: string): KeelTool => {
  const found = financeTools.find((t) => t.name === name);
  if (!found) throw new Error(`no finance tool ${name}`);
  return found as unknown as KeelTool;
};
const one = <T>(sql: string, ...params: unknown[]) => db.sql.prepare(sql).get(...params) as T;
const pluck = <T>(sql: string, ...params: unknown[]) => db.sql.prepare(sql).pluck().get(...params) as T;
const column = <T>(sql: string, ...params: unknown[]) => db.sql.prepare(sql).pluck().all(...params) as T[];
const sumCents = (sql: string, ...params: unknown[]) => pluck<number>(`SELECT COALESCE(SUM(amount_cents), 0) FROM (${sql})`, ...params);

const doubleInvoice = STORY.duplicateCharge.invoiceId;
const doublePayments = [...STORY.duplicateCharge.paymentIds];
const paidInvoice = pluck<string>("SELECT id FROM invoices WHERE status = 'paid' ORDER BY id");
const voidableInvoice = pluck<string>(
  `SELECT i.id FROM invoices i WHERE i.status IN ('open','overdue','draft')
      AND NOT EXISTS (SELECT 1 FROM payments p WHERE p.invoice_id = i.id AND p.status <> 'failed') ORDER BY i.id`,
);
const sendableInvoice = pluck<string>("SELECT id FROM invoices WHERE status IN ('open','overdue') AND id <> ? ORDER BY id", voidableInvoice);
const failedPayment = pluck<string>("SELECT id FROM payments WHERE status = 'failed' ORDER BY id");
const partialPayment = pluck<string>(
  "SELECT id FROM payments WHERE status = 'succeeded' AND amount_cents >= 2000 AND customer_id <> 'CUS-1042' ORDER BY id",
);

describe("finance tools: catalogue", () => {
  it("has at least 10 tools with unique snake_case names, also across support and finance", () => {
    const names = financeTools.map((t) => t.name);
    expect(names.length).toBeGreaterThanOrEqual(10);
    const everything = [...names, ...supportTools.map((t) => t.name)];
    expect(new Set(everything).size).toBe(everything.length);
    for (const name of everything) expect(name).toMatch(/^[a-z]+(_[a-z]+)*$/);
  });

  it.each<[string, SideEffect]>([
    ["list_invoices", "read"],
    ["get_invoice", "read"],
    ["list_payments", "read"],
    ["find_duplicate_charges", "read"],
    ["get_outstanding_balance", "read"],
    ["list_overdue_invoices", "read"],
    ["get_revenue_summary", "read"],
    ["get_finance_report", "read"],
    ["issue_refund", "destructive"],
    ["void_invoice", "destructive"],
    ["send_invoice_email", "egress"],
  ])("%s has complete metadata, side effect %s and a described schema", (name, sideEffect) => {
    const t = tool(name);
    expectCompleteTool(t, "finance", sideEffect);
    for (const scope of t.metadata.scopes) expect(scope).toMatch(/^(finance|comms):[a-z]+$/);
    expect(t.metadata.scopes.some((s) => s !== "finance:read")).toBe(sideEffect !== "read");
  });

  it("refunds need the refund scope; egress tools need comms:send", () => {
    expect(tool("issue_refund").metadata.scopes).toContain("finance:refund");
    expect(tool("send_invoice_email").metadata.scopes).toContain("comms:send");
    expect(financeTools.filter((t) => t.metadata.sideEffect !== "read").map((t) => t.name).sort()).toEqual(["issue_refund", "send_invoice_email", "void_invoice"]);
  });
});

describe("finance tools: reads", () => {
  it("the story's double charge is where the tests expect it", () => {
    expect(one("SELECT customer_id, period FROM invoices WHERE id = ?", doubleInvoice)).toEqual({ customer_id: "CUS-1042", period: "2026-11" });
    expect(column("SELECT id FROM payments WHERE invoice_id = ? AND status = 'succeeded' ORDER BY created_at", doubleInvoice)).toEqual(doublePayments);
  });

  it.each<[string, () => Record<string, unknown>, (data: any) => void]>([
    [
      "list_invoices",
      () => ({ customer_id: "CUS-1042", limit: 50 }),
      (d) => {
        expect(d.invoices.map((i: any) => i.invoice_id)).toEqual(column("SELECT id FROM invoices WHERE customer_id = 'CUS-1042' ORDER BY period DESC, id DESC"));
        expect(d.invoices.map((i: any) => i.invoice_id)).toContain(doubleInvoice);
      },
    ],
    [
      "list_invoices",
      () => ({ customer_id: "CUS-1100", status: "paid", limit: 2 }),
      (d) => {
        expect(d.total).toBe(pluck("SELECT COUNT(*) FROM invoices WHERE customer_id = 'CUS-1100' AND status = 'paid'"));
        expect(d.invoices.length).toBe(Math.min(2, d.total));
        for (const i of d.invoices) expect(i.status).toBe("paid");
      },
    ],
    [
      "get_invoice",
      () => ({ invoice_id: doubleInvoice }),
      (d) => {
        const inv = one<any>("SELECT * FROM invoices WHERE id = ?", doubleInvoice);
        expect(d).toMatchObject({ invoice_id: doubleInvoice, customer_id: "CUS-1042", period: "2026-11", amount_cents: inv.amount_cents, status: inv.status });
        expect(d.payments.map((p: any) => p.payment_id)).toEqual(column("SELECT id FROM payments WHERE invoice_id = ? ORDER BY created_at, id", doubleInvoice));
        expect(d.overpaid_cents).toBe(inv.amount_cents);
      },
    ],
    [
      "list_payments",
      () => ({ invoice_id: doubleInvoice }),
      (d) => expect(d.payments.map((p: any) => p.payment_id).sort()).toEqual(column("SELECT id FROM payments WHERE invoice_id = ? ORDER BY id", doubleInvoice)),
    ],
    [
      "list_payments",
      () => ({ customer_id: "CUS-1042", status: "succeeded", limit: 3 }),
      (d) => {
        expect(d.total).toBe(pluck("SELECT COUNT(*) FROM payments WHERE customer_id = 'CUS-1042' AND status = 'succeeded'"));
        expect(d.payments.length).toBe(Math.min(3, d.total));
        expect(d.payments.map((p: any) => p.payment_id)).toEqual(
          column("SELECT id FROM payments WHERE customer_id = 'CUS-1042' AND status = 'succeeded' ORDER BY created_at DESC, id DESC LIMIT 3"),
        );
      },
    ],
    [
      "find_duplicate_charges",
      () => ({ customer_id: "CUS-1042" }),
      (d) => {
        const [a, b] = doublePayments.map((id) => one<{ created_at: string; amount_cents: number }>("SELECT * FROM payments WHERE id = ?", id));
        expect(d.duplicates).toHaveLength(1);
        expect(d.duplicates[0]).toMatchObject({
          customer_id: "CUS-1042",
          amount_cents: a!.amount_cents,
          payment_ids: doublePayments,
          duplicate_payment_id: doublePayments[1],
          invoice_ids: [doubleInvoice],
          charged_at: [a!.created_at, b!.created_at],
          seconds_apart: (Date.parse(b!.created_at) - Date.parse(a!.created_at)) / 1000,
        });
      },
    ],
    [
      "find_duplicate_charges",
      () => ({ from_date: "2026-11-01", to_date: "2026-11-30", limit: 50 }),
      (d) => expect(d.duplicates.map((x: any) => x.duplicate_payment_id)).toContain(doublePayments[1]),
    ],
    ["find_duplicate_charges", () => ({ from_date: "2020-01-01", to_date: "2020-01-31" }), (d) => expect(d).toEqual({ count: 0, duplicates: [] })],
    [
      "get_outstanding_balance",
      () => ({ customer_id: "CUS-1100" }),
      (d) => {
        const open = sumCents("SELECT amount_cents FROM invoices WHERE customer_id = 'CUS-1100' AND status IN ('open','overdue')");
        const paid = sumCents(
          `SELECT p.amount_cents FROM payments p JOIN invoices i ON i.id = p.invoice_id
            WHERE i.customer_id = 'CUS-1100' AND i.status IN ('open','overdue') AND p.status = 'succeeded'`,
        );
        expect(d.outstanding_cents).toBe(Math.max(0, open - paid));
        expect(d.credit_balance_cents).toBe(pluck("SELECT credit_balance_cents FROM customers WHERE id = 'CUS-1100'"));
      },
    ],
    [
      "list_overdue_invoices",
      () => ({ limit: 3 }),
      (d) => {
        const where = "status = 'overdue' OR (status = 'open' AND due_at < ?)";
        const now = db.referenceNow.toISOString();
        expect(d.total).toBe(pluck(`SELECT COUNT(*) FROM invoices WHERE ${where}`, now));
        expect(d.total_amount_cents).toBe(sumCents(`SELECT amount_cents FROM invoices WHERE ${where}`, now));
        expect(d.invoices.length).toBe(Math.min(3, d.total));
        for (const i of d.invoices) expect(i.days_overdue).toBeGreaterThanOrEqual(0);
      },
    ],
    [
      "get_revenue_summary",
      () => ({ from_period: "2026-09", to_period: "2026-11" }),
      (d) => {
        expect(d.months.map((m: any) => m.period)).toEqual(["2026-09", "2026-10", "2026-11"]);
        for (const m of d.months) {
          const revenue = sumCents("SELECT amount_cents FROM payments WHERE status <> 'failed' AND substr(created_at, 1, 7) = ?", m.period);
          const refunds = sumCents("SELECT amount_cents FROM refunds WHERE substr(created_at, 1, 7) = ?", m.period);
          expect(m).toMatchObject({ revenue_cents: revenue, refunds_cents: refunds, net_revenue_cents: revenue - refunds });
        }
        expect(d.total_net_revenue_cents).toBe(d.months.reduce((s: number, m: any) => s + m.net_revenue_cents, 0));
      },
    ],
    [
      "get_finance_report",
      () => ({ period: "2026-11" }),
      (d) => {
        expect(d).toMatchObject(financeFigures(db, "2026-11-01T00:00:00.000Z", "2026-12-01T00:00:00.000Z"));
        expect(d.failed_payment_count).toBe(pluck("SELECT COUNT(*) FROM payments WHERE status = 'failed' AND substr(created_at, 1, 7) = '2026-11'"));
        expect(d.previous).toEqual(financeFigures(db, "2026-10-01T00:00:00.000Z", "2026-11-01T00:00:00.000Z"));
      },
    ],
    [
      "get_finance_report",
      () => ({}),
      (d) => {
        const to = db.referenceNow.toISOString();
        const from = new Date(db.referenceNow.getTime() - 7 * 86_400_000).toISOString();
        expect(d).toMatchObject({ from, to, revenue_cents: sumCents("SELECT amount_cents FROM payments WHERE status <> 'failed' AND created_at >= ? AND created_at < ?", from, to) });
      },
    ],
    [
      "get_finance_report",
      () => ({ from_date: "2026-11-01", to_date: "2026-11-07" }),
      (d) => expect(d).toMatchObject({ from: "2026-11-01T00:00:00.000Z", to: "2026-11-08T00:00:00.000Z" }),
    ],
  ])("%s returns the right records (%#)", async (name, args, check) => {
    const { result, changes } = await withChanges(db, () => callOk(tool(name), args()));
    check(result);
    expect(changes).toEqual({});
  });

  it("financeFigures counts revenue, refunds and failed payments of a window with direct SQL", () => {
    const from = "2026-11-01T00:00:00.000Z";
    const to = "2026-12-01T00:00:00.000Z";
    const f = financeFigures(db, from, to);
    const inWindow = "created_at >= ? AND created_at < ?";
    expect(f.revenue_cents).toBe(sumCents(`SELECT amount_cents FROM payments WHERE status <> 'failed' AND ${inWindow}`, from, to));
    expect(f.refunds_cents).toBe(sumCents(`SELECT amount_cents FROM refunds WHERE ${inWindow}`, from, to));
    expect(f.failed_payments_cents).toBe(sumCents(`SELECT amount_cents FROM payments WHERE status = 'failed' AND ${inWindow}`, from, to));
    expect(f.net_revenue_cents).toBe(f.revenue_cents - f.refunds_cents);
    expect(f.revenue).toMatch(/^\$[\d,]+\.\d\d$/);
  });
});

describe("finance tools: bad arguments and unknown ids", () => {
  it.each<[string, Record<string, unknown>, string]>([
    ["list_invoices", { customer_id: "cus-1042" }, "customer_id"],
    ["list_invoices", { customer_id: "CUS-1042", status: "late" }, "status"],
    ["get_invoice", {}, "invoice_id"],
    ["get_invoice", { invoice_id: "INV-1" }, "invoice_id"],
    ["list_payments", {}, "customer_id"],
    ["list_payments", { invoice_id: "INV-20000", limit: 500 }, "limit"],
    ["find_duplicate_charges", { from_date: "2026-13-01" }, "from_date"],
    ["find_duplicate_charges", { from_date: "2026-11-30", to_date: "2026-11-01" }, "from_date"],
    ["get_outstanding_balance", { customer_id: "1100" }, "customer_id"],
    ["get_revenue_summary", { from_period: "2026-11" }, "to_period"],
    ["get_revenue_summary", { from_period: "2026/09", to_period: "2026-11" }, "from_period"],
    ["get_revenue_summary", { from_period: "2026-11", to_period: "2026-09" }, "from_period"],
    ["get_revenue_summary", { from_period: "2020-01", to_period: "2026-11" }, "from_period"],
    ["get_finance_report", { period: "2026-11", from_date: "2026-11-01" }, "period"],
    ["get_finance_report", { from_date: "2026-11-08", to_date: "2026-11-01" }, "from_date"],
    ["issue_refund", { payment_id: STORY.duplicateCharge.paymentIds[1], amount_usd: -10, reason: "Duplicate charge" }, "amount_usd"],
    ["issue_refund", { payment_id: STORY.duplicateCharge.paymentIds[1], amount_usd: 0, reason: "Duplicate charge" }, "amount_usd"],
    ["issue_refund", { payment_id: STORY.duplicateCharge.paymentIds[1] }, "reason"],
    ["issue_refund", { payment_id: "30000", reason: "Duplicate charge" }, "payment_id"],
    ["void_invoice", { invoice_id: STORY.duplicateCharge.invoiceId }, "reason"],
    ["send_invoice_email", { invoice_id: "INV-2000" }, "invoice_id"],
  ])("%s %j -> invalid_arguments on %s, nothing changes", async (name, args, field) => {
    await expectRefused(db, tool(name), args, "invalid_arguments", field);
  });

  it.each<[string, Record<string, unknown>, string]>([
    ["list_invoices", { customer_id: "CUS-9999" }, "customer_id"],
    ["get_invoice", { invoice_id: "INV-99999" }, "invoice_id"],
    ["list_payments", { customer_id: "CUS-9999" }, "customer_id"],
    ["list_payments", { invoice_id: "INV-99999" }, "invoice_id"],
    ["find_duplicate_charges", { customer_id: "CUS-9999" }, "customer_id"],
    ["get_outstanding_balance", { customer_id: "CUS-9999" }, "customer_id"],
    ["list_overdue_invoices", { customer_id: "CUS-9999" }, "customer_id"],
    ["issue_refund", { payment_id: "PAY-99999", reason: "Duplicate charge" }, "payment_id"],
    ["void_invoice", { invoice_id: "INV-99999", reason: "Issued in error" }, "invoice_id"],
    ["send_invoice_email", { invoice_id: "INV-99999" }, "invoice_id"],
  ])("%s %j -> not_found on %s, nothing changes", async (name, args, field) => {
    await expectRefused(db, tool(name), args, "not_found", field);
  });
});

describe("finance tools: destructive and egress actions", () => {
  it("issue_refund refunds the duplicate in full: one refund row, the payment marked refunded, one audit row", async () => {
    const duplicate = doublePayments[1]!;
    const amount = pluck<number>("SELECT amount_cents FROM payments WHERE id = ?", duplicate);
    const args = { payment_id: duplicate, reason: "Duplicate charge for the 2026-11 invoice" };
    const { result, changes } = await withChanges(db, () => callOk(tool("issue_refund"), args));
    expect(changes).toEqual({ refunds: { inserted: [result.refund_id] }, payments: { updated: [duplicate] }, ...ONE_AUDIT_ROW });
    expect(result).toMatchObject({ payment_id: duplicate, amount_cents: amount, payment_status: "refunded", remaining_refundable_cents: 0 });
    expect(result.refund_id).toMatch(/^RFD-\d+$/);
    expect(one("SELECT payment_id, amount_cents, reason FROM refunds WHERE id = ?", result.refund_id)).toEqual({ payment_id: duplicate, amount_cents: amount, reason: args.reason });
    expect(pluck("SELECT status FROM payments WHERE id = ?", duplicate)).toBe("refunded");
    expectLastAudit(db, "issue_refund", { args, result });
    // the pair is no longer a duplicate, and the invoice is no longer overpaid
    expect((await callOk(tool("find_duplicate_charges"), { customer_id: "CUS-1042" })).duplicates).toEqual([]);
    expect((await callOk(tool("get_invoice"), { invoice_id: doubleInvoice })).overpaid_cents).toBe(0);
  });

  it("issue_refund refunds part of a payment, then refuses more than what remains", async () => {
    const amount = pluck<number>("SELECT amount_cents FROM payments WHERE id = ?", partialPayment);
    const first = await callOk(tool("issue_refund"), { payment_id: partialPayment, amount_usd: 10, reason: "Partial goodwill refund" });
    expect(first).toMatchObject({ amount_cents: 1000, payment_status: "partially_refunded", remaining_refundable_cents: amount - 1000 });
    await expectRefused(db, tool("issue_refund"), { payment_id: partialPayment, amount_usd: amount / 100, reason: "Refund the rest" }, "invalid_state", "amount_usd");
    const rest = await callOk(tool("issue_refund"), { payment_id: partialPayment, reason: "Refund the rest" });
    expect(rest).toMatchObject({ amount_cents: amount - 1000, payment_status: "refunded" });
    expect(Number(rest.refund_id.slice(4))).toBe(Number(first.refund_id.slice(4)) + 1);
  });

  it("void_invoice voids an unpaid invoice: only the invoice changes, plus one audit row", async () => {
    const { result, changes } = await withChanges(db, () => callOk(tool("void_invoice"), { invoice_id: voidableInvoice, reason: "Issued in error" }));
    expect(changes).toEqual({ invoices: { updated: [voidableInvoice] }, ...ONE_AUDIT_ROW });
    expect(result).toMatchObject({ invoice_id: voidableInvoice, status: "void" });
    expect(pluck("SELECT status FROM invoices WHERE id = ?", voidableInvoice)).toBe("void");
    expectLastAudit(db, "void_invoice");
  });

  it("send_invoice_email only writes its audit row", async () => {
    const { result, changes } = await withChanges(db, () => callOk(tool("send_invoice_email"), { invoice_id: sendableInvoice, message: "A friendly reminder." }));
    expect(changes).toEqual(ONE_AUDIT_ROW);
    expect(result.sent_to).toBe(pluck("SELECT c.email FROM invoices i JOIN customers c ON c.id = i.customer_id WHERE i.id = ?", sendableInvoice));
    expectLastAudit(db, "send_invoice_email");
  });

  it.each<[string, () => Record<string, unknown>, string]>([
    ["issue_refund", () => ({ payment_id: failedPayment, reason: "Customer asked" }), "payment_id"],
    ["issue_refund", () => ({ payment_id: doublePayments[1], reason: "Refund it again" }), "payment_id"],
    ["issue_refund", () => ({ payment_id: doublePayments[0], amount_usd: 100000, reason: "Too much" }), "amount_usd"],
    ["void_invoice", () => ({ invoice_id: paidInvoice, reason: "Customer asked" }), "invoice_id"],
    ["void_invoice", () => ({ invoice_id: voidableInvoice, reason: "Void it again" }), "invoice_id"],
    ["void_invoice", () => ({ invoice_id: doubleInvoice, reason: "Customer asked" }), "invoice_id"],
    ["send_invoice_email", () => ({ invoice_id: voidableInvoice }), "invoice_id"],
  ])("%s in an invalid state -> invalid_state on %s, nothing changes (%#)", async (name, args, field) => {
    await expectRefused(db, tool(name), args(), "invalid_state", field);
  });
});
