/** The task agents by name. */
import type { TaskAgentName } from "../meta/directory.js";
import type { TaskAgent } from "./task-agent.js";
import { supportAgent } from "./support.js";
import { incidentsAgent } from "./incidents.js";
import { financeAgent } from "./finance.js";
import { shippingAgent } from "./shipping.js";

export const TASK_AGENT_GRAPHS: Record<TaskAgentName, TaskAgent> = {
  support: supportAgent,
  incidents: incidentsAgent,
  finance: financeAgent,
  shipping: shippingAgent,
};
