/**
 * Bad input is refused at the edge with a typed error, before it touches a model, a checkpoint or the company
 * database: malformed requests, unknown threads, resume payloads that do not answer the pending approval, a new
 * message on a thread that waits for one, and malformed configuration (each error names what to fix).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
import Database from "better-sqlite3";
import { SqliteSaver } from "@langchain/langgraph-checkpoint-sqlite";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createKeelApp, type KeelApp, type PendingApproval } from "../graphs/app.js";
import { ConfigurationError, InvalidRequestError, InvalidResumeError, UnknownThreadError } from "../src/errors.js";
import { modelSettings } from "../src/models/provider.js";
import { openCheckpointer } from "../src/persistence/checkpointer.js";
import { openCompanyDb } from "../src/db/index.js";

const dataDir = () => process.env.KEEL_DATA_DIR!;

function readOnly<T>(file: string, read: (db: Database.Database) => T): T {
  const db = new Database(path.join(dataDir(), file), { readonly: true, fileMustExist: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

/** Row counts of every table plus the whole audit log and the mutable columns the write tools touch. */
function companyFingerprint(): string {
  return readOnly("company.sqlite", (db) => {
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all() as string[];
    return JSON.stringify({
      counts: tables.map((t) => `${t}=${db.prepare(`SELECT COUNT(*) FROM "${t}"`).pluck().get()}`),
      audit: db.prepare("SELECT * FROM audit_log ORDER BY id").all(),
      orders: db.prepare("SELECT id, status, notes, shipping_address FROM orders ORDER BY id").all(),
      balances: db.prepare("SELECT id, credit_balance_cents FROM customers ORDER BY id").all(),
    });
  });
}

/** Rows the SQLite checkpointer keeps for a thread (checkpoints and pending writes), read with plain SQL. */
function checkpointRows(threadId: string): number {
  return readOnly("checkpoints.sqlite", (db) => {
    const count = (table: string) => db.prepare(`SELECT COUNT(*) FROM ${table} WHERE thread_id = ?`).pluck().get(threadId) as number;
    return count("checkpoints") + count("writes");
  });
}

const threadCount = () =>
  readOnly("checkpoints.sqlite", (db) => db.prepare("SELECT COUNT(DISTINCT thread_id) FROM checkpoints").pluck().get() as number);

let app: KeelApp;
/** A thread waiting for approval of cancel_order on ORD-10500. */
let waiting: string;
let approval: PendingApproval;

beforeAll(async () => {
  app = await createKeelApp();
  const turn = await app.run("cancel order ORD-10500");
  expect(turn.status).toBe("needs_approval");
  expect(turn.approvals).toHaveLength(1);
  waiting = turn.threadId;
  approval = turn.approvals[0]!;
  expect(approval).toMatchObject({ tool: "cancel_order", args: { order_id: "ORD-10500" } });
});

afterAll(async () => {
  await app.close();
});

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("invalid requests leave no trace", () => {
  it.each([
    ["empty", "", /empty/],
    ["whitespace only", " \n\t  ", /empty/],
    ["oversized (default limit 4000)", "x".repeat(4001), /4001 characters.*limit is 4000/],
    ["oversized after trimming padding", `  ${"y".repeat(4001)}  `, /4001 characters/],
    ["not text (number)", 42 as unknown as string, /must be text/],
    ["not text (null)", null as unknown as string, /must be text/],
  ])("%s -> InvalidRequestError", async (_label, request, message) => {
    const threadId = randomUUID();
    const companyBefore = companyFingerprint();
    const threadsBefore = threadCount();

    const error = await app.run(request, { threadId }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect((error as Error).message).toMatch(message);

    // No checkpoint for that thread: not through the app, not through the saver, not in the file.
    expect(await app.pendingApprovals(threadId)).toEqual([]);
    await expect(app.resume(threadId, { decision: "approve" })).rejects.toBeInstanceOf(UnknownThreadError);
    const saver = SqliteSaver.fromConnString(path.join(dataDir(), "checkpoints.sqlite"));
    try {
      expect(await saver.getTuple({ configurable: { thread_id: threadId } })).toBeUndefined();
    } finally {
      saver.db.close();
    }
    expect(checkpointRows(threadId)).toBe(0);
    expect(threadCount()).toBe(threadsBefore);
    expect(companyFingerprint()).toBe(companyBefore);
  });

  it("KEEL_MAX_REQUEST_CHARS lowers the limit", async () => {
    vi.stubEnv("KEEL_MAX_REQUEST_CHARS", "10");
    const threadId = randomUUID();
    await expect(app.run("cancel order ORD-10500", { threadId })).rejects.toThrow(/22 characters.*limit is 10/);
    expect(checkpointRows(threadId)).toBe(0);
    expect(await app.pendingApprovals(threadId)).toEqual([]);
  });
});

describe("resume", () => {
  it.each([
    ["a fresh uuid", randomUUID()],
    ["a made-up id", "no-such-thread"],
  ])("on an unknown thread (%s) -> UnknownThreadError, even with a bad payload", async (_label, threadId) => {
    await expect(app.resume(threadId, { decision: "approve" })).rejects.toBeInstanceOf(UnknownThreadError);
    await expect(app.resume(threadId, { decision: "maybe" })).rejects.toBeInstanceOf(UnknownThreadError);
    expect(checkpointRows(threadId)).toBe(0);
  });

  it.each([
    ["{}", {}],
    ["unknown decision", { decision: "maybe" }],
    ["edit with args not an object", { decision: "edit", args: "x" }],
    ["edit without args", { decision: "edit" }],
    ["edit with a malformed order id", { decision: "edit", args: { order_id: "BAD" } }],
    ["edit missing the reason", { decision: "edit", args: { order_id: "ORD-10500" } }],
    ["reject with a non-text reason", { decision: "reject", reason: 5 }],
    ["null", null],
    ["a bare string", "approve"],
  ])("with an invalid payload (%s) -> InvalidResumeError; the approval still waits", async (_label, payload) => {
    const companyBefore = companyFingerprint();
    const rowsBefore = checkpointRows(waiting);

    await expect(app.resume(waiting, payload)).rejects.toBeInstanceOf(InvalidResumeError);

    expect(await app.pendingApprovals(waiting)).toEqual([approval]);
    expect(checkpointRows(waiting)).toBe(rowsBefore);
    expect(companyFingerprint()).toBe(companyBefore);
  });

  it("run() on a thread waiting for approval -> InvalidRequestError; the approval still waits", async () => {
    const companyBefore = companyFingerprint();
    const rowsBefore = checkpointRows(waiting);
    await expect(app.run("what is the status of ORD-10500?", { threadId: waiting })).rejects.toThrow(InvalidRequestError);
    await expect(app.run("what is the status of ORD-10500?", { threadId: waiting })).rejects.toThrow(/waiting for an approval/);
    expect(await app.pendingApprovals(waiting)).toEqual([approval]);
    expect(checkpointRows(waiting)).toBe(rowsBefore);
    expect(companyFingerprint()).toBe(companyBefore);
  });

  it("a valid approve after all that still runs the action, once", async () => {
    const status = () => readOnly("company.sqlite", (db) => db.prepare("SELECT status FROM orders WHERE id = 'ORD-10500'").pluck().get());
    const audits = () => readOnly("company.sqlite", (db) => db.prepare("SELECT COUNT(*) FROM audit_log WHERE tool = 'cancel_order'").pluck().get());
    expect(status()).toBe("processing");
    expect(audits()).toBe(0);

    const turn = await app.resume(waiting, { decision: "approve" });
    expect(turn).toMatchObject({ threadId: waiting, status: "answered", approvals: [] });
    expect(status()).toBe("cancelled");
    expect(audits()).toBe(1);

    // The approval is spent: resuming again is refused and runs nothing.
    await expect(app.resume(waiting, { decision: "approve" })).rejects.toThrow(/no pending approval/);
    expect(audits()).toBe(1);
  });
});

describe("malformed configuration -> ConfigurationError naming the setting", () => {
  it("the defaults are valid (offline model)", () => {
    expect(modelSettings({})).toMatchObject({ provider: "offline", timeoutMs: 60_000, agentTiers: {} });
  });

  it.each([
    ["KEEL_AGENT_TIERS", "meta=huge"],
    ["KEEL_AGENT_TIERS", "meta"],
    ["KEEL_AGENT_TIERS", "=fast"],
    ["OPENAI_BASE_URL", "not a url"],
    ["OPENAI_BASE_URL", "ftp://models.example/v1"],
    ["KEEL_MODEL_PROVIDER", "bogus"],
    ["KEEL_MODEL_TIMEOUT_MS", "-1"],
    ["KEEL_MODEL_TIMEOUT_MS", "0"],
    ["KEEL_MODEL_TIMEOUT_MS", "soon"],
  ])("modelSettings: %s=%j", (variable, value) => {
    expect(() => modelSettings({ [variable]: value })).toThrow(ConfigurationError);
    expect(() => modelSettings({ [variable]: value })).toThrow(variable);
  });

  it("modelSettings: KEEL_MODEL_PROVIDER=openai without a key or base URL", () => {
    expect(() => modelSettings({ KEEL_MODEL_PROVIDER: "openai" })).toThrow(ConfigurationError);
    expect(() => modelSettings({ KEEL_MODEL_PROVIDER: "openai" })).toThrow(/OPENAI_API_KEY/);
  });

  it.each([["mysql://x"], ["not a url"], ["sqlite:///tmp/x.db"]])("openCheckpointer: DATABASE_URL=%j", async (url) => {
    const error = await openCheckpointer({ DATABASE_URL: url }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toContain("DATABASE_URL");
  });

  it("openCheckpointer: an unreachable PostgreSQL server, without leaking the password", async () => {
    const error = await openCheckpointer({ DATABASE_URL: "postgres://keel:s3cret-pw@127.0.0.1:1/keel" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toContain("127.0.0.1:1/keel");
    expect((error as Error).message).not.toContain("s3cret-pw");
  });

  const aFile = path.join(os.tmpdir(), `keel-not-a-dir-${process.pid}`);
  beforeAll(() => fs.writeFileSync(aFile, "a file, not a directory"));
  afterAll(() => fs.rmSync(aFile, { force: true }));

  it.each([
    ["a regular file", () => aFile],
    ["a path under a file", () => path.join(aFile, "sub")],
    ["a path under /proc", () => "/proc/x"],
  ])("openCompanyDb in %s", (_label, dir) => {
    const error = (() => {
      try {
        openCompanyDb(path.join(dir(), "company.sqlite"));
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toContain(dir());
    expect((error as Error).message).toContain("KEEL_DATA_DIR");
  });

  it("createKeelApp with KEEL_DATA_DIR pointing at a file", async () => {
    vi.stubEnv("KEEL_DATA_DIR", aFile);
    const error = await createKeelApp().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toContain(aFile);
  });
});
