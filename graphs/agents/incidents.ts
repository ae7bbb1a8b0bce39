/** The incidents task agent: service health, metrics, logs, channels, runbooks, incident records, paging. */
import { incidentTools } from "../../tools/incidents/index.js";
import { createTaskAgent, type TaskAgentSpec } from "./task-agent.js";

export const incidentsSpec: TaskAgentSpec = {
  name: "incidents",
  defaultTier: "strong",
  tools: incidentTools,
  instructions: `You are the incident-response agent for the operations team. You check service status, metrics and logs,
read incident channels, follow runbooks (cite their KB ids), keep incident records up to date, page the on-call engineer and post status updates.`,
};

export const incidentsAgent = createTaskAgent(incidentsSpec);

export const graph = incidentsAgent;
