/**
 * The tenant policy inside real task agents: the tenant comes from the authenticated user in the run config, tool
 * calls over the tenant's limit do not run, model tokens are debited from the tenant's bucket, and the tenant's
 * model tier replaces the agent's.
 */
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createAgent, tool } from "langchain";
import { z } from "zod";
import { HumanMessage, type AIMessage, type BaseMessage } from "@langchain/core/messages";
import { createTaskAgent } from "../../graphs/agents/task-agent.js";
import { supportSpec } from "../../graphs/agents/support.js";
import { ScriptedChatModel } from "../models/scripted-model.js";
import { MemoryRateLimiter } from "../rate-limit/token-bucket.js";
import { setRateLimiter } from "../rate-limit/limiter.js";
import { unspotlight } from "../guardrails/spotlight.js";
import { tenantPolicyMiddleware, tokenBucketKey } from "./tenant-policy-middleware.js";
import type { TenantSettings } from "./tenant-config.js";

const AUTH_USER = { identity: "readonly-demo:dana", tenant_id: "readonly-demo", roles: ["member"] };
let limiter: MemoryRateLimiter;
let previousTenants: string | undefined;

beforeAll(async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "keel-tenant-policy-"));
  const file = path.join(dir, "tenants.json");
  fs.writeFileSync(file, JSON.stringify({ tenants: { "readonly-demo": { rateLimits: { tokensPerMinute: 1_200, toolCallsPerMinute: { get_customer: 2, "*": 50 } }, deniedTools: ["list_customer_credits"] } } }));
  previousTenants = process.env.KEEL_TENANTS;
  process.env.KEEL_TENANTS = file;
  limiter = new MemoryRateLimiter();
  await setRateLimiter(limiter);
});

afterAll(async () => {
  if (previousTenants === undefined) delete process.env.KEEL_TENANTS;
  else process.env.KEEL_TENANTS = previousTenants;
  await setRateLimiter(undefined);
});

function toolReplies(messages: BaseMessage[], name: string): { ok: boolean; error?: { code: string; retry_after_seconds?: number } }[] {
  return messages.filter((m) => m.getType() === "tool" && m.name === name).map((m) => JSON.parse(unspotlight(String(m.content))));
}

describe("tenant policy in a task agent", () => {
  it("refuses a tool call over the tenant's per-minute limit for that tool, without running it", async () => {
    const lookup = { toolCalls: [{ name: "get_customer", args: { customer_id: "CUS-1042" } }] };
    const model = new ScriptedChatModel([
      lookup,
      lookup,
      lookup,
      { toolCalls: [{ name: "task_result", args: { outcome: "completed", answer: "done", evidence: ["CUS-1042"], confidence: 0.9, needs_human_review: false } }] },
    ]);
    const agent = createTaskAgent(supportSpec, { model });
    const out = await agent.invoke({ messages: [new HumanMessage("Look up customer CUS-1042 three times")] }, { configurable: { langgraph_auth_user: AUTH_USER } });
    const replies = toolReplies(out.messages, "get_customer");
    expect(replies.map((r) => r.ok)).toEqual([true, true, false]);
    expect(replies[2]!.error).toMatchObject({ code: "rate_limited" });
    expect(replies[2]!.error!.retry_after_seconds).toBeGreaterThanOrEqual(1);
    expect(replies[2]!.error!.retry_after_seconds).toBeLessThanOrEqual(30); // 2 a minute: one every 30 s
    // Another tenant's bucket for the same tool is untouched.
    expect((await limiter.consume("tool:default:get_customer", 0, { perMinute: 2 }, "check")).remaining).toBe(2);
  });

  it("refuses a tool the tenant is denied, though its scopes allow it, without running it", async () => {
    const model = new ScriptedChatModel([
      { toolCalls: [{ name: "list_customer_credits", args: { customer_id: "CUS-1042" } }] },
      { toolCalls: [{ name: "task_result", args: { outcome: "completed", answer: "done", evidence: ["CUS-1042"], confidence: 0.9, needs_human_review: false } }] },
    ]);
    const out = await createTaskAgent(supportSpec, { model }).invoke({ messages: [new HumanMessage("Credits of CUS-1042?")] }, { configurable: { langgraph_auth_user: AUTH_USER } });
    expect(toolReplies(out.messages, "list_customer_credits")).toEqual([expect.objectContaining({ ok: false, error: expect.objectContaining({ code: "forbidden" }) })]);
    // The same tool for the default tenant (not denied) runs.
    const again = new ScriptedChatModel([
      { toolCalls: [{ name: "list_customer_credits", args: { customer_id: "CUS-1042" } }] },
      { toolCalls: [{ name: "task_result", args: { outcome: "completed", answer: "done", evidence: ["CUS-1042"], confidence: 0.9, needs_human_review: false } }] },
    ]);
    const other = await createTaskAgent(supportSpec, { model: again }).invoke({ messages: [new HumanMessage("Credits of CUS-1042?")] }, { configurable: { tenant_id: "default" } });
    expect(toolReplies(other.messages, "list_customer_credits").map((r) => r.ok)).toEqual([true]);
  });

  it("debits the tokens of every model call from the tenant's bucket", async () => {
    const key = tokenBucketKey("readonly-demo");
    const limit = { perMinute: 1_200 }; // refills 0.02 token a millisecond
    const before = (await limiter.consume(key, 0, limit, "check")).remaining;
    const started = Date.now();
    // The built-in offline model reports real token counts (tiktoken).
    const agent = createTaskAgent(supportSpec);
    const out = await agent.invoke({ messages: [new HumanMessage("What plan is customer CUS-1042 on?")] }, { configurable: { langgraph_auth_user: AUTH_USER } });
    const refill = (Date.now() - started) * 0.02;
    const used = out.messages.filter((m) => m.getType() === "ai").reduce((sum, m) => sum + ((m as AIMessage).usage_metadata?.total_tokens ?? 0), 0);
    expect(used).toBeGreaterThan(100);
    const after = (await limiter.consume(key, 0, limit, "check")).remaining;
    expect(before - after).toBeGreaterThanOrEqual(used - refill - 1);
    expect(before - after).toBeLessThanOrEqual(used);
    // In debt now: a check for one token is refused until it has refilled.
    expect(after).toBeLessThan(0);
    expect((await limiter.consume(key, 1, limit, "check")).allowed).toBe(false);
  });
});

describe("tenant model tier", () => {
  const echo = tool(async () => "pong", { name: "ping", description: "ping", schema: z.object({}) });
  const settings = (tier: "fast" | "strong" | undefined): TenantSettings => ({ id: "acme", rateLimits: {}, modelTiers: tier ? { finance: tier } : {}, deniedTools: [] });

  it.each([
    ["fast", "tier model"],
    ["strong", "agent model"],
    [undefined, "agent model"],
  ] as const)("tenant tier %s for an agent of tier strong answers from the %s", async (tier, answeredBy) => {
    const agentModel = new ScriptedChatModel([{ text: "agent model" }]);
    const tierModel = new ScriptedChatModel([{ text: "tier model" }]);
    const tiersAsked: string[] = [];
    const agent = createAgent({
      model: agentModel,
      tools: [echo],
      middleware: [
        tenantPolicyMiddleware("finance", {
          agentTier: "strong",
          settings: () => settings(tier),
          limiter: () => new MemoryRateLimiter(),
          modelOfTier: (t) => {
            tiersAsked.push(t);
            return tierModel;
          },
        }),
      ],
    });
    const out = await agent.invoke({ messages: [new HumanMessage("hi")] }, { configurable: { tenant_id: "acme" } });
    expect(String(out.messages.at(-1)!.content)).toBe(answeredBy);
    expect(tiersAsked).toEqual(answeredBy === "tier model" ? ["fast"] : []);
  });
});
