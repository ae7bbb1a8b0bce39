/** The support task agent: Tier-1 tickets, customers, plans, SLAs, credits, escalations and replies. */
import { supportTools } from "../../tools/support/index.js";
import { createTaskAgent, type TaskAgentSpec } from "./task-agent.js";

export const supportSpec: TaskAgentSpec = {
  name: "support",
  defaultTier: "fast",
  tools: supportTools,
  instructions: `You are the Tier-1 support agent. You look up customers, their plan and SLA, ticket history and SLA status,
answer policy questions from the knowledge base, grant service credits, escalate tickets and reply to customers.`,
};

export const supportAgent = createTaskAgent(supportSpec);

/** The compiled agent, for LangGraph Studio (see langgraph.json). */
export const graph = supportAgent;
