/**
 * Model calls under the reliability layer, through the real ChatOpenAI client against the local OpenAI-compatible
 * server: retries of 429/500/timeouts/malformed tool-call JSON, the fallback chain, and breakers skipping a model.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startOpenAICompatibleServer, type FaultPlan, type OpenAICompatibleServer } from "../../tests/support/openai-compatible-server.js";
import { chatModelChain, modelSettings } from "../models/provider.js";
import { ConfigurationError } from "../errors.js";
import { modelKey, runModelChain } from "./model-chain.js";
import { breakerStates, resetBreakers } from "./breaker.js";
import { reliabilityStats, resetReliabilityStats } from "./stats.js";

let server: OpenAICompatibleServer;
/** Fault plan by model and chat-completion attempt of the current test (0-based). */
let faultFor: (model: string, index: number) => FaultPlan | undefined = () => undefined;
let attempt = 0;
const ENV = { KEEL_RETRY_ATTEMPTS: "3", KEEL_RETRY_BASE_MS: "1", KEEL_RETRY_MAX_MS: "5", KEEL_BREAKER_FAILURES: "3", KEEL_MODEL_TIMEOUT_MS: "300" };
const saved: Record<string, string | undefined> = {};

beforeAll(async () => {
  server = await startOpenAICompatibleServer({
    replies: (req) => ({ tool_calls: [{ name: "lookup", arguments: { id: "CUS-1042" } }], content: `from ${req.body?.model}` }),
    faults: (req) => faultFor(String(req.body?.model), attempt++),
  });
  for (const [key, value] of Object.entries({ ...ENV, OPENAI_BASE_URL: server.url, OPENAI_API_KEY: "k", KEEL_MODEL_FALLBACKS: "" })) {
    saved[key] = process.env[key];
    process.env[key] = value;
  }
});
afterAll(async () => {
  await server.close();
  for (const [key, value] of Object.entries(saved)) value === undefined ? delete process.env[key] : (process.env[key] = value);
});
beforeEach(() => {
  faultFor = () => undefined;
  attempt = 0;
  server.requests.length = 0;
});
afterEach(() => {
  resetBreakers();
  resetReliabilityStats();
});

const sentModels = () => server.requests.filter((r) => r.path === "/v1/chat/completions").map((r) => r.body?.model);
const ask = (tier: "fast" | "strong" = "fast") =>
  runModelChain(chatModelChain(tier), (model) => model.bindTools!([{ type: "function", function: { name: "lookup", parameters: { type: "object", properties: { id: { type: "string" } } } } }]).invoke("look up CUS-1042"));

describe("runModelChain on ChatOpenAI", () => {
  it.each([
    { label: "a 429 with Retry-After 0", plan: { status: 429, retryAfterSeconds: 0 } as FaultPlan, stat: "modelRetries" },
    { label: "a 500", plan: { status: 500 } as FaultPlan, stat: "modelRetries" },
    { label: "a hung reply (timeout)", plan: { delayMs: 2000 } as FaultPlan, stat: "timeouts" },
    { label: "malformed tool-call JSON", plan: { malformedToolCallJson: true } as FaultPlan, stat: "malformedToolCalls" },
  ])("retries $label on the same model and gets a well-formed tool call", async ({ plan, stat }) => {
    faultFor = (_model, index) => (index === 0 ? plan : undefined);
    const reply = await ask();
    expect(reply.tool_calls).toEqual([expect.objectContaining({ name: "lookup", args: { id: "CUS-1042" } })]);
    expect(sentModels()).toEqual(["gpt-4o-mini", "gpt-4o-mini"]);
    expect(reliabilityStats()[stat as "modelRetries"]).toBeGreaterThanOrEqual(1);
    expect(reliabilityStats().modelFallbacks).toBe(0);
  });

  it("falls back to the other tier when the primary keeps failing, and its open breaker skips it next time", async () => {
    faultFor = (model) => (model === "gpt-4o-mini" ? { status: 500 } : undefined);
    const first = await ask();
    expect(first.content).toBe("from gpt-4o");
    expect(sentModels()).toEqual(["gpt-4o-mini", "gpt-4o-mini", "gpt-4o-mini", "gpt-4o"]);
    expect(breakerStates()[modelKey(chatModelChain("fast")[0]!)]).toBe("open");

    server.requests.length = 0;
    const second = await ask();
    expect(second.content).toBe("from gpt-4o");
    expect(sentModels()).toEqual(["gpt-4o"]); // the open breaker refused the primary without a request
    expect(reliabilityStats()).toMatchObject({ breakerOpenings: 1, modelFallbacks: 2 });
  });

  it("a non-transient failure (400) is neither retried nor handed to a fallback", async () => {
    faultFor = () => ({ status: 400 });
    await expect(ask()).rejects.toThrow();
    expect(sentModels()).toEqual(["gpt-4o-mini"]);
  });
});

describe("KEEL_MODEL_FALLBACKS", () => {
  const chainFor = (value: string | undefined, tier: "fast" | "strong" = "strong") =>
    chatModelChain(tier, modelSettings({ OPENAI_BASE_URL: "http://127.0.0.1:9/v1", KEEL_MODEL_FALLBACKS: value })).map(modelKey);

  it.each([
    { value: undefined, tier: "strong" as const, expected: ["model:http://127.0.0.1:9/v1#gpt-4o", "model:http://127.0.0.1:9/v1#gpt-4o-mini"] },
    { value: undefined, tier: "fast" as const, expected: ["model:http://127.0.0.1:9/v1#gpt-4o-mini", "model:http://127.0.0.1:9/v1#gpt-4o"] },
    { value: "none", tier: "strong" as const, expected: ["model:http://127.0.0.1:9/v1#gpt-4o"] },
    { value: "strong,fast", tier: "strong" as const, expected: ["model:http://127.0.0.1:9/v1#gpt-4o", "model:http://127.0.0.1:9/v1#gpt-4o-mini"] },
    { value: "fast, llama3.1:8b@http://127.0.0.1:11434/v1 ,offline", tier: "strong" as const, expected: ["model:http://127.0.0.1:9/v1#gpt-4o", "model:http://127.0.0.1:9/v1#gpt-4o-mini", "model:http://127.0.0.1:11434/v1#llama3.1:8b", "model:keel-offline#keel-offline"] },
  ])("$value on $tier -> $expected", ({ value, tier, expected }) => {
    const chain = chainFor(value, tier);
    expect(chain.slice(0, 3)).toEqual(expected.slice(0, 3));
    expect(chain).toHaveLength(expected.length);
  });

  it.each(["medium", "llama@not-a-url", "@http://x/v1"])("rejects %s naming the variable", (value) => {
    expect(() => chainFor(value)).toThrow(ConfigurationError);
    expect(() => chainFor(value)).toThrow(/KEEL_MODEL_FALLBACKS/);
  });
});
