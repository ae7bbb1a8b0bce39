/**
 * What each route of the meta agent covers, with example requests. The router prompt is built from this, so
 * a real model reads the same descriptions and examples that the offline model scores against.
 */
import { routesOf } from "../../src/routing/embedding-router.js";

export const TASK_AGENTS = ["support", "incidents", "finance", "shipping"] as const;
export type TaskAgentName = (typeof TASK_AGENTS)[number];

/** Routes: the task agents plus the deterministic weekly operations brief workflow. */
export const ROUTES = [...TASK_AGENTS, "weekly_brief"] as const;
export type RouteName = (typeof ROUTES)[number];

export const ROUTE_DIRECTORY: Record<RouteName, { summary: string; examples: string[] }> = {
  support: {
    summary: "Tier-1 customer support tickets: customer and plan lookup, SLA checks, ticket history, service credits, escalation, replies to customers, support policies.",
    examples: [
      "What plan is customer CUS-1100 on and what is their SLA?",
      "Has ticket TCK-5003 breached its SLA?",
      "Show the open tickets of customer CUS-1042",
      "Give CUS-1042 a $20 service credit for the outage",
      "Escalate ticket TCK-5001 to tier 2",
      "Reply to the customer on ticket TCK-5002",
      "Find the customer with email jane@example.com",
      "What is our policy on service credits?",
    ],
  },
  incidents: {
    summary: "Production incidents and operations: service status, metrics, logs, chat-channel messages, runbooks, incident records, paging on-call, status page updates.",
    examples: [
      "Is payments-api down right now?",
      "Show the error logs of checkout-web in the last 2 hours",
      "What does the runbook say for auth-service latency?",
      "Page the on-call engineer for payments-api",
      "Post a status update for incident INC-760",
      "What are people saying in #inc-payments?",
      "List the open incidents",
      "Why are latency and error rates high on the orders API?",
    ],
  },
  finance: {
    summary: "Billing and money: revenue, invoices, payments, charges, duplicate charges, refunds, outstanding balances, financial reports.",
    examples: [
      "Why was customer CUS-1042 charged twice?",
      "Refund payment PAY-30881",
      "Show the unpaid invoices of CUS-1300",
      "What was our revenue in October 2026?",
      "Void invoice INV-20417",
      "Which invoices are overdue?",
      "I was billed twice this month",
      "Send invoice INV-20417 to the customer again",
    ],
  },
  shipping: {
    summary: "Orders and deliveries: orders, shipments, carriers, package tracking, delivery delays, address changes, order status and cancellations.",
    examples: [
      "Where is my order ORD-10233?",
      "Track shipment SHP-40012",
      "Change the shipping address of ORD-10500 to 12 Harbor Road, Leeds",
      "Cancel order ORD-10500",
      "My package never arrived",
      "Which shipments are delayed?",
      "How are our carriers performing on time?",
      "List the orders of customer CUS-1077",
    ],
  },
  weekly_brief: {
    summary: "The weekly operations brief: a report of the week's incident, finance and shipping figures with a chart.",
    examples: [
      "Prepare the weekly operations brief",
      "Give me this week's ops report",
      "Weekly brief please",
      "Summarize the week across incidents, revenue and shipping in a report",
    ],
  },
};

/**
 * The router's instructions: one `- route: text` line per description and example, then the labelled requests
 * nearest to this one, in the same form (requests that needed a clarifying question are listed apart).
 */
export function routerPrompt(similar: readonly { route: string; text: string }[] = []): string {
  const lines = ROUTES.flatMap((route) => [
    `- ${route}: ${ROUTE_DIRECTORY[route].summary}`,
    ...ROUTE_DIRECTORY[route].examples.map((example) => `- ${route}: ${example}`),
  ]);
  return [
    "You are the meta agent of an operations assistant. Decide which task agents must handle the user's request.",
    "Pick every route the request needs (several when it spans domains), give your confidence from 0 to 1,",
    "and when the request is too vague to route, give a low confidence and one short clarifying question.",
    "Routes, each with what it covers and example requests:",
    ...lines,
    ...similarLines(similar),
  ].join("\n");
}

function similarLines(similar: readonly { route: string; text: string }[]): string[] {
  // A request that needed several routes is labelled with all of them ("finance + shipping").
  const isRouted = (route: string) => routesOf(route).every((r) => (ROUTES as readonly string[]).includes(r));
  const routed = similar.filter((s) => isRouted(s.route));
  const vague = similar.filter((s) => !isRouted(s.route));
  return [
    ...(routed.length > 0 ? ["Labelled requests similar to this one:", ...routed.map((s) => `- ${routesOf(s.route).join(" + ")}: ${s.text}`)] : []),
    ...(vague.length > 0 ? ["Similar requests that were too vague to route (ask a clarifying question):", ...vague.map((s) => `  ${s.text}`)] : []),
  ];
}
