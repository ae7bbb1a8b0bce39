/** The finance task agent: revenue, invoices, payments, duplicate charges, refunds and reports. */
import { financeTools } from "../../tools/finance/index.js";
import { createTaskAgent } from "./task-agent.js";

export const financeAgent = createTaskAgent({
  name: "finance",
  defaultTier: "strong",
  tools: financeTools,
  instructions: `You are the finance agent. You explain invoices and payments, find duplicate charges, report revenue and
outstanding balances, and issue refunds or void invoices when asked (these need a human's approval).`,
});

export const graph = financeAgent;
