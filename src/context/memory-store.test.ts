import { describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { ConfigurationError } from "../errors.js";
import { defaultMemoryStore, recallFacts, rememberFact } from "./memory.js";
import { openMemoryStore } from "./memory-store.js";

const pgUrl = process.env.KEEL_TEST_DATABASE_URL;

describe("openMemoryStore", () => {
  it("keeps facts in the process's memory without DATABASE_URL", async () => {
    const handle = await openMemoryStore({});
    expect(handle.store).toBe(defaultMemoryStore());
    expect(handle.description).toBe("memory");
  });

  it.each(["mysql://x@h/db", "not a url"])("refuses DATABASE_URL=%s naming it", async (url) => {
    await expect(openMemoryStore({ DATABASE_URL: url })).rejects.toThrow(ConfigurationError);
    await expect(openMemoryStore({ DATABASE_URL: url })).rejects.toThrow("DATABASE_URL");
  });

  it("names an unreachable server without its password", async () => {
    const error = await openMemoryStore({ DATABASE_URL: "postgres://keel:s3cret@127.0.0.1:1/keel" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(String(error)).toContain("127.0.0.1:1");
    expect(String(error)).not.toContain("s3cret");
  });

  it.skipIf(!pgUrl)("keeps user facts in PostgreSQL across store handles (processes)", async () => {
    const scope = { tenant: `t-${randomUUID()}`, userId: "ana@acme.test", threadId: "x" };
    const first = await openMemoryStore({ DATABASE_URL: pgUrl });
    await rememberFact(first.store, scope, "user", "units", "Ana wants Celsius");
    await first.close();
    const second = await openMemoryStore({ DATABASE_URL: pgUrl });
    try {
      expect(second.description).toMatch(/^postgres:127\.0\.0\.1:5432\//);
      expect((await recallFacts(second.store, { ...scope, threadId: "another" })).map((f) => f.text)).toEqual(["Ana wants Celsius"]);
    } finally {
      await second.close();
    }
  });
});
