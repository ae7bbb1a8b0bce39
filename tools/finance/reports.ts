/** Finance figures: monthly revenue and the period report (its core query is `financeFigures`, shared with workflows). */
import { z } from "zod";
import type { CompanyDb } from "../../src/db/index.js";
import { defineTool } from "../../src/toolkit/define-tool.js";
import { ToolError } from "../../src/toolkit/tool-result.js";
import { formatUsd } from "../shared/db-helpers.js";
import { dateField, periodField } from "../shared/fields.js";
import { COLLECTED_SQL, OVERDUE_WHERE } from "./records.js";

const DAY_MS = 86_400_000;
const MAX_MONTHS = 24;

/** The finance figures of the half-open window [from, to). */
export interface FinanceFigures {
  from: string;
  to: string;
  /** Payments collected in the window (including ones refunded later). */
  revenue_cents: number;
  revenue: string;
  payment_count: number;
  /** Refunds issued in the window. */
  refunds_cents: number;
  refunds: string;
  refund_count: number;
  /** Revenue minus refunds. */
  net_revenue_cents: number;
  net_revenue: string;
  failed_payment_count: number;
  failed_payments_cents: number;
  failed_payments: string;
  /** Unpaid invoices past their due date at the end of the window. */
  overdue_invoice_count: number;
  overdue_cents: number;
  overdue: string;
}

/**
 * Revenue, refunds, failed payments and overdue invoices of the window [fromIso, toIso) (ISO 8601 times, UTC).
 * @example financeFigures(companyDb(), "2026-11-23T00:00:00.000Z", "2026-11-30T00:00:00.000Z")
 */
export function financeFigures(db: CompanyDb, fromIso: string, toIso: string): FinanceFigures {
  const window = { from: fromIso, to: toIso };
  const sum = (sql: string, params: Record<string, string>) => db.sql.prepare(sql).get(params) as { n: number; cents: number };
  const collected = sum(
    `SELECT COUNT(*) AS n, COALESCE(SUM(amount_cents), 0) AS cents FROM payments
      WHERE status IN ${COLLECTED_SQL} AND created_at >= @from AND created_at < @to`,
    window,
  );
  const refunds = sum(
    "SELECT COUNT(*) AS n, COALESCE(SUM(amount_cents), 0) AS cents FROM refunds WHERE created_at >= @from AND created_at < @to",
    window,
  );
  const failed = sum(
    `SELECT COUNT(*) AS n, COALESCE(SUM(amount_cents), 0) AS cents FROM payments
      WHERE status = 'failed' AND created_at >= @from AND created_at < @to`,
    window,
  );
  const overdue = sum(`SELECT COUNT(*) AS n, COALESCE(SUM(amount_cents), 0) AS cents FROM invoices WHERE ${OVERDUE_WHERE}`, {
    asOf: toIso,
  });
  const net = collected.cents - refunds.cents;
  return {
    from: fromIso,
    to: toIso,
    revenue_cents: collected.cents,
    revenue: formatUsd(collected.cents),
    payment_count: collected.n,
    refunds_cents: refunds.cents,
    refunds: formatUsd(refunds.cents),
    refund_count: refunds.n,
    net_revenue_cents: net,
    net_revenue: formatUsd(net),
    failed_payment_count: failed.n,
    failed_payments_cents: failed.cents,
    failed_payments: formatUsd(failed.cents),
    overdue_invoice_count: overdue.n,
    overdue_cents: overdue.cents,
    overdue: formatUsd(overdue.cents),
  };
}

export const getRevenueSummary = defineTool({
  name: "get_revenue_summary",
  description:
    `Summarizes revenue by calendar month over a range of at most ${MAX_MONTHS} months: payments collected, refunds issued and net ` +
    "revenue per month, plus totals. Use it for revenue trends and month comparisons; for one week's figures use get_finance_report.",
  schema: z.object({
    from_period: periodField("First month of the range (inclusive)"),
    to_period: periodField("Last month of the range (inclusive)"),
  }),
  metadata: {
    domain: "finance",
    sideEffect: "read",
    idempotent: true,
    scopes: ["finance:read"],
    examples: ["What was revenue from 2026-06 to 2026-11?", "Monthly revenue for the last quarter", "How did November revenue compare to October?"],
    retrievalExamples: [
      "How much revenue did we make each month this year?",
      "Show net revenue by month since January",
      "Revenue trend over the last six months",
      "Compare September and October revenue",
      "How much did we collect and refund per month in 2026?",
      "monthly net revenue",
    ],
  },
  run: ({ from_period, to_period }, ctx) => {
    if (from_period > to_period)
      throw new ToolError("invalid_arguments", `from_period ${from_period} is after to_period ${to_period}.`, "Swap or correct the periods.", "from_period");
    const months = monthsBetween(from_period, to_period);
    if (months.length > MAX_MONTHS)
      throw new ToolError("invalid_arguments", `The range spans ${months.length} months; at most ${MAX_MONTHS} are allowed.`, "Ask for a shorter range.", "from_period");
    const rows = months.map((period) => {
      const f = financeFigures(ctx.db, monthStart(period), monthStart(addMonths(period, 1)));
      return { period, revenue_cents: f.revenue_cents, refunds_cents: f.refunds_cents, net_revenue_cents: f.net_revenue_cents, payment_count: f.payment_count };
    });
    const total = (key: "revenue_cents" | "refunds_cents" | "net_revenue_cents") => rows.reduce((s, r) => s + r[key], 0);
    return {
      from_period,
      to_period,
      months: rows.map((r) => ({ ...r, revenue: formatUsd(r.revenue_cents), refunds: formatUsd(r.refunds_cents), net_revenue: formatUsd(r.net_revenue_cents) })),
      total_revenue_cents: total("revenue_cents"),
      total_revenue: formatUsd(total("revenue_cents")),
      total_refunds_cents: total("refunds_cents"),
      total_refunds: formatUsd(total("refunds_cents")),
      total_net_revenue_cents: total("net_revenue_cents"),
      total_net_revenue: formatUsd(total("net_revenue_cents")),
    };
  },
});

export const getFinanceReport = defineTool({
  name: "get_finance_report",
  description:
    "Reports the finance figures of a period: revenue collected, refunds, net revenue, failed payments and overdue invoices, with " +
    "the same figures for the preceding period of the same length for comparison. Give a month (period) or a date range; with " +
    "neither it reports the last 7 days. Use it for weekly briefs and 'how did finance do' questions.",
  schema: z.object({
    period: periodField("A whole month to report on").optional(),
    from_date: dateField("First day of the report (inclusive); defaults to 7 days before to_date").optional(),
    to_date: dateField("Last day of the report (inclusive); defaults to today").optional(),
  }),
  metadata: {
    domain: "finance",
    sideEffect: "read",
    idempotent: true,
    scopes: ["finance:read"],
    examples: ["How did finance do last week?", "Give me the finance report for 2026-11", "Revenue, refunds and failed payments from 2026-11-01 to 2026-11-15"],
    retrievalExamples: [
      "Give me the weekly finance brief",
      "How many payments failed last week and how does that compare?",
      "Finance summary for October",
      "What were revenue and refunds between 2026-11-01 and 2026-11-07 versus the week before?",
      "How are we doing financially this week?",
      "finance numbers for the last 7 days",
    ],
  },
  run: ({ period, from_date, to_date }, ctx) => {
    if (period && (from_date || to_date))
      throw new ToolError("invalid_arguments", "Give either period or from_date/to_date, not both.", "Call again with only one of them.", "period");
    const [from, to] = period
      ? [monthStart(period), monthStart(addMonths(period, 1))]
      : [
          from_date ? dayStart(from_date) : undefined,
          to_date ? new Date(Date.parse(dayStart(to_date)) + DAY_MS).toISOString() : ctx.now.toISOString(),
        ];
    const fromIso = from ?? new Date(Date.parse(to) - 7 * DAY_MS).toISOString();
    if (fromIso >= to)
      throw new ToolError("invalid_arguments", `from_date ${from_date} is after to_date ${to_date ?? "today"}.`, "Swap or correct the dates.", "from_date");
    const previousFrom = period ? monthStart(addMonths(period, -1)) : new Date(2 * Date.parse(fromIso) - Date.parse(to)).toISOString();
    return { ...financeFigures(ctx.db, fromIso, to), previous: financeFigures(ctx.db, previousFrom, fromIso) };
  },
});

function dayStart(date: string): string {
  return `${date}T00:00:00.000Z`;
}

function monthStart(period: string): string {
  return `${period}-01T00:00:00.000Z`;
}

function addMonths(period: string, n: number): string {
  const [y, m] = period.split("-").map(Number) as [number, number];
  const d = new Date(Date.UTC(y, m - 1 + n, 1));
  return d.toISOString().slice(0, 7);
}

function monthsBetween(from: string, to: string): string[] {
  const months: string[] = [];
  for (let p = from; p <= to && months.length <= MAX_MONTHS; p = addMonths(p, 1)) months.push(p);
  return months;
}
