/** The shipping task agent: orders, shipments, carriers, tracking, address changes and order status. */
import { shippingTools } from "../../tools/shipping/index.js";
import { createTaskAgent, type TaskAgentSpec } from "./task-agent.js";

export const shippingSpec: TaskAgentSpec = {
  name: "shipping",
  defaultTier: "fast",
  tools: shippingTools,
  instructions: `You are the shipping agent. You look up orders and shipments, track packages, compare carriers,
change shipping addresses before an order ships, update order status and cancel orders when asked (cancellation needs approval).`,
};

export const shippingAgent = createTaskAgent(shippingSpec);

export const graph = shippingAgent;
