/**
 * The meta agent's routing decision: a structured output (zod) naming the routes and a confidence. Below the
 * threshold the meta agent asks one clarifying question instead of guessing.
 */
import { z } from "zod";
import { HumanMessage, SystemMessage } from "@langchain/core/messages";
import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { ROUTES, routerPrompt } from "./directory.js";

export const RouteDecisionSchema = z.object({
  routes: z.array(z.enum(ROUTES)).describe("Every route the request needs; empty when it cannot be routed."),
  confidence: z.number().min(0).max(1).describe("Confidence that these routes are right, 0 to 1."),
  reason: z.string().describe("One sentence on why."),
  clarifying_question: z.string().optional().describe("When confidence is low: one short question that would let you route the request."),
});
export type RouteDecision = z.infer<typeof RouteDecisionSchema>;

/** Below this confidence the meta agent asks instead of routing. @example KEEL_ROUTING_THRESHOLD=0.5 */
export function routingThreshold(env: NodeJS.ProcessEnv = process.env): number {
  const value = Number(env.KEEL_ROUTING_THRESHOLD ?? 0.45);
  return Number.isFinite(value) && value >= 0 && value <= 1 ? value : 0.45;
}

export const DEFAULT_CLARIFYING_QUESTION =
  "I want to send this to the right team: is it about a support ticket or customer account, a service incident, billing and payments, or an order and its delivery?";

/** An earlier-labelled request close to the one being routed: shown to the model as a few-shot hint. */
export interface RoutingHint {
  route: string;
  text: string;
}

/**
 * Asks the model for a routing decision. `similar` are the labelled example requests nearest to this one (from the
 * embedding router): shown after the route directory as dynamic few-shot examples, so the model sees how requests
 * like this one were routed. A vague-request example ("(clarify)") is shown as needing a clarifying question.
 * @example await decideRoute(model, "Declare a sev2 for orders-api", [{ route: "incidents", text: "Page the on-call engineer for payments-api" }])
 */
export async function decideRoute(model: BaseChatModel, request: string, similar: RoutingHint[] = []): Promise<RouteDecision> {
  // Function calling, not ChatOpenAI's default strict json_schema: OpenAI's strict mode rejects the schema (400) because
  // `clarifying_question` is optional, and OpenAI-compatible servers support tool calls more widely than json_schema.
  const router = model.withStructuredOutput(RouteDecisionSchema, { name: "route", method: "functionCalling" });
  const decision = await router.invoke([new SystemMessage(routerPrompt(similar)), new HumanMessage(request)], { runName: "meta:route" });
  return RouteDecisionSchema.parse(decision);
}
