/**
 * Bad storage gives a clear error naming the file (or thread) and what to do, and loses nothing already
 * committed: a corrupted, incompatible or locked checkpoint file, an unreadable checkpoint, a corrupted or locked
 * company database.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Annotation, StateGraph, START, END } from "@langchain/langgraph";
import { openCheckpointer } from "./checkpointer.js";
import { closeCompanyDbs, openCompanyDb } from "../db/index.js";
import { StorageError } from "../errors.js";

const template = path.join(process.env.KEEL_DATA_DIR!, "company.sqlite");
const savedDir = process.env.KEEL_DATA_DIR;
let dir: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "keel-storage-"));
  fs.copyFileSync(template, path.join(dir, "company.sqlite"));
  process.env.KEEL_DATA_DIR = dir;
  process.env.KEEL_DB_BUSY_TIMEOUT_MS = "100";
});
afterEach(() => {
  closeCompanyDbs();
  process.env.KEEL_DATA_DIR = savedDir;
  delete process.env.KEEL_DB_BUSY_TIMEOUT_MS;
  fs.rmSync(dir, { recursive: true, force: true });
});

const checkpoints = () => path.join(dir, "checkpoints.sqlite");
const counter = Annotation.Root({ n: Annotation<number>({ reducer: (_, b) => b, default: () => 0 }) });
const tinyGraph = (saver: Awaited<ReturnType<typeof openCheckpointer>>["saver"]) =>
  new StateGraph(counter).addNode("inc", (s) => ({ n: s.n + 1 })).addEdge(START, "inc").addEdge("inc", END).compile({ checkpointer: saver });

async function expectStorageError(open: () => unknown, pattern: RegExp) {
  let error: unknown;
  try {
    await open();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(StorageError);
  expect((error as Error).message).toMatch(pattern);
  return error as StorageError;
}

describe("checkpoint store", () => {
  it("a corrupted file: StorageError naming it and how to move it aside; the file is not touched", async () => {
    fs.writeFileSync(checkpoints(), Buffer.alloc(8192, 0x5a));
    const before = fs.readFileSync(checkpoints());
    const error = await expectStorageError(() => openCheckpointer({}), /checkpoint database .*checkpoints\.sqlite is not a readable SQLite database/);
    expect(error.hint).toMatch(/Move it aside \(mv .*checkpoints\.sqlite.*\.broken/);
    expect(fs.readFileSync(checkpoints())).toEqual(before);
  });

  it("an incompatible file (another program's tables): StorageError naming the missing columns, nothing changed", async () => {
    const other = new Database(checkpoints());
    other.exec("CREATE TABLE checkpoints (id INTEGER PRIMARY KEY, blob BLOB); INSERT INTO checkpoints (blob) VALUES (x'01')");
    other.close();
    await expectStorageError(() => openCheckpointer({}), /incompatible: its table "checkpoints" lacks the columns thread_id, checkpoint_ns/);
    const check = new Database(checkpoints(), { readonly: true });
    expect(check.prepare("SELECT COUNT(*) FROM checkpoints").pluck().get()).toBe(1);
    expect(check.prepare("SELECT name FROM sqlite_master WHERE name = 'writes'").get()).toBeUndefined();
    check.close();
  });

  it("a file locked by another process: StorageError saying so; once released, the committed checkpoints are all there", async () => {
    const first = await openCheckpointer({});
    const graph = tinyGraph(first.saver);
    await graph.invoke({ n: 41 }, { configurable: { thread_id: "kept" } });
    await first.close();

    const holder = new Database(checkpoints());
    holder.exec("BEGIN EXCLUSIVE");
    try {
      const error = await expectStorageError(() => openCheckpointer({}), /is locked by another process/);
      expect(error.hint).toMatch(/KEEL_DB_BUSY_TIMEOUT_MS/);
    } finally {
      holder.exec("ROLLBACK");
      holder.close();
    }
    const again = await openCheckpointer({});
    expect((await tinyGraph(again.saver).getState({ configurable: { thread_id: "kept" } })).values).toEqual({ n: 42 });
    await again.close();
  });

  it("an unreadable checkpoint: StorageError naming the thread; other threads read fine", async () => {
    const handle = await openCheckpointer({});
    const graph = tinyGraph(handle.saver);
    await graph.invoke({ n: 1 }, { configurable: { thread_id: "damaged" } });
    await graph.invoke({ n: 7 }, { configurable: { thread_id: "healthy" } });
    (handle.saver as unknown as { db: Database.Database }).db.prepare("UPDATE checkpoints SET checkpoint = x'00ff10' WHERE thread_id = 'damaged'").run();
    const error = await expectStorageError(() => graph.getState({ configurable: { thread_id: "damaged" } }), /checkpoint of thread damaged in sqlite:.*cannot be read/);
    expect(error.hint).toMatch(/Start a new conversation/);
    expect((await graph.getState({ configurable: { thread_id: "healthy" } })).values).toEqual({ n: 8 });
    await handle.close();
  });
});

describe("company database", () => {
  it("corrupted: StorageError naming the file; the file is not touched", async () => {
    const file = path.join(dir, "company.sqlite");
    fs.writeFileSync(file, Buffer.alloc(4096, 0x33));
    await expectStorageError(() => openCompanyDb(file), /company database .*company\.sqlite is not a readable SQLite database/);
    expect(fs.readFileSync(file)).toEqual(Buffer.alloc(4096, 0x33));
  });

  it("another program's SQLite file: StorageError saying it is incompatible", async () => {
    const file = path.join(dir, "other.sqlite");
    new Database(file).exec("CREATE TABLE notes (t TEXT)");
    await expectStorageError(() => openCompanyDb(file), /incompatible: it has no Keel "meta" table/);
  });

  it("locked by another process: StorageError; the rows committed before are intact afterwards", async () => {
    const file = path.join(dir, "company.sqlite");
    const holder = new Database(file);
    const customers = holder.prepare("SELECT COUNT(*) FROM customers").pluck().get();
    holder.exec("BEGIN EXCLUSIVE");
    try {
      await expectStorageError(() => openCompanyDb(file), /company database .* is locked by another process/);
    } finally {
      holder.exec("ROLLBACK");
      holder.close();
    }
    const db = openCompanyDb(file);
    expect(db.sql.prepare("SELECT COUNT(*) FROM customers").pluck().get()).toBe(customers);
    db.sql.close();
  });
});
