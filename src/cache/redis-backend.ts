/**
 * The cache in Redis (`REDIS_URL`), shared by every instance of the app. Commands fail fast instead of queueing
 * while Redis is down (no offline queue, one attempt), so a lost Redis costs a request nothing but its cache.
 */
import { Redis } from "ioredis";
import type { CacheBackend } from "./backend.js";

const PREFIX = "keel:model-cache:";

export class RedisCacheBackend implements CacheBackend {
  readonly name = "redis" as const;
  private client: Redis | undefined;
  private connecting: Promise<Redis> | undefined;
  /** After a failed connection, calls fail at once until then (ms since epoch), instead of each waiting to connect. */
  private retryAt = 0;

  constructor(
    readonly url: string,
    private readonly connectTimeoutMs = 1000,
  ) {}

  private connect(): Promise<Redis> {
    if (this.client?.status === "ready") return Promise.resolve(this.client);
    if (!this.connecting && Date.now() < this.retryAt) return Promise.reject(new Error(`Redis at ${this.url} was unreachable; retrying later`));
    this.connecting ??= (async () => {
      const client = new Redis(this.url, {
        lazyConnect: true,
        enableOfflineQueue: false,
        maxRetriesPerRequest: 0,
        connectTimeout: this.connectTimeoutMs,
        // Keep trying in the background, slowly; calls meanwhile fail fast and go uncached.
        retryStrategy: () => 2000,
      });
      client.on("error", () => {}); // reported by the calls that fail, once (see model-cache.ts)
      this.client = client;
      await client.connect();
      return client;
    })().catch((error) => {
      this.connecting = undefined;
      this.retryAt = Date.now() + 30_000;
      const failed = this.client;
      this.client = undefined;
      failed?.disconnect();
      throw error;
    });
    return this.connecting;
  }

  async get(key: string): Promise<string | undefined> {
    const client = await this.connect();
    return (await client.get(PREFIX + key)) ?? undefined;
  }

  async set(key: string, value: string, ttlSeconds: number): Promise<void> {
    const client = await this.connect();
    if (ttlSeconds > 0) await client.set(PREFIX + key, value, "EX", ttlSeconds);
    else await client.set(PREFIX + key, value);
  }

  async close(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.connecting = undefined;
    if (!client) return;
    try {
      await client.quit();
    } catch {
      client.disconnect();
    }
  }
}
