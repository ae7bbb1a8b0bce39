/**
 * The example requests the embedding router matches against: the meta agent's route directory (the same
 * examples the model's routing prompt shows), the example requests of every tool under the route of the agent
 * that owns the tool, and labelled requests (`config/router-examples.jsonl`: real-looking requests with the
 * routes they need, the way production requests are labelled and promoted). Nothing here comes from the routing
 * evaluation sets (`evals/datasets/routing*.jsonl`).
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { ConfigurationError } from "../errors.js";
import { ROUTES, ROUTE_DIRECTORY } from "../../graphs/meta/directory.js";
import { DOMAIN_TOOLS } from "../../graphs/agents/tool-index.js";
import { CLARIFY_ROUTE, COMBINED_ROUTE_SEPARATOR, type RouteExample } from "./embedding-router.js";

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

const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

/**
 * Files of labelled requests, JSONL rows `{"id", "request", "expected_agents"}`: by default every
 * `config/router-examples*.jsonl`; `KEEL_ROUTER_EXAMPLES` gives a comma-separated list instead, or `off` for none.
 * @example KEEL_ROUTER_EXAMPLES=/etc/keel/router-examples.jsonl,/etc/keel/promoted.jsonl
 */
export function routerExampleFiles(env: NodeJS.ProcessEnv = process.env): string[] {
  const value = env.KEEL_ROUTER_EXAMPLES?.trim();
  if (value === "off") return [];
  if (value) return value.split(",").map((f) => path.resolve(f.trim())).filter(Boolean);
  const dir = path.join(PACKAGE_ROOT, "config");
  return fs
    .readdirSync(dir)
    .filter((name) => /^router-examples.*\.jsonl$/.test(name))
    .sort()
    .map((name) => path.join(dir, name));
}

/**
 * Labelled requests as router examples: a one-route row is an example of that route, a `[]` row of the vague
 * requests, and a row needing several routes an example of their combination ("finance+shipping": as an example
 * of each route alone it would blur both, and requests such as "billed for an order that never came" read as one
 * domain, so part-by-part routing misses them). A malformed row throws `ConfigurationError` naming file and line.
 */
export function labelledRouteExamples(file: string): RouteExample[] {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    throw new ConfigurationError(`Cannot read the router's labelled requests ${file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`, "Fix KEEL_ROUTER_EXAMPLES, or set it to off.");
  }
  const examples: RouteExample[] = [];
  text.split("\n").forEach((raw, i) => {
    if (!raw.trim()) return;
    const where = `${file}:${i + 1}`;
    let row: { request?: unknown; expected_agents?: unknown };
    try {
      row = JSON.parse(raw) as typeof row;
    } catch (error) {
      throw new ConfigurationError(`${where} is not valid JSON (${(error as Error).message}).`, 'Give one {"request", "expected_agents"} object per line.');
    }
    const routes = row.expected_agents;
    if (typeof row.request !== "string" || !row.request.trim() || !Array.isArray(routes) || routes.some((r) => !(ROUTES as readonly unknown[]).includes(r))) {
      throw new ConfigurationError(`${where} needs a non-empty "request" and "expected_agents" naming routes among ${ROUTES.join(", ")}.`, "Fix or remove the row.");
    }
    if (routes.length === 0) examples.push({ route: CLARIFY_ROUTE, text: row.request });
    else examples.push({ route: [...new Set(routes.map(String))].sort().join(COMBINED_ROUTE_SEPARATOR), text: row.request });
  });
  return examples;
}

export function appRouteExamples(env: NodeJS.ProcessEnv = process.env): RouteExample[] {
  const examples: RouteExample[] = [];
  for (const route of ROUTES) for (const text of ROUTE_DIRECTORY[route].examples) examples.push({ route, text });
  for (const [route, tools] of Object.entries(DOMAIN_TOOLS)) {
    for (const tool of tools) for (const text of tool.metadata.examples ?? []) examples.push({ route, text });
  }
  for (const text of WEEKLY_BRIEF_EXTRA) examples.push({ route: "weekly_brief", text });
  for (const [route, texts] of Object.entries(ROUTER_EXTRA)) for (const text of texts) examples.push({ route: route === "clarify" ? CLARIFY_ROUTE : route, text });
  for (const file of routerExampleFiles(env)) examples.push(...labelledRouteExamples(file));
  // The same text under two routes would only blur both; keep the first.
  const seen = new Set<string>();
  return examples.filter((e) => {
    const key = e.text.trim().toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
