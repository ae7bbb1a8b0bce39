/**
 * The Redis token bucket against a real redis-server: the same decisions as the in-memory one, shared by every
 * client (as by several server processes), atomic under concurrent calls, keys that expire when full, and
 * fail-open when Redis is gone.
 */
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { Redis } from "ioredis";
import { RedisRateLimiter } from "../src/rate-limit/redis-bucket.js";
import { createRateLimiter } from "../src/rate-limit/limiter.js";
import { startRedis, type RedisServer } from "./support/redis-server.js";

let redis: RedisServer;
const limiters: RedisRateLimiter[] = [];

function limiter(options: ConstructorParameters<typeof RedisRateLimiter>[1] = {}): RedisRateLimiter {
  const l = new RedisRateLimiter(redis.url, options);
  limiters.push(l);
  return l;
}

beforeAll(async () => {
  redis = await startRedis();
});

afterAll(async () => {
  for (const l of limiters) await l.close();
  await redis?.stop();
});

describe("RedisRateLimiter", () => {
  it("allows a full bucket, then refuses with the wait for one token", async () => {
    const rl = limiter();
    const limit = { perMinute: 6, capacity: 3 }; // one token every 10 s
    const decisions = [];
    for (let i = 0; i < 4; i++) decisions.push(await rl.consume("a", 1, limit));
    expect(decisions.map((d) => d.allowed)).toEqual([true, true, true, false]);
    expect(decisions[3]!.retryAfterMs).toBeGreaterThan(9_000);
    expect(decisions[3]!.retryAfterMs).toBeLessThanOrEqual(10_000);
  });

  it.each([
    ["take", 5, true, 5],
    ["take", 11, false, 10],
    ["check", 5, true, 10],
    ["check", 11, false, 10],
    ["debit", 25, true, -15],
  ] as const)("mode %s with cost %d on a full bucket of 10: allowed %s, about %d left", async (mode, cost, allowed, remaining) => {
    const decision = await limiter().consume(`mode-${mode}-${cost}`, cost, { perMinute: 10 }, mode);
    expect(decision.allowed).toBe(allowed);
    expect(decision.remaining).toBeCloseTo(remaining, 0);
  });

  it("shares one bucket between clients, atomically under concurrent calls", async () => {
    const [one, two] = [limiter(), limiter()];
    const limit = { perMinute: 20, capacity: 20 };
    const decisions = await Promise.all(Array.from({ length: 50 }, (_, i) => (i % 2 ? one : two).consume("shared", 1, limit)));
    expect(decisions.filter((d) => d.allowed)).toHaveLength(20);
  });

  it("lets a key expire once the bucket would be full again", async () => {
    const rl = limiter({ prefix: "ttl:" });
    await rl.consume("k", 2, { perMinute: 60, capacity: 10 }); // 2 tokens short: full again in ~2 s
    const raw = new Redis(redis.url);
    try {
      const ttl = await raw.pttl("ttl:k");
      expect(ttl).toBeGreaterThan(1_000);
      expect(ttl).toBeLessThanOrEqual(2_000);
    } finally {
      raw.disconnect();
    }
  });

  it("is what the process uses when REDIS_URL is set", async () => {
    const fromEnv = createRateLimiter({ REDIS_URL: redis.url });
    try {
      expect(fromEnv.kind).toBe("redis");
      expect(createRateLimiter({}).kind).toBe("memory");
    } finally {
      await fromEnv.close();
    }
  });

  it("allows requests and reports the error when Redis is unreachable (fails open)", async () => {
    const errors: string[] = [];
    const dead = new RedisRateLimiter(new Redis("redis://127.0.0.1:1/0", { maxRetriesPerRequest: 0, enableOfflineQueue: false, lazyConnect: true, retryStrategy: () => null }), { onError: (e) => errors.push(e.message) });
    try {
      const decision = await dead.consume("k", 1, { perMinute: 1 });
      expect(decision.allowed).toBe(true);
      expect(errors.length).toBeGreaterThan(0);
    } finally {
      await dead.close();
    }
  });
});
