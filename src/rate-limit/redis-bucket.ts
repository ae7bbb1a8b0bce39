/**
 * Token buckets in Redis, shared by every server process: one Lua script reads, refills and updates a bucket
 * atomically, on Redis's own clock (so instances with skewed clocks agree). A bucket key expires once it would be
 * full again, so idle tenants cost nothing.
 */
import { Redis } from "ioredis";
import { type BucketDecision, type BucketLimit, type BucketMode, type RateLimiter, capacityOf } from "./token-bucket.js";

/**
 * KEYS[1] bucket; ARGV: capacity, tokens per ms, cost, mode (take | check | debit).
 * Returns { allowed 0|1, remaining (string, may be fractional or negative), retry_after_ms }.
 */
const TOKEN_BUCKET_LUA = `
local capacity = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local mode = ARGV[4]
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = capacity
if state[1] then
  tokens = math.min(capacity, tonumber(state[1]) + (now - tonumber(state[2])) * rate)
end
local allowed = 0
local retry = 0
if mode == 'debit' or (mode == 'take' and tokens >= cost) then
  tokens = tokens - cost
  allowed = 1
elseif tokens >= cost then
  allowed = 1
else
  retry = math.ceil((cost - tokens) / rate)
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', now)
redis.call('PEXPIRE', KEYS[1], math.max(1, math.ceil((capacity - tokens) / rate)))
return { allowed, tostring(tokens), retry }
`;

export interface RedisRateLimiterOptions {
  /** Prefix of every bucket key. @example "keel:rl:" */
  prefix?: string;
  /** Called when Redis fails; the limiter then allows the request (fails open). */
  onError?: (error: Error) => void;
}

type BucketClient = Redis & { keelTokenBucket(key: string, capacity: number, rate: number, cost: number, mode: string): Promise<[number, string, number]> };

export class RedisRateLimiter implements RateLimiter {
  readonly kind = "redis";
  private readonly redis: BucketClient;
  private readonly prefix: string;
  private readonly onError: (error: Error) => void;

  constructor(urlOrClient: string | Redis, options: RedisRateLimiterOptions = {}) {
    const redis =
      typeof urlOrClient === "string"
        ? new Redis(urlOrClient, { maxRetriesPerRequest: 1, enableOfflineQueue: true, lazyConnect: false })
        : urlOrClient;
    redis.defineCommand("keelTokenBucket", { numberOfKeys: 1, lua: TOKEN_BUCKET_LUA });
    // ioredis emits 'error' events on connection trouble; without a listener Node would print them unhandled.
    redis.on("error", (error: Error) => this.onError(error));
    this.redis = redis as BucketClient;
    this.prefix = options.prefix ?? "keel:rl:";
    this.onError = options.onError ?? (() => {});
  }

  async consume(key: string, cost: number, limit: BucketLimit, mode: BucketMode = "take"): Promise<BucketDecision> {
    try {
      const [allowed, remaining, retryAfterMs] = await this.redis.keelTokenBucket(this.prefix + key, capacityOf(limit), limit.perMinute / 60_000, cost, mode);
      return { allowed: allowed === 1, remaining: Number(remaining), retryAfterMs: Number(retryAfterMs) };
    } catch (error) {
      // Fail open: a rate limiter outage must not take the API down with it; the error is reported.
      this.onError(error as Error);
      return { allowed: true, remaining: Number.NaN, retryAfterMs: 0 };
    }
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}
