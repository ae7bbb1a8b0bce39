/** The task agents by name, as compiled for Studio, or rebuilt with extra (MCP) tools in their scopes. */
import type { TaskAgentName } from "../meta/directory.js";
import { createTaskAgent, type TaskAgent, type TaskAgentSpec } from "./task-agent.js";
import type { KeelTool } from "../../src/toolkit/define-tool.js";
import { supportAgent, supportSpec } from "./support.js";
import { incidentsAgent, incidentsSpec } from "./incidents.js";
import { financeAgent, financeSpec } from "./finance.js";
import { shippingAgent, shippingSpec } from "./shipping.js";

export type TaskAgents = Record<TaskAgentName, TaskAgent>;

export const TASK_AGENT_SPECS: Record<TaskAgentName, TaskAgentSpec> = {
  support: supportSpec,
  incidents: incidentsSpec,
  finance: financeSpec,
  shipping: shippingSpec,
};

export const TASK_AGENT_GRAPHS: TaskAgents = {
  support: supportAgent,
  incidents: incidentsAgent,
  finance: financeAgent,
  shipping: shippingAgent,
};

/** The task agents with extra tools added to the named agents' scopes. */
export function buildTaskAgents(extra: Partial<Record<TaskAgentName, KeelTool[]>>): TaskAgents {
  const agents = { ...TASK_AGENT_GRAPHS };
  for (const [name, tools] of Object.entries(extra) as [TaskAgentName, KeelTool[]][]) {
    if (tools.length > 0) agents[name] = createTaskAgent(TASK_AGENT_SPECS[name], { extraTools: tools });
  }
  return agents;
}
