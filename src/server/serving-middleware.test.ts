import { describe, it, expect } from "vitest";
import { Hono } from "hono";
import { installServingMiddleware, isRunCreation, maxBodyBytes } from "./serving-middleware.js";
import { MemoryRateLimiter } from "../rate-limit/token-bucket.js";
import type { TenantSettings } from "../tenancy/tenant-config.js";

const SETTINGS: Record<string, TenantSettings> = {
  acme: { id: "acme", rateLimits: { requestsPerMinute: 3, tokensPerMinute: 600 }, modelTiers: {}, deniedTools: [] },
  globex: { id: "globex", rateLimits: { requestsPerMinute: 100 }, modelTiers: {}, deniedTools: [] },
};

/** A server like the LangGraph one: an auth middleware sets `auth`, then the app's middleware, then routes. */
function server(limiter = new MemoryRateLimiter()) {
  const outer = new Hono();
  outer.use("*", async (c, next) => {
    const tenant = c.req.header("x-test-tenant");
    const roles = c.req.header("x-test-roles")?.split(",") ?? ["member"];
    c.set("auth" as never, { user: tenant ? { tenant_id: tenant, roles } : { roles: [] } } as never);
    await next();
  });
  const app = installServingMiddleware(new Hono(), { maxBodyBytes: 1000, limiter: () => limiter, settings: (t) => SETTINGS[t] });
  app.get("/metrics", (c) => c.text("keel_up 1"));
  outer.route("/", app);
  outer.post("/threads/:id/runs/wait", async (c) => c.json({ got: (await c.req.text()).length }));
  outer.get("/threads/:id", (c) => c.json({ ok: true }));
  return { outer, limiter };
}

describe("serving middleware", () => {
  it("refuses a body over the limit with 413 before the route reads it, and lets one at the limit through", async () => {
    const { outer } = server();
    const over = await outer.request("/threads/t/runs/wait", { method: "POST", body: "x".repeat(1001), headers: { "x-test-tenant": "globex" } });
    expect(over.status).toBe(413);
    expect(await over.json()).toEqual({ error: "payload_too_large", detail: "The request body is over 1000 bytes." });
    const at = await outer.request("/threads/t/runs/wait", { method: "POST", body: "x".repeat(1000), headers: { "x-test-tenant": "globex" } });
    expect(await at.json()).toEqual({ got: 1000 });
  });

  it("refuses a streamed body without content-length once it passes the limit", async () => {
    const { outer } = server();
    const stream = new ReadableStream({
      start(controller) {
        for (let i = 0; i < 5; i++) controller.enqueue(new TextEncoder().encode("y".repeat(300)));
        controller.close();
      },
    });
    const res = await outer.request("/threads/t/runs/wait", { method: "POST", body: stream, headers: { "x-test-tenant": "globex" }, duplex: "half" } as RequestInit);
    expect(res.status).toBe(413);
  });

  it("gives 429 with Retry-After once a tenant is over its requests a minute, without touching other tenants", async () => {
    const { outer } = server();
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await outer.request("/threads/t", { headers: { "x-test-tenant": "acme" } })).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const refused = await outer.request("/threads/t", { headers: { "x-test-tenant": "acme" } });
    expect(refused.headers.get("retry-after")).toMatch(/^(19|20)$/); // 3 a minute: one every 20 s
    expect(await refused.json()).toMatchObject({ error: "rate_limited" });
    expect((await outer.request("/threads/t", { headers: { "x-test-tenant": "globex" } })).status).toBe(200);
  });

  it("refuses new runs while the tenant's token bucket is in debt, but not reads", async () => {
    const { outer, limiter } = server();
    await limiter.consume("tokens:acme", 660, { perMinute: 600 }, "debit"); // 60 tokens in debt at 10 a second
    const run = await outer.request("/threads/t/runs/wait", { method: "POST", body: "{}", headers: { "x-test-tenant": "acme" } });
    expect(run.status).toBe(429);
    expect(Number(run.headers.get("retry-after"))).toBe(7); // 61 tokens at 10/s
    expect((await outer.request("/threads/t", { headers: { "x-test-tenant": "acme" } })).status).toBe(200);
  });

  it.each([
    [["member"], 403],
    [["reader"], 403],
    [["metrics"], 200],
    [["admin"], 200],
  ])("/metrics for roles %j: %d", async (roles, status) => {
    const { outer } = server();
    expect((await outer.request("/metrics", { headers: { "x-test-tenant": "globex", "x-test-roles": roles.join(",") } })).status).toBe(status);
  });

  it.each([
    ["POST", "/threads/0b1c/commands", 404],
    ["POST", "/threads/0b1c/stream/events", 404],
    ["GET", "/threads/0b1c/stream/events", 404],
    ["GET", "/threads/0b1c", 200],
  ])("%s %s: %d", async (method, path, status) => {
    const { outer } = server();
    outer.post("/threads/:id/commands", (c) => c.json({ reached: true }));
    outer.on(["GET", "POST"], "/threads/:id/stream/events", (c) => c.json({ reached: true }));
    expect((await outer.request(path, { method, headers: { "x-test-tenant": "globex" }, ...(method === "POST" ? { body: "{}" } : {}) })).status).toBe(status);
  });

  it.each([
    ["POST", "/runs", true],
    ["POST", "/runs/wait", true],
    ["POST", "/runs/stream", true],
    ["POST", "/runs/batch", true],
    ["POST", "/threads/0b1c/runs/stream", true],
    ["GET", "/threads/0b1c/runs", false],
    ["POST", "/threads/0b1c/runs/0b2d/cancel", false],
    ["POST", "/threads/search", false],
  ])("%s %s starts a run: %s", (method, path, expected) => {
    expect(isRunCreation(method, path)).toBe(expected);
  });

  it.each([["0"], ["-1"], ["1.5"], ["lots"]])("refuses KEEL_MAX_BODY_BYTES=%s", (value) => {
    expect(() => maxBodyBytes({ KEEL_MAX_BODY_BYTES: value })).toThrow(/KEEL_MAX_BODY_BYTES/);
  });
});
