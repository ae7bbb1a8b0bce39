/** The finance domain's primitive tools. */
import { getInvoice, getOutstandingBalance, listInvoices, listOverdueInvoices } from "./invoices.js";
import { sendInvoiceEmail, voidInvoice } from "./invoice-actions.js";
import { findDuplicateCharges, listPayments } from "./payments.js";
import { issueRefund } from "./refunds.js";
import { getFinanceReport, getRevenueSummary } from "./reports.js";

export { financeFigures, type FinanceFigures } from "./reports.js";

export const financeTools = [
  listInvoices,
  getInvoice,
  listPayments,
  findDuplicateCharges,
  getOutstandingBalance,
  listOverdueInvoices,
  getRevenueSummary,
  getFinanceReport,
  issueRefund,
  voidInvoice,
  sendInvoiceEmail,
];
