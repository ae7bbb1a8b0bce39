import { describe, it, expect } from "vitest";
import { MemoryRateLimiter, msToRefill } from "./token-bucket.js";

function clock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe("MemoryRateLimiter", () => {
  it("allows a full bucket's worth, then refuses with the wait until one token is back", async () => {
    const t = clock();
    const limiter = new MemoryRateLimiter(t.now);
    const limit = { perMinute: 60, capacity: 3 };
    const decisions = [];
    for (let i = 0; i < 4; i++) decisions.push(await limiter.consume("k", 1, limit));
    expect(decisions.map((d) => d.allowed)).toEqual([true, true, true, false]);
    expect(decisions[3]!.retryAfterMs).toBe(1000);
    t.advance(999);
    expect((await limiter.consume("k", 1, limit)).allowed).toBe(false);
    t.advance(1);
    expect((await limiter.consume("k", 1, limit)).allowed).toBe(true);
  });

  it.each([
    ["take", 5, true, 5],
    ["take", 11, false, 10],
    ["check", 5, true, 10],
    ["check", 11, false, 10],
    ["debit", 25, true, -15],
  ] as const)("mode %s with cost %d on a full bucket of 10: allowed %s, %d left", async (mode, cost, allowed, remaining) => {
    const limiter = new MemoryRateLimiter(clock().now);
    const decision = await limiter.consume("k", cost, { perMinute: 10 }, mode);
    expect(decision.allowed).toBe(allowed);
    expect(decision.remaining).toBe(remaining);
  });

  it("keeps a bucket in debt until it has refilled past zero", async () => {
    const t = clock();
    const limiter = new MemoryRateLimiter(t.now);
    const limit = { perMinute: 600 }; // 10 a second
    await limiter.consume("tokens", 620, limit, "debit"); // 600 - 620 = -20
    const refused = await limiter.consume("tokens", 1, limit, "check");
    expect(refused.allowed).toBe(false);
    expect(refused.retryAfterMs).toBe(2100); // 21 tokens at 10/s
    t.advance(2100);
    expect((await limiter.consume("tokens", 1, limit, "check")).allowed).toBe(true);
  });

  it("never refills above capacity", async () => {
    const t = clock();
    const limiter = new MemoryRateLimiter(t.now);
    await limiter.consume("k", 1, { perMinute: 60, capacity: 2 });
    t.advance(3_600_000);
    const decisions = [await limiter.consume("k", 1, { perMinute: 60, capacity: 2 }), await limiter.consume("k", 1, { perMinute: 60, capacity: 2 }), await limiter.consume("k", 1, { perMinute: 60, capacity: 2 })];
    expect(decisions.map((d) => d.allowed)).toEqual([true, true, false]);
  });

  it("keeps buckets apart by key", async () => {
    const limiter = new MemoryRateLimiter(clock().now);
    const limit = { perMinute: 1 };
    expect((await limiter.consume("tenant-a", 1, limit)).allowed).toBe(true);
    expect((await limiter.consume("tenant-a", 1, limit)).allowed).toBe(false);
    expect((await limiter.consume("tenant-b", 1, limit)).allowed).toBe(true);
  });

  it("forgets full buckets once it holds too many, so memory stays bounded", async () => {
    const t = clock();
    const limiter = new MemoryRateLimiter(t.now, 100);
    for (let i = 0; i < 100; i++) await limiter.consume(`k${i}`, 1, { perMinute: 60 });
    expect(limiter.size).toBe(100);
    t.advance(msToRefill(59, { perMinute: 60 }));
    await limiter.consume("one-more", 1, { perMinute: 60 });
    expect(limiter.size).toBe(1);
  });
});
