/**
 * The exact model-call cache on the offline model (a real chat model with tool calling): hits for the same model,
 * messages and bound tools, misses when any of them differ; in SQLite and in a real redis-server; degrading to no
 * caching with one warning when the store is unreachable; off with KEEL_CACHE=off.
 */
import fs from "node:fs";
import { spawnSync } from "node:child_process";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { HumanMessage, SystemMessage } from "@langchain/core/messages";
import { getOrder, cancelOrder } from "../tools/shipping/orders.js";
import { OfflineChatModel, OFFLINE_MODEL_NAME } from "../src/models/offline/offline-chat-model.js";
import { attachExactCache, exactCache, exactCacheStats } from "../src/cache/exact-cache.js";
import { KeelModelCache } from "../src/cache/model-cache.js";
import { SqliteCacheBackend } from "../src/cache/sqlite-backend.js";
import { RedisCacheBackend } from "../src/cache/redis-backend.js";
import { cacheSettings } from "../src/cache/settings.js";
import { UsageTracker } from "../src/cost/usage-tracker.js";
import { decideRoute } from "../graphs/meta/router.js";
import { startRedis, type RedisServer } from "./support/redis-server.js";
import { freePort } from "./support/dev-server.js";
import { ConfigurationError } from "../src/errors.js";

// Real Keel tools (read and destructive): the offline model calls the read one when the request names an order.
const ask = (text: string) => [new SystemMessage("You help with orders."), new HumanMessage(text)];

function cachedModel(cache: KeelModelCache) {
  return attachExactCache(new OfflineChatModel({}), OFFLINE_MODEL_NAME, cache);
}

/** Calls the model and returns its reply and whether the cache answered (from the callback's `cached` flag). */
async function call(cache: KeelModelCache, tools: readonly (typeof getOrder | typeof cancelOrder)[], text: string) {
  const tracker = new UsageTracker();
  const reply = await cachedModel(cache).bindTools([...tools]).invoke(ask(text), { callbacks: [tracker] });
  return { reply, cache: tracker.totals().cache! };
}

// Redis tests need the redis-server binary (CI installs it); without it they are skipped, not failed.
const hasRedis = spawnSync("redis-server", ["--version"]).status === 0;

describe.each([
  ["sqlite", async () => ({ backend: new SqliteCacheBackend(path.join(fs.mkdtempSync(path.join(os.tmpdir(), "keel-cache-")), "model-cache.sqlite")), stop: async () => {} })],
  ...(hasRedis
    ? ([
        [
          "redis",
          async () => {
            const server = await startRedis();
            return { backend: new RedisCacheBackend(server.url), stop: server.stop };
          },
        ],
      ] as const)
    : []),
] as const)("exact cache on %s", (_name, open) => {
  let cache: KeelModelCache;
  let stop: () => Promise<void>;
  beforeAll(async () => {
    const opened = await open();
    cache = new KeelModelCache(opened.backend, 0);
    stop = opened.stop;
  });
  afterAll(async () => {
    await cache.backend.close();
    await stop();
  });

  it("answers the same call from the cache, with the same tool calls and no tokens", async () => {
    const first = await call(cache, [getOrder, cancelOrder], "where is order ORD-10233?");
    expect(first.cache).toEqual({ hits: 0, misses: 1 });
    expect(first.reply.tool_calls?.[0]).toMatchObject({ name: "get_order", args: { order_id: "ORD-10233" } });
    const second = await call(cache, [getOrder, cancelOrder], "where is order ORD-10233?");
    expect(second.cache).toEqual({ hits: 1, misses: 0 });
    expect(second.reply.tool_calls).toEqual(first.reply.tool_calls);
    expect(second.reply.content).toEqual(first.reply.content);
    expect(second.reply.usage_metadata).toMatchObject({ input_tokens: 0, output_tokens: 0 });
  });

  it.each([
    ["other messages", [getOrder, cancelOrder], "where is order ORD-10234?"],
    ["other bound tools", [getOrder], "where is order ORD-10233?"],
  ])("misses for %s", async (_what, tools, text) => {
    const { cache: stats } = await call(cache, tools, text);
    expect(stats).toEqual({ hits: 0, misses: 1 });
  });

  it("serves structured output (the router's decision) from the cache", async () => {
    const model = cachedModel(cache);
    const first = await decideRoute(model, "Order ORD-10233 never arrived");
    const hitsBefore = cache.stats.hits;
    const second = await decideRoute(model, "Order ORD-10233 never arrived");
    expect(cache.stats.hits).toBe(hitsBefore + 1);
    expect(second).toEqual(first);
  });
});

describe("an unreachable cache store", () => {
  it("degrades to no caching with one warning and never fails the call", async () => {
    const port = await freePort(); // nothing listens there
    const warn = vi.fn();
    const cache = new KeelModelCache(new RedisCacheBackend(`redis://127.0.0.1:${port}/0`, 300), 0, warn);
    const model = cachedModel(cache).bindTools([getOrder]);
    for (let i = 0; i < 3; i++) {
      const reply = await model.invoke(ask("where is order ORD-10233?"));
      expect(reply.tool_calls?.[0]).toMatchObject({ name: "get_order" });
    }
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]![0]).toMatch(/model cache \(redis\) failed a lookup/);
    expect(cache.stats).toMatchObject({ hits: 0, misses: 3 });
    expect(cache.stats.errors).toBeGreaterThanOrEqual(3);
    await cache.backend.close();
  });

  it.skipIf(!hasRedis)("a redis-server that goes away mid-run costs only the cache", async () => {
    const server: RedisServer = await startRedis();
    const warn = vi.fn();
    const cache = new KeelModelCache(new RedisCacheBackend(server.url), 0, warn);
    await call(cache, [getOrder], "where is order ORD-10500?");
    expect((await call(cache, [getOrder], "where is order ORD-10500?")).cache.hits).toBe(1);
    await server.stop();
    const after = await call(cache, [getOrder], "where is order ORD-10500?");
    expect(after.reply.tool_calls?.[0]).toMatchObject({ name: "get_order", args: { order_id: "ORD-10500" } });
    expect(after.cache).toEqual({ hits: 0, misses: 1 });
    expect(warn).toHaveBeenCalledTimes(1);
    await cache.backend.close();
  });
});

describe("cache settings", () => {
  it.each([
    [{ KEEL_CACHE: "maybe" }, "KEEL_CACHE"],
    [{ KEEL_CACHE_TTL_SECONDS: "-5" }, "KEEL_CACHE_TTL_SECONDS"],
    [{ REDIS_URL: "localhost:6379" }, "REDIS_URL"],
  ])("refuses %o naming it", (env, named) => {
    expect(() => cacheSettings(env)).toThrow(ConfigurationError);
    expect(() => cacheSettings(env)).toThrow(named);
  });

  it("is SQLite by default, Redis with REDIS_URL, and off with KEEL_CACHE=off", () => {
    expect(cacheSettings({})).toMatchObject({ enabled: true, backend: "sqlite", ttlSeconds: 604_800 });
    expect(cacheSettings({ REDIS_URL: "redis://127.0.0.1:6379/0" })).toMatchObject({ enabled: true, backend: "redis" });
    expect(exactCache(cacheSettings({ KEEL_CACHE: "off" }))).toBeUndefined();
    const model = attachExactCache(new OfflineChatModel({}), OFFLINE_MODEL_NAME, null);
    expect(model.cache).toBeUndefined();
  });

  it("counts the process's hits and misses", async () => {
    const cache = exactCache(cacheSettings({}))!;
    const before = exactCacheStats();
    const model = attachExactCache(new OfflineChatModel({}), OFFLINE_MODEL_NAME, cache).bindTools([getOrder]);
    await model.invoke(ask("status of ORD-10777"));
    await model.invoke(ask("status of ORD-10777"));
    expect(exactCacheStats()).toMatchObject({ enabled: true, backend: "sqlite", hits: before.hits + 1, misses: before.misses + 1 });
  });
});
