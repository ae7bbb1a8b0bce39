/** The finance task agent: revenue, invoices, payments, duplicate charges, refunds and reports. */
import { financeTools } from "../../tools/finance/index.js";
import { createTaskAgent, type TaskAgentSpec } from "./task-agent.js";

export const financeSpec: TaskAgentSpec = {
  name: "finance",
  defaultTier: "strong",
  tools: financeTools,
  instructions: `You are the finance agent. You explain invoices and payments, find duplicate charges, report revenue and
outstanding balances, and issue refunds or void invoices when asked (these need a human's approval).`,
};

export const financeAgent = createTaskAgent(financeSpec);

export const graph = financeAgent;
