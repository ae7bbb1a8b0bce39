/**
 * Middleware the custom HTTP app (src/server/http-app.ts) puts in front of every route of the LangGraph server,
 * built-in ones included (the server mounts the app after its auth middleware and before its own routes):
 * - bodies over `KEEL_MAX_BODY_BYTES` are refused with 413 before anything reads them;
 * - each tenant's requests per minute, and new runs while the tenant's model-token bucket is in debt, are refused
 *   with 429 and `Retry-After` (seconds);
 * - `/metrics` needs the `metrics` or `admin` role;
 * - the experimental per-thread event protocol routes answer 404 (see `protocolGuardMiddleware`).
 *
 * @example KEEL_MAX_BODY_BYTES=1048576
 */
import type { Hono, MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { ConfigurationError } from "../errors.js";
import { hasRole } from "../auth/principal.js";
import { rateLimiter } from "../rate-limit/limiter.js";
import type { RateLimiter } from "../rate-limit/token-bucket.js";
import { tenantSettings, type TenantSettings } from "../tenancy/tenant-config.js";
import { tokenBucketKey } from "../tenancy/tenant-policy-middleware.js";
import { recordRateLimited } from "../observability/metrics.js";

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

export function maxBodyBytes(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.KEEL_MAX_BODY_BYTES?.trim();
  if (!raw) return DEFAULT_MAX_BODY_BYTES;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new ConfigurationError(`KEEL_MAX_BODY_BYTES is "${raw}".`, "Give a positive whole number of bytes, e.g. 1048576.");
  return value;
}

/** POSTs that start a run: `/runs`, `/runs/wait`, `/runs/stream`, `/runs/batch` and the same under a thread. */
const RUN_CREATE = /^(\/threads\/[^/]+)?\/runs(\/wait|\/stream|\/batch)?\/?$/;

export function isRunCreation(method: string, path: string): boolean {
  return method === "POST" && RUN_CREATE.test(path);
}

interface AuthVar {
  user?: { tenant_id?: unknown; roles?: string[] };
}

function callerOf(c: { get(key: string): unknown }): AuthVar["user"] | undefined {
  return (c.get("auth") as AuthVar | undefined)?.user;
}

function tooMany(retryAfterMs: number, detail: string): Response {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return new Response(JSON.stringify({ error: "rate_limited", detail, retry_after_seconds: seconds }), {
    status: 429,
    headers: { "Content-Type": "application/json", "Retry-After": String(seconds) },
  });
}

export interface ServingOptions {
  maxBodyBytes?: number;
  limiter?: () => RateLimiter;
  settings?: (tenant: string) => TenantSettings | undefined;
}

/** 413 for a body over the limit (declared or streamed). */
export function bodyLimitMiddleware(maxBytes: number): MiddlewareHandler {
  return bodyLimit({
    maxSize: maxBytes,
    onError: (c) => c.json({ error: "payload_too_large", detail: `The request body is over ${maxBytes} bytes.` }, 413),
  });
}

/** 429 + Retry-After for a tenant over its requests per minute, or starting a run while in token debt. */
export function tenantRateLimitMiddleware(options: ServingOptions = {}): MiddlewareHandler {
  const limiter = options.limiter ?? rateLimiter;
  const settingsOf = options.settings ?? ((tenant: string) => tenantSettings(tenant));
  return async (c, next) => {
    const tenant = callerOf(c)?.tenant_id;
    if (typeof tenant !== "string" || !tenant) return next();
    const limits = settingsOf(tenant)?.rateLimits;
    if (limits?.requestsPerMinute) {
      const decision = await limiter().consume(`req:${tenant}`, 1, { perMinute: limits.requestsPerMinute }, "take");
      if (!decision.allowed) {
        recordRateLimited(tenant, "requests_per_minute");
        return tooMany(decision.retryAfterMs, `Over ${limits.requestsPerMinute} requests a minute for this tenant.`);
      }
    }
    if (limits?.tokensPerMinute && isRunCreation(c.req.method, c.req.path)) {
      const decision = await limiter().consume(tokenBucketKey(tenant), 1, { perMinute: limits.tokensPerMinute }, "check");
      if (!decision.allowed) {
        recordRateLimited(tenant, "tokens_per_minute");
        return tooMany(decision.retryAfterMs, `Over ${limits.tokensPerMinute} model tokens a minute for this tenant.`);
      }
    }
    return next();
  };
}

/** `/metrics` only for the `metrics` or `admin` role. */
export function metricsGuardMiddleware(): MiddlewareHandler {
  return async (c, next) => {
    if (c.req.path === "/metrics" && !hasRole(callerOf(c), "metrics")) return c.json({ error: "forbidden" }, 403);
    return next();
  };
}

/**
 * The experimental event protocol of @langchain/langgraph-api 1.5.1 (`/threads/{id}/commands`,
 * `/threads/{id}/stream/events`, HTTP and WebSocket) keeps one session per thread id with the auth of whoever
 * opened it first, so a later caller's tenant is not checked when it attaches. Keel's clients use the runs API
 * (`/threads/{id}/runs/stream`, filtered per tenant); these routes answer 404.
 */
export function protocolGuardMiddleware(): MiddlewareHandler {
  const PROTOCOL = /^\/threads\/[^/]+\/(commands|stream\/events)\/?$/;
  return async (c, next) => {
    if (PROTOCOL.test(c.req.path)) return c.json({ error: "not_found" }, 404);
    return next();
  };
}

/** Installs the serving middleware on the custom HTTP app; call before its routes. */
export function installServingMiddleware(app: Hono, options: ServingOptions = {}): Hono {
  app.use("*", protocolGuardMiddleware());
  app.use("*", bodyLimitMiddleware(options.maxBodyBytes ?? maxBodyBytes()));
  app.use("*", tenantRateLimitMiddleware(options));
  app.use("*", metricsGuardMiddleware());
  return app;
}
