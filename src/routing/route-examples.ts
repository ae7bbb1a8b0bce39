/**
 * The example requests the embedding router matches against: the meta agent's route directory (the same
 * examples the model's routing prompt shows) plus the example requests of every tool, under the route of the
 * agent that owns the tool. Nothing here comes from the routing evaluation set.
 */
import { ROUTES, ROUTE_DIRECTORY } from "../../graphs/meta/directory.js";
import { DOMAIN_TOOLS } from "../../graphs/agents/tool-index.js";
import { CLARIFY_ROUTE, type RouteExample } from "./embedding-router.js";

/** A few more ways to ask for the weekly brief, which has no tools of its own to lend examples. */
const WEEKLY_BRIEF_EXTRA = [
  "Write up the weekly operations summary",
  "Compile the ops digest for this week with a chart",
  "Weekly report of incidents, revenue and deliveries",
];

/**
 * Requests written for the router, one or two per capability of each agent that the directory and the tool
 * examples say little about (record kinds by their id prefix, counts and summaries, follow-ups in plain words).
 */
const ROUTER_EXTRA: Record<string, string[]> = {
  support: [
    "Summarize what the customer and agent said on ticket TCK-5010",
    "Read me the latest message on the support ticket",
    "Look up the customer account and its contact email",
    "Which company is this customer from and what plan do they have?",
    "Set ticket TCK-5050 to solved",
    "How many credits have we given this customer already?",
    "What response time does their plan guarantee?",
    "Is this ticket overdue against the SLA?",
  ],
  incidents: [
    "Which services are unhealthy or failing right now?",
    "Show the error rate and latency graphs for a service",
    "Why is the service timing out?",
    "Update incident INC-740 to monitoring",
    "What did the on-call team discuss in the incident channel?",
    "How many incidents did we have this month and how long did they take to resolve?",
    "Mark the service as operational again",
    "Search the service logs for exceptions",
  ],
  finance: [
    "Show refund RFD-0003 and the payment it reversed",
    "Has the refund been processed for this customer?",
    "List the payments on invoice INV-20100",
    "Which charges failed or were declined?",
    "What is the customer's account balance?",
    "Monthly revenue and refunds for the last quarter",
    "Was the customer billed correctly this month?",
    "Resend the invoice email",
  ],
  shipping: [
    "How many orders shipped or were delivered this week?",
    "Show the delivery figures and late shipments for last week",
    "Mark order ORD-10400 as delivered",
    "Where is the parcel now and when will it arrive?",
    "What is in the customer's order and where is it going?",
    "Which carrier is slowest at delivering?",
    "The courier lost my package",
    "Let the customer know their shipment is on its way",
  ],
  weekly_brief: [],
  // Requests too vague to route: the nearest of these means "ask what it is about" (see CLARIFY_ROUTE).
  clarify: [
    "help me",
    "I have a problem",
    "can you look at this",
    "it's broken again",
    "what's the status?",
    "please sort this out",
    "hello",
    "hi, are you there?",
    "ok thank you",
    "same as last time",
    "and the other thing?",
    "did you finish?",
    "I'm not sure who to ask",
    "something is wrong",
  ],
};

export function appRouteExamples(): RouteExample[] {
  const examples: RouteExample[] = [];
  for (const route of ROUTES) for (const text of ROUTE_DIRECTORY[route].examples) examples.push({ route, text });
  for (const [route, tools] of Object.entries(DOMAIN_TOOLS)) {
    for (const tool of tools) for (const text of tool.metadata.examples ?? []) examples.push({ route, text });
  }
  for (const text of WEEKLY_BRIEF_EXTRA) examples.push({ route: "weekly_brief", text });
  for (const [route, texts] of Object.entries(ROUTER_EXTRA)) for (const text of texts) examples.push({ route: route === "clarify" ? CLARIFY_ROUTE : route, text });
  // The same text under two routes would only blur both; keep the first.
  const seen = new Set<string>();
  return examples.filter((e) => {
    const key = e.text.trim().toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
