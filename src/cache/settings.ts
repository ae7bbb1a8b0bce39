/**
 * Settings of the exact model-call cache.
 *
 * - `KEEL_CACHE`: `on` (default) or `off`. @example KEEL_CACHE=off
 * - `REDIS_URL`: keep the cache in Redis instead of the SQLite file `<KEEL_DATA_DIR>/model-cache.sqlite`.
 *   @example REDIS_URL=redis://127.0.0.1:6379/0
 * - `KEEL_CACHE_TTL_SECONDS`: how long an entry lives (default 604800, a week; 0 keeps entries forever).
 *   @example KEEL_CACHE_TTL_SECONDS=3600
 */
import { ConfigurationError } from "../errors.js";

export interface CacheSettings {
  enabled: boolean;
  backend: "sqlite" | "redis";
  redisUrl?: string;
  /** 0: no expiry. */
  ttlSeconds: number;
}

export function cacheSettings(env: NodeJS.ProcessEnv = process.env): CacheSettings {
  const switchValue = (env.KEEL_CACHE ?? "on").trim().toLowerCase();
  if (!["on", "off"].includes(switchValue)) {
    throw new ConfigurationError(`KEEL_CACHE is "${env.KEEL_CACHE}".`, 'Use "on" (default) or "off".');
  }
  const ttl = env.KEEL_CACHE_TTL_SECONDS?.trim() ? Number(env.KEEL_CACHE_TTL_SECONDS) : 604_800;
  if (!Number.isInteger(ttl) || ttl < 0) {
    throw new ConfigurationError(`KEEL_CACHE_TTL_SECONDS is "${env.KEEL_CACHE_TTL_SECONDS}".`, "Give a whole number of seconds, 0 for no expiry.");
  }
  const redisUrl = env.REDIS_URL?.trim() || undefined;
  if (redisUrl && !/^rediss?:\/\/\S+$/.test(redisUrl)) {
    throw new ConfigurationError(`REDIS_URL is not a redis:// URL: "${redisUrl}".`, "Write it like redis://127.0.0.1:6379/0.");
  }
  return { enabled: switchValue === "on", backend: redisUrl ? "redis" : "sqlite", redisUrl, ttlSeconds: ttl };
}
