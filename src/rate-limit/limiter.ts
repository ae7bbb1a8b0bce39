/**
 * The rate limiter in force for this process: Redis when `REDIS_URL` is set (limits shared by every server
 * process and queue worker), else in memory (one process).
 *
 * @example REDIS_URL=redis://127.0.0.1:6379/0
 */
import { MemoryRateLimiter, type RateLimiter } from "./token-bucket.js";
import { RedisRateLimiter } from "./redis-bucket.js";

let current: RateLimiter | undefined;
let lastErrorLog = 0;

export function createRateLimiter(env: NodeJS.ProcessEnv = process.env): RateLimiter {
  const url = env.REDIS_URL?.trim();
  if (!url) return new MemoryRateLimiter();
  return new RedisRateLimiter(url, {
    onError: (error) => {
      // At most one line a minute, and never the URL (it may carry a password).
      if (Date.now() - lastErrorLog < 60_000) return;
      lastErrorLog = Date.now();
      console.warn(`[keel] rate limiter: Redis unavailable (${error.message.replace(/redis(s)?:\/\/\S+/g, "redis://…")}); allowing requests until it is back.`);
    },
  });
}

/** The process-wide limiter (created on first use). */
export function rateLimiter(): RateLimiter {
  current ??= createRateLimiter();
  return current;
}

/** Replaces the process-wide limiter (tests); closes the previous one. */
export async function setRateLimiter(limiter: RateLimiter | undefined): Promise<void> {
  const previous = current;
  current = limiter;
  if (previous && previous !== limiter) await previous.close();
}
