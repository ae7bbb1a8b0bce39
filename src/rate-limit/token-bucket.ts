/**
 * Token buckets: the one shape every Keel rate limit has (requests per minute, model tokens per minute, tool
 * calls per minute). A bucket holds up to `capacity` tokens and refills at `perMinute / 60` tokens a second.
 *
 * Hand-written rather than taken from a library: the limits must behave identically in memory and in Redis (one
 * Lua script, `redis-bucket.ts`), and model tokens are counted after the call, so a bucket must be able to go
 * into debt (`debit`), which the usual request limiters do not offer.
 */

/** A limit: `perMinute` tokens a minute, bursting up to `capacity` (default: one minute's worth). */
export interface BucketLimit {
  /** @example 600 */
  perMinute: number;
  /** @example 100 */
  capacity?: number;
}

export type BucketMode =
  /** Takes `cost` tokens when at least that many are there; otherwise refuses and takes nothing. */
  | "take"
  /** Allows when at least `cost` tokens are there; takes nothing. */
  | "check"
  /** Always takes `cost` tokens, so the bucket may go below zero (costs known only after the fact). */
  | "debit";

export interface BucketDecision {
  allowed: boolean;
  /** Tokens left after this decision (may be negative after a debit). */
  remaining: number;
  /** When refused: milliseconds until the request would be allowed. 0 when allowed. */
  retryAfterMs: number;
}

export interface RateLimiter {
  /** Applies `mode` with `cost` tokens to the bucket named `key`. */
  consume(key: string, cost: number, limit: BucketLimit, mode?: BucketMode): Promise<BucketDecision>;
  /** Releases connections and timers. */
  close(): Promise<void>;
  /** "memory" or "redis", for logs and health. */
  readonly kind: string;
}

export function capacityOf(limit: BucketLimit): number {
  return limit.capacity ?? limit.perMinute;
}

/** Refill arithmetic shared by the in-memory buckets (the Lua script does the same). */
export function decide(tokensBefore: number, cost: number, limit: BucketLimit, mode: BucketMode): { tokens: number; decision: BucketDecision } {
  const ratePerMs = limit.perMinute / 60_000;
  const enough = tokensBefore >= cost;
  if (mode === "debit" || (mode === "take" && enough)) {
    const tokens = tokensBefore - cost;
    return { tokens, decision: { allowed: true, remaining: tokens, retryAfterMs: 0 } };
  }
  if (enough) return { tokens: tokensBefore, decision: { allowed: true, remaining: tokensBefore, retryAfterMs: 0 } };
  const retryAfterMs = ratePerMs > 0 ? Math.ceil((cost - tokensBefore) / ratePerMs) : Number.POSITIVE_INFINITY;
  return { tokens: tokensBefore, decision: { allowed: false, remaining: tokensBefore, retryAfterMs } };
}

/** Milliseconds until a bucket holding `tokens` is full again. */
export function msToRefill(tokens: number, limit: BucketLimit): number {
  return Math.max(0, Math.ceil(((capacityOf(limit) - tokens) * 60_000) / limit.perMinute));
}

interface BucketState {
  tokens: number;
  at: number;
  /** When the bucket will be full again; after that it can be forgotten. */
  fullAt: number;
}

/** Buckets in this process's memory: right for one server process; use Redis when several share the limits. */
export class MemoryRateLimiter implements RateLimiter {
  readonly kind = "memory";
  private readonly buckets = new Map<string, BucketState>();

  constructor(
    private readonly now: () => number = Date.now,
    /** Above this many buckets, full ones are dropped (a full bucket is the same as no bucket). */
    private readonly maxBuckets = 10_000,
  ) {}

  async consume(key: string, cost: number, limit: BucketLimit, mode: BucketMode = "take"): Promise<BucketDecision> {
    const now = this.now();
    const capacity = capacityOf(limit);
    const state = this.buckets.get(key);
    const refilled = state ? Math.min(capacity, state.tokens + ((now - state.at) * limit.perMinute) / 60_000) : capacity;
    const { tokens, decision } = decide(refilled, cost, limit, mode);
    this.buckets.set(key, { tokens, at: now, fullAt: now + msToRefill(tokens, limit) });
    if (this.buckets.size > this.maxBuckets) this.sweep(now);
    return decision;
  }

  /** Number of buckets held (memory stays bounded under load). */
  get size(): number {
    return this.buckets.size;
  }

  private sweep(now: number): void {
    for (const [key, state] of this.buckets) if (state.fullAt <= now) this.buckets.delete(key);
  }

  async close(): Promise<void> {
    this.buckets.clear();
  }
}
