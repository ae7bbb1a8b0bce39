/**
 * The PostgreSQL checkpointer (DATABASE_URL): an approval reached by one app instance is seen and resumed by a
 * second instance with its own PostgresSaver, and the checkpoints are really in PostgreSQL.
 * Runs when KEEL_TEST_DATABASE_URL is set (CI: postgres://keel:keel@127.0.0.1:5432/keel_test).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { createKeelApp, type KeelApp } from "../graphs/app.js";
import { companyDb } from "../src/db/index.js";
import { UnknownThreadError } from "../src/errors.js";

const url = process.env.KEEL_TEST_DATABASE_URL;

describe.skipIf(!url)("PostgreSQL checkpointer", () => {
  const apps: KeelApp[] = [];
  const threads: string[] = [];
  let client: pg.Client;
  const savedDatabaseUrl = process.env.DATABASE_URL;

  beforeAll(async () => {
    process.env.DATABASE_URL = url;
    client = new pg.Client({ connectionString: url });
    await client.connect();
  });

  afterAll(async () => {
    for (const app of apps) await app.close();
    if (client) {
      for (const table of ["checkpoint_writes", "checkpoint_blobs", "checkpoints"]) {
        await client.query(`DELETE FROM ${table} WHERE thread_id = ANY($1)`, [threads]);
      }
      await client.end();
    }
    if (savedDatabaseUrl === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = savedDatabaseUrl;
  });

  async function open(): Promise<KeelApp> {
    const app = await createKeelApp();
    apps.push(app);
    return app;
  }

  const rowsFor = async (table: string, threadId: string) =>
    Number((await client.query(`SELECT COUNT(*) AS n FROM ${table} WHERE thread_id = $1`, [threadId])).rows[0].n);

  it("a second app instance sees the pending approval and resumes it", async () => {
    const sql = companyDb().sql;
    const status = () => sql.prepare("SELECT status FROM orders WHERE id = 'ORD-10500'").pluck().get();
    const audits = () => sql.prepare("SELECT COUNT(*) FROM audit_log WHERE tool = 'cancel_order'").pluck().get();
    expect(status()).toBe("processing");

    const first = await open();
    const where = new URL(url!);
    expect(first.checkpoints).toBe(`postgres:${where.host}${where.pathname}`);
    const turn = await first.run("cancel order ORD-10500");
    threads.push(turn.threadId);
    expect(turn.status).toBe("needs_approval");
    expect(turn.approvals).toHaveLength(1);
    expect(turn.approvals[0]).toMatchObject({ tool: "cancel_order", args: { order_id: "ORD-10500" } });
    expect(status()).toBe("processing");

    // The checkpoints are in PostgreSQL, including the interrupted task's pending writes.
    expect(await rowsFor("checkpoints", turn.threadId)).toBeGreaterThan(0);
    expect(await rowsFor("checkpoint_writes", turn.threadId)).toBeGreaterThan(0);

    // The first instance goes away; a new one with a fresh PostgresSaver (new pool) picks the thread up.
    await first.close();
    apps.splice(apps.indexOf(first), 1);
    const second = await open();
    expect(await second.pendingApprovals(turn.threadId)).toEqual(turn.approvals);
    const resumed = await second.resume(turn.threadId, { decision: "approve" });
    expect(resumed).toMatchObject({ threadId: turn.threadId, status: "answered", approvals: [] });
    expect(resumed.answer).toContain("ORD-10500");
    expect(status()).toBe("cancelled");
    expect(audits()).toBe(1);
    expect(await second.pendingApprovals(turn.threadId)).toEqual([]);

    // Threads are per thread id: another id is unknown to the same database.
    await expect(second.resume(`${turn.threadId}-other`, { decision: "approve" })).rejects.toBeInstanceOf(UnknownThreadError);
  });
});
