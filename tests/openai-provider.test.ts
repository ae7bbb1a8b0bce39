/**
 * The app end to end on the OpenAI provider path: `createKeelApp()` with `OPENAI_BASE_URL` pointing at the local
 * OpenAI-compatible test server, so the real `ChatOpenAI` serialises the router's structured output, the finance
 * agent's tools and the tool results, and only the model's answers are scripted. The tool itself runs for real
 * against this file's seeded company database.
 *
 * Task agents build their models when their modules load, so the environment is set before `graphs/app.js` is
 * imported, and one server serves the whole file (each test swaps its script and faults).
 */
import { describe, it, expect, beforeAll, afterAll, beforeEach } from "vitest";
import path from "node:path";
import Database from "better-sqlite3";
import { MemorySaver } from "@langchain/langgraph";
import {
  startOpenAICompatibleServer,
  type ChatCompletionRequestBody,
  type FaultPlan,
  type OpenAICompatibleServer,
  type ScriptedReply,
} from "./support/openai-compatible-server.js";
import { toolSelectionSettings } from "../src/tool-selection/middleware.js";
import { unspotlight } from "../src/guardrails/spotlight.js";
import { routerPrompt } from "../graphs/meta/directory.js";
import { financeTools } from "../tools/finance/index.js";
import { costUsd } from "../src/cost/prices.js";
import type { KeelApp } from "../graphs/app.js";
import { reliabilitySettings } from "../src/reliability/settings.js";
import { resetBreakers } from "../src/reliability/breaker.js";

const REQUEST = "why was customer CUS-1042 charged twice?";
const ANSWER = "CUS-1042 was charged twice for invoice INV-21042: PAY-31043 duplicates PAY-31042, 90 seconds apart.";
const EVIDENCE = ["CUS-1042", "INV-21042", "PAY-31042", "PAY-31043"];

/** The three model turns of the finance path, in order: route, look up, report. */
function financeScript(): ScriptedReply[] {
  return [
    {
      tool_calls: [{ name: "route", arguments: { routes: ["finance"], confidence: 0.9, reason: "billing" } }],
      usage: { prompt_tokens: 812, completion_tokens: 23 },
    },
    {
      tool_calls: [{ name: "find_duplicate_charges", arguments: { customer_id: "CUS-1042" } }],
      usage: { prompt_tokens: 1490, completion_tokens: 31 },
    },
    {
      tool_calls: [
        {
          name: "task_result",
          arguments: { outcome: "completed", answer: ANSWER, evidence: EVIDENCE, confidence: 0.9, needs_human_review: false },
        },
      ],
      usage: { prompt_tokens: 1795, completion_tokens: 64 },
    },
  ];
}
const SCRIPTED_USAGE = financeScript().map((r) => r.usage!);
/** Which scripted turn is served by which model tier: the router is `fast`, the finance agent `strong`. */
const MODELS = ["gpt-4o-mini", "gpt-4o", "gpt-4o"];

let server: OpenAICompatibleServer;
let app: KeelApp;
let db: Database.Database;
/** Per test: replies still to serve, and the fault plan by chat-completion attempt (0-based, this test only). */
let script: ScriptedReply[] = [];
let faultFor: (attempt: number) => FaultPlan | undefined = () => undefined;
let attempts: { at: number; fault: FaultPlan | undefined }[] = [];

const savedEnv: Record<string, string | undefined> = {};
const ENV_KEYS = ["OPENAI_BASE_URL", "OPENAI_API_KEY", "KEEL_MODEL_PROVIDER", "KEEL_MODEL_FAST", "KEEL_MODEL_STRONG", "KEEL_AGENT_TIERS", "KEEL_PRICES", "KEEL_FAST_ROUTING", "KEEL_SEMANTIC_CACHE", "KEEL_CACHE"];

beforeAll(async () => {
  server = await startOpenAICompatibleServer({
    replies: () => {
      const next = script.shift();
      if (!next) throw new Error("No scripted reply left for this request.");
      return next;
    },
    faults: () => {
      const fault = faultFor(attempts.length);
      attempts.push({ at: Date.now(), fault });
      return fault;
    },
  });
  for (const key of ENV_KEYS) {
    savedEnv[key] = process.env[key];
    delete process.env[key];
  }
  process.env.OPENAI_BASE_URL = server.url;
  process.env.OPENAI_API_KEY = "test-key";
  // Every test here scripts the router's call and counts the calls that reach the server: the fast routing path
  // and the caches (tested in their own files) would answer some of them without the server.
  process.env.KEEL_FAST_ROUTING = "off";
  process.env.KEEL_SEMANTIC_CACHE = "off";
  process.env.KEEL_CACHE = "off";
  const { createKeelApp } = await import("../graphs/app.js");
  app = await createKeelApp({ checkpointer: new MemorySaver() });
  db = new Database(path.join(process.env.KEEL_DATA_DIR!, "company.sqlite"), { readonly: true, fileMustExist: true });
});

afterAll(async () => {
  await app?.close();
  await server?.close();
  db?.close();
  for (const key of ENV_KEYS) {
    if (savedEnv[key] === undefined) delete process.env[key];
    else process.env[key] = savedEnv[key];
  }
});

beforeEach(() => {
  resetBreakers(); // a test that opens a model's breaker must not fail the next one fast
  script = financeScript();
  faultFor = () => undefined;
  attempts = [];
  server.requests.length = 0;
});

/** The chat-completion bodies the app sent in this test, in order. */
function completions(): ChatCompletionRequestBody[] {
  return server.requests.filter((r) => r.path === "/v1/chat/completions").map((r) => r.body!);
}

function textOf(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) return content.map((part: { text?: unknown }) => (typeof part?.text === "string" ? part.text : "")).join("");
  return "";
}

function toolNames(body: ChatCompletionRequestBody): string[] {
  return (body.tools ?? []).map((t) => t.function.name);
}

function expectedUsage() {
  const byModel: Record<string, { calls: number; inputTokens: number; outputTokens: number }> = {};
  SCRIPTED_USAGE.forEach((usage, i) => {
    const entry = (byModel[MODELS[i]!] ??= { calls: 0, inputTokens: 0, outputTokens: 0 });
    entry.calls += 1;
    entry.inputTokens += usage.prompt_tokens;
    entry.outputTokens += usage.completion_tokens;
  });
  const cost = Object.entries(byModel).reduce((sum, [model, e]) => sum + costUsd(model, e.inputTokens, e.outputTokens)!, 0);
  return {
    modelCalls: SCRIPTED_USAGE.length,
    inputTokens: SCRIPTED_USAGE.reduce((s, u) => s + u.prompt_tokens, 0),
    outputTokens: SCRIPTED_USAGE.reduce((s, u) => s + u.completion_tokens, 0),
    byModel,
    cost,
  };
}

/** The checks every successful finance turn must pass, whatever faults preceded it. */
function expectFinanceAnswer(turn: Awaited<ReturnType<KeelApp["run"]>>) {
  expect(turn.status).toBe("answered");
  expect(turn.approvals).toEqual([]);
  expect(turn.answer).toBe(`${ANSWER}\nEvidence: ${EVIDENCE.join(", ")}`);
  expect(turn.reports).toEqual([
    { route: "finance", outcome: "completed", answer: ANSWER, evidence: EVIDENCE, confidence: 0.9, needs_human_review: false, tools: ["find_duplicate_charges"] },
  ]);
  const usage = expectedUsage();
  expect(turn.usage).toMatchObject({ modelCalls: usage.modelCalls, inputTokens: usage.inputTokens, outputTokens: usage.outputTokens, byModel: usage.byModel });
  expect(turn.usage.costUsd).toBeCloseTo(usage.cost, 12);
  expect(script).toEqual([]);
}

describe("Keel app on an OpenAI-compatible provider", () => {
  it("routes, calls the finance tool on the real database and returns the agent's structured result", async () => {
    const turn = await app.run(REQUEST);
    expectFinanceAnswer(turn);

    const sent = completions();
    expect(sent).toHaveLength(3);
    expect(sent.map((b) => b.model)).toEqual(MODELS);
    for (const request of server.requests.filter((r) => r.path === "/v1/chat/completions")) {
      expect(request.headers.authorization).toBe("Bearer test-key");
    }

    // 1. The router: its prompt, the request, and one forced tool `route` (function calling, not strict json_schema).
    const [route, lookup, report] = sent as [ChatCompletionRequestBody, ChatCompletionRequestBody, ChatCompletionRequestBody];
    expect(route.messages!.map((m) => m.role)).toEqual(["system", "user"]);
    expect(textOf(route.messages![0]!.content)).toBe(routerPrompt());
    expect(textOf(route.messages![1]!.content)).toBe(REQUEST);
    expect(toolNames(route)).toEqual(["route"]);
    expect(route.tool_choice).toEqual({ type: "function", function: { name: "route" } });
    expect(route.response_format).toBeUndefined();
    const routeParams = route.tools![0]!.function.parameters as { properties: Record<string, unknown>; required: string[] };
    expect(Object.keys(routeParams.properties).sort()).toEqual(["clarifying_question", "confidence", "reason", "routes"]);
    expect(routeParams.required.sort()).toEqual(["confidence", "reason", "routes"]);

    // 2. The finance agent: only the retrieved finance tools (top k) plus search_tools and task_result, its own
    //    prompt, and the user's request alone.
    const bound = toolNames(lookup);
    const finance = new Set(financeTools.map((t) => t.name));
    expect(bound).toEqual(expect.arrayContaining(["find_duplicate_charges", "search_tools", "task_result"]));
    expect(bound.filter((n) => !finance.has(n)).sort()).toEqual(["search_tools", "task_result"]);
    expect(bound.length).toBeLessThanOrEqual(toolSelectionSettings().k + 2);
    expect(lookup.messages!.map((m) => m.role)).toEqual(["system", "user"]);
    expect(textOf(lookup.messages![0]!.content)).toContain("You are the finance agent.");
    expect(textOf(lookup.messages![1]!.content)).toBe(REQUEST);

    // 3. The same agent again, now with its tool call and the tool's result from the database.
    expect(toolNames(report)).toEqual(toolNames(lookup));
    expect(report.messages!.map((m) => m.role)).toEqual(["system", "user", "assistant", "tool"]);
    const call = (report.messages![2]!.tool_calls as { id: string; function: { name: string; arguments: string } }[])[0]!;
    expect(call.function.name).toBe("find_duplicate_charges");
    expect(JSON.parse(call.function.arguments)).toEqual({ customer_id: "CUS-1042" });
    const toolMessage = report.messages![3]!;
    expect(toolMessage.tool_call_id).toBe(call.id);
    // Tool output reaches the provider marked as data (spotlighting) around the tool's JSON.
    expect(textOf(toolMessage.content)).toMatch(/^<<DATA [0-9a-f]{12}>>\n[\s\S]*\n<<END [0-9a-f]{12}>>$/);
    const result = JSON.parse(unspotlight(textOf(toolMessage.content))) as {
      ok: boolean;
      data: { count: number; duplicates: { payment_ids: string[]; duplicate_payment_id: string; amount_cents: number }[] };
    };

    const pairs = db
      .prepare(
        `SELECT a.id AS first_id, b.id AS second_id, a.amount_cents
           FROM payments a JOIN payments b
             ON b.customer_id = a.customer_id AND b.amount_cents = a.amount_cents AND b.created_at > a.created_at
          WHERE a.customer_id = 'CUS-1042' AND a.status = 'succeeded' AND b.status = 'succeeded'
            AND (julianday(b.created_at) - julianday(a.created_at)) * 86400 <= 600`,
      )
      .all() as { first_id: string; second_id: string; amount_cents: number }[];
    expect(pairs).toHaveLength(1);
    expect(result.ok).toBe(true);
    expect(result.data.count).toBe(1);
    expect(result.data.duplicates[0]).toMatchObject({
      payment_ids: [pairs[0]!.first_id, pairs[0]!.second_id],
      duplicate_payment_id: pairs[0]!.second_id,
      amount_cents: pairs[0]!.amount_cents,
    });
  });

  it.each([
    { failures: 1, retryAfterSeconds: 2 },
    { failures: 2, retryAfterSeconds: 1 },
  ])("retries $failures rate-limited call(s) (429, Retry-After $retryAfterSeconds s) and still answers", async ({ failures, retryAfterSeconds }) => {
    faultFor = (attempt) => (attempt < failures ? { status: 429, retryAfterSeconds } : undefined);

    const turn = await app.run(REQUEST);
    expectFinanceAnswer(turn);

    // The failed attempts were the router's call, sent again unchanged, each after the server's Retry-After.
    const sent = completions();
    expect(sent).toHaveLength(3 + failures);
    for (let i = 1; i <= failures; i++) expect(sent[i]).toEqual(sent[0]);
    expect(sent.map((b) => b.model)).toEqual([...Array(failures).fill("gpt-4o-mini"), ...MODELS]);
    expect(attempts.map((a) => a.fault?.status)).toEqual([...Array(failures).fill(429), undefined, undefined, undefined]);
    for (let i = 1; i <= failures; i++) {
      expect(attempts[i]!.at - attempts[i - 1]!.at).toBeGreaterThanOrEqual(retryAfterSeconds * 1000 - 20);
    }
  });

  it("gives up after KEEL_RETRY_ATTEMPTS on each model of the fallback chain: the router's fast model, then strong", async () => {
    faultFor = () => ({ status: 429, retryAfterSeconds: 0 });
    const attemptsPerModel = reliabilitySettings().retryAttempts;

    await expect(app.run(REQUEST)).rejects.toThrow(/429/);
    expect(attempts).toHaveLength(2 * attemptsPerModel);
    expect(completions().map((b) => b.model)).toEqual([...Array(attemptsPerModel).fill("gpt-4o-mini"), ...Array(attemptsPerModel).fill("gpt-4o")]);
  });
});
