import { describe, it, expect } from "vitest";
import { EmbeddingRouter, CLARIFY_ROUTE, decideFastRoute, routesOf, fastRouterSettings, requestParts, namesSomething, DEFAULT_FAST_ROUTER } from "./embedding-router.js";
import { routeRequest, withNamedRecords } from "./route-request.js";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { appRouteExamples, labelledRouteExamples, routerExampleFiles } from "./route-examples.js";
import { ScriptedChatModel } from "../models/scripted-model.js";
import { ConfigurationError } from "../errors.js";
import { EntityEvidence } from "./entity-evidence.js";
import { DOMAIN_TOOLS } from "../../graphs/agents/tool-index.js";

const EXAMPLES = [
  { route: "finance", text: "Refund payment PAY-30881" },
  { route: "finance", text: "Show the unpaid invoices of CUS-1300" },
  { route: "finance", text: "Why was the customer charged twice?" },
  { route: "shipping", text: "Where is my order ORD-10233?" },
  { route: "shipping", text: "Track shipment SHP-40012" },
  { route: "shipping", text: "Which deliveries are late?" },
];

describe("embedding router", () => {
  it.each([
    ["Please refund payment PAY-31043", ["finance"]],
    ["Track my shipment SHP-40233", ["shipping"]],
  ])("routes %j to %j with confidence", async (request, routes) => {
    const router = await EmbeddingRouter.build(EXAMPLES);
    const result = await router.route(request);
    expect(result.routes).toEqual(routes);
    expect(result.confident).toBe(true);
    expect(result.ranking[0]!.score).toBeGreaterThan(result.ranking[1]!.score);
  });

  it("sends each part of a two-domain request to its own route", async () => {
    const router = await EmbeddingRouter.build(EXAMPLES);
    const result = await router.route("Refund payment PAY-31043 and track shipment SHP-40233");
    expect(result.parts.map((p) => p.ranking[0]!.route)).toEqual(["finance", "shipping"]);
    expect([...result.routes].sort()).toEqual(["finance", "shipping"]);
  });

  it("scores are each route's share of the nearest examples' similarity-weighted vote", async () => {
    const router = await EmbeddingRouter.build(EXAMPLES);
    const scored = await router.score("Refund the payment for the customer who was charged twice");
    expect(scored.ranking.reduce((sum, r) => sum + r.score, 0)).toBeCloseTo(1, 6);
    expect(scored.ranking[0]).toMatchObject({ route: "finance" });
    expect(scored.ranking[0]!.score).toBeGreaterThan(0.5);
    // Closeness is the nearest example's own similarity, not a share.
    expect(scored.closeness).toBeCloseTo(scored.similar![0]!.score, 6);
  });

  it("a request unlike every example is not routed without the model, however the vote goes", () => {
    const ranking = [{ route: "finance", score: 0.95 }, { route: "shipping", score: 0.05 }];
    const s = DEFAULT_FAST_ROUTER;
    expect(decideFastRoute({ request: "INV-20001 weather forecast", ranking, parts: [], closeness: s.clarifyBelow + 0.05 }, s).confident).toBe(true);
    expect(decideFastRoute({ request: "INV-20001 weather forecast", ranking, parts: [], closeness: s.clarifyBelow - 0.05 }, s).confident).toBe(false);
    expect(decideFastRoute({ request: "weather forecast", ranking, parts: [], closeness: s.clarifyBelow - 0.05 }, s)).toMatchObject({ routes: [], confident: true });
  });

  it("a request nearest the examples of a combination of routes is sent to every route it names", async () => {
    const router = await EmbeddingRouter.build([
      ...EXAMPLES,
      { route: "finance+shipping", text: "I was billed for order ORD-10455 but it never arrived" },
      { route: "finance+shipping", text: "Charged for a parcel that never came" },
    ]);
    const result = await router.route("I got charged for my order ORD-10990 that never showed up");
    expect(result.ranking[0]!.route).toBe("finance+shipping");
    expect([...result.routes].sort()).toEqual(["finance", "shipping"]);
    // Without those examples the same request reads as one domain.
    expect((await (await EmbeddingRouter.build(EXAMPLES)).route("I got charged for my order ORD-10990 that never showed up")).routes).toHaveLength(1);
  });

  it("a request nearest the vague examples gets a clarifying question without the model, unless it names a record", () => {
    const ranking = [{ route: CLARIFY_ROUTE, score: 0.3 }, { route: "finance", score: 0.3 - DEFAULT_FAST_ROUTER.minMargin - 0.02 }];
    expect(decideFastRoute({ request: "any news?", ranking, parts: [] }, DEFAULT_FAST_ROUTER)).toMatchObject({ routes: [], confident: true });
    expect(decideFastRoute({ request: "any news on INV-20001?", ranking, parts: [] }, DEFAULT_FAST_ROUTER)).toMatchObject({ routes: [], confident: false });
  });

  it("the decision rule: unsure below the score or margin, clarify on a vague request, never on one naming a record", () => {
    const scored = (request: string, a: number, b: number) => ({ request, ranking: [{ route: "finance", score: a }, { route: "shipping", score: b }], parts: [] });
    const s = DEFAULT_FAST_ROUTER;
    expect(decideFastRoute(scored("x", s.minScore + 0.1, s.minScore + 0.1 - s.minMargin - 0.01), s).confident).toBe(true);
    expect(decideFastRoute(scored("x", s.minScore - 0.01, 0), s).confident).toBe(false);
    expect(decideFastRoute(scored("x", s.minScore + 0.1, s.minScore + 0.1 - s.minMargin / 2), s).confident).toBe(false);
    const vague = decideFastRoute(scored("can you check on it", s.clarifyBelow - 0.05, 0.1), s);
    expect(vague).toMatchObject({ routes: [], confident: true });
    expect(decideFastRoute(scored("ORD-10233?", s.clarifyBelow - 0.05, 0.1), s).confident).toBe(false);
  });

  describe("a request sure as a whole, with clauses", () => {
    const s = DEFAULT_FAST_ROUTER;
    const part = (text: string, route: string, score: number) => ({ text, ranking: [{ route, score }, { route: "support", score: Math.max(0, 1 - score) / 2 }] });
    const unsure = (s.partObjection + s.partMinScore) / 2; // leans, but is not sure
    const whole = [{ route: "finance", score: 0.95 }, { route: "shipping", score: 0.05 }];
    it.each([
      ["keeps its routes when an unsure clause leans nowhere strongly", [part("hi there, hope all is well", "shipping", s.partObjection - 0.05)], s, { confident: true, routes: ["finance"] }],
      ["keeps its routes when an unsure clause leans to one of them", [part("thanks, the invoice", "finance", unsure)], s, { confident: true, routes: ["finance"] }],
      ["ignores an unsure clause nearest the vague examples", [part("anyway, thoughts?", CLARIFY_ROUTE, 0.9)], s, { confident: true, routes: ["finance"] }],
      ["adds the route of a sure clause", [part("and where is ORD-2", "shipping", 0.99)], s, { confident: true, routes: ["finance", "shipping"] }],
      ["asks the model when an unsure clause leans elsewhere", [part("the parcel never came", "shipping", unsure)], s, { confident: false }],
      ["asks the model about any unsure clause with the objection off", [part("hi there, hope all is well", "shipping", s.partObjection - 0.05)], { ...s, partObjection: 2 }, { confident: false }],
    ])("%s", (_name, parts, settings, expected) => {
      const ask = part("Refund PAY-1 please", "finance", 0.99);
      expect(decideFastRoute({ request: "Refund PAY-1 please. more", ranking: whole, parts: [ask, ...parts], closeness: 0.9 }, settings)).toMatchObject(expected);
    });
    it("is never decided by its clauses alone when the whole is unsure", () => {
      const unsureWhole = [{ route: "finance", score: s.minScore - 0.01 }, { route: "shipping", score: 0 }];
      const parts = [part("Refund PAY-1 please", "finance", 0.99), part("hi there", "shipping", 0.1)];
      expect(decideFastRoute({ request: "Refund PAY-1 please. hi there", ranking: unsureWhole, parts, closeness: 0.9 }, s).confident).toBe(false);
    });
  });

  it.each([
    ["Refund PAY-1 and cancel order ORD-2", ["Refund PAY-1", "cancel order ORD-2"]],
    ["Which shipments are late, and which invoices are overdue?", ["Which shipments are late", "which invoices are overdue?"]],
    ["Compare on-time rates of UPS and FedEx", []],
  ])("requestParts(%j)", (request, parts) => {
    expect(requestParts(request)).toEqual(parts);
  });

  it.each([["CUS-1042", true], ["payments-api", true], ["#inc-payments", true], ["$20", true], ["can you check on it", false]])("namesSomething(%j) is %s", (text, expected) => {
    expect(namesSomething(text)).toBe(expected);
  });

  it("settings: off disables, malformed values are refused naming the variable", () => {
    expect(fastRouterSettings({ KEEL_FAST_ROUTING: "off" }).enabled).toBe(false);
    expect(fastRouterSettings({}).enabled).toBe(true);
    expect(() => fastRouterSettings({ KEEL_FAST_ROUTING: "maybe" })).toThrow(ConfigurationError);
    expect(() => fastRouterSettings({ KEEL_FAST_ROUTING_MIN_SCORE: "high" })).toThrow(/KEEL_FAST_ROUTING_MIN_SCORE/);
  });

  it("a route whose records the request names scores higher and is always among the routes", async () => {
    const evidence = EntityEvidence.fromTools({ finance: DOMAIN_TOOLS.finance, shipping: DOMAIN_TOOLS.shipping });
    const plain = await EmbeddingRouter.build(EXAMPLES);
    const withEvidence = await EmbeddingRouter.build(EXAMPLES, { evidence });
    const request = "Which deliveries are late for invoice INV-20417?";
    const before = (await plain.rank(request)).find((r) => r.route === "finance")!.score;
    const after = (await withEvidence.rank(request)).find((r) => r.route === "finance")!.score;
    expect(after).toBeGreaterThan(before);
    const routed = await withEvidence.route(request, { ...DEFAULT_FAST_ROUTER, minScore: 0 });
    expect([...routed.routes].sort()).toEqual(["finance", "shipping"]);
  });

  it("returns the example requests nearest to the request, best first, without repeats", async () => {
    const router = await EmbeddingRouter.build(EXAMPLES);
    const result = await router.route("Refund payment PAY-31043 and track shipment SHP-40233");
    expect(result.similar[0]).toMatchObject({ route: "finance", text: "Refund payment PAY-30881" });
    expect(result.similar.map((s) => s.text)).toContain("Track shipment SHP-40012");
    expect(new Set(result.similar.map((s) => s.text)).size).toBe(result.similar.length);
    expect(result.similar.map((s) => s.score)).toEqual([...result.similar.map((s) => s.score)].sort((a, b) => b - a));
  });

  it("the app's examples cover every route, name only routes or their combinations, and never file one text twice", () => {
    const examples = appRouteExamples();
    const routes = new Set(examples.map((e) => e.route));
    for (const route of ["support", "incidents", "finance", "shipping", "weekly_brief", CLARIFY_ROUTE]) expect(routes).toContain(route);
    const combined = [...routes].filter((r) => r.includes("+"));
    expect(combined).toContain("finance+shipping");
    for (const route of combined) expect(routesOf(route).every((r) => ["support", "incidents", "finance", "shipping", "weekly_brief"].includes(r))).toBe(true);
    const texts = examples.map((e) => e.text.toLowerCase());
    expect(new Set(texts).size).toBe(texts.length);
  });
});

describe("routeRequest", () => {
  const modelSays = (routes: string[]) => new ScriptedChatModel([{ toolCalls: [{ name: "route", args: { routes, confidence: 0.9, reason: "scripted" } }] }]);

  it("asks no model when the embedding router is confident", async () => {
    const router = await EmbeddingRouter.build(EXAMPLES);
    const model = modelSays(["shipping"]);
    const decision = await routeRequest("Please refund payment PAY-31043", { model: () => model, router, settings: fastRouterSettings({}) });
    expect(decision).toMatchObject({ routes: ["finance"], source: "embedding" });
    expect(decision.confidence).toBeGreaterThanOrEqual(0.45);
    expect(model.calls).toHaveLength(0);
  });

  it("asks the model when unsure, and always when the fast path is off", async () => {
    const router = await EmbeddingRouter.build(EXAMPLES);
    const unsure = { ...fastRouterSettings({}), minScore: 2 };
    const model = modelSays(["shipping"]);
    expect(await routeRequest("Please refund payment PAY-31043", { model: () => model, router, settings: unsure })).toMatchObject({ routes: ["shipping"], source: "model" });
    const off = modelSays(["finance"]);
    expect(await routeRequest("Please refund payment PAY-31043", { model: () => off, router, settings: fastRouterSettings({ KEEL_FAST_ROUTING: "off" }) })).toMatchObject({ source: "model" });
    expect(model.calls).toHaveLength(1);
    expect(off.calls).toHaveLength(1);
  });

  it.each([
    // [request, model routes, model confidence, named routes, expected routes, routed (not a clarifying question)]
    ["Void INV-20500 and reply on TCK-5001", ["support"], 0.8, ["finance", "support"], ["support", "finance"], true],
    ["who is CUS-1907? plan and status", ["support"], 0.3, [], ["support"], true],
    ["status of INV-20500?", [], 0.2, ["finance"], ["finance"], true],
    ["can you look at it again", ["support"], 0.3, [], ["support"], false],
    ["what about CUS-1907", [], 0.2, [], [], false],
  ] as const)("withNamedRecords(%j)", (request, routes, confidence, named, expected, routed) => {
    const decision = withNamedRecords({ routes: [...routes], confidence, reason: "model" }, request, named);
    expect(decision.routes).toEqual(expected);
    expect(decision.confidence >= 0.45).toBe(routed);
  });

  it("shows the model the nearest labelled requests as few-shot examples", async () => {
    const router = await EmbeddingRouter.build(EXAMPLES);
    const model = modelSays(["shipping"]);
    await routeRequest("Where is the parcel of ORD-10500?", { model: () => model, router, settings: { ...fastRouterSettings({}), minScore: 2 } });
    const system = String(model.calls[0]!.messages[0]!.content);
    expect(system).toContain("Labelled requests similar to this one:\n- shipping: Where is my order ORD-10233?");
  });

  it("shows a labelled request that needed several routes with all of them", async () => {
    const router = await EmbeddingRouter.build([...EXAMPLES, { route: "finance+shipping", text: "Billed for order ORD-10455 that never arrived" }]);
    const model = modelSays(["shipping"]);
    await routeRequest("Charged for ORD-10500 but nothing came", { model: () => model, router, settings: { ...fastRouterSettings({}), minScore: 2 } });
    expect(String(model.calls[0]!.messages[0]!.content)).toContain("- finance + shipping: Billed for order ORD-10455 that never arrived");
  });
});

describe("labelled router examples", () => {
  const write = (lines: string[]) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "keel-router-examples-"));
    const file = path.join(dir, "router-examples.jsonl");
    fs.writeFileSync(file, lines.join("\n"));
    return file;
  };

  it("a one-route row is an example of its route, a [] row of the vague requests, several routes of their combination", () => {
    const file = write([
      JSON.stringify({ id: "x1", request: "where is ORD-10001", expected_agents: ["shipping"] }),
      JSON.stringify({ id: "x2", request: "hmm?", expected_agents: [] }),
      "",
      JSON.stringify({ id: "x3", request: "refund and reship ORD-10002", expected_agents: ["finance", "shipping"] }),
    ]);
    expect(labelledRouteExamples(file)).toEqual([
      { route: "shipping", text: "where is ORD-10001" },
      { route: CLARIFY_ROUTE, text: "hmm?" },
      { route: "finance+shipping", text: "refund and reship ORD-10002" },
    ]);
    const texts = appRouteExamples({ KEEL_ROUTER_EXAMPLES: file }).map((e) => e.text);
    expect(texts).toContain("where is ORD-10001");
    expect(appRouteExamples({ KEEL_ROUTER_EXAMPLES: "off" }).map((e) => e.text)).not.toContain("where is ORD-10001");
  });

  it.each([
    ["not json", /router-examples\.jsonl:2 is not valid JSON/],
    [JSON.stringify({ request: "x", expected_agents: ["billing"] }), /router-examples\.jsonl:2 needs .*expected_agents/],
    [JSON.stringify({ request: "", expected_agents: ["finance"] }), /router-examples\.jsonl:2 needs a non-empty "request"/],
  ])("a malformed row (%s) is refused naming the file and line", (bad, message) => {
    const file = write([JSON.stringify({ request: "ok", expected_agents: ["finance"] }), bad]);
    expect(() => labelledRouteExamples(file)).toThrow(message);
    expect(() => labelledRouteExamples(`${file}.missing`)).toThrow(ConfigurationError);
  });

  it("reads every config/router-examples*.jsonl by default", () => {
    expect(routerExampleFiles({}).length).toBeGreaterThan(0);
    expect(routerExampleFiles({}).every((f) => /config[\\/]router-examples.*\.jsonl$/.test(f))).toBe(true);
  });
});
