/**
 * A pending approval survives a process restart: one process runs the request up to the approval interrupt and
 * exits; a new process (same KEEL_DATA_DIR, so the same SQLite checkpoints and company database) resumes it.
 * Nothing may change in the company database until a human decides, and the decision made in the new process
 * is the one that takes effect (approve runs the action once, reject runs nothing, edit runs the edited call).
 */
import { execFile } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const fixture = path.join(root, "tests", "fixtures", "approval-turn.ts");
const SLOW = 180_000;

interface ChildResult {
  code: number;
  json: Record<string, any>;
  stderr: string;
}

/** Runs the fixture in a new Node process with this process's environment (KEEL_DATA_DIR included). */
function child(...args: string[]): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ["--import", "tsx", fixture, ...args],
      { cwd: root, env: process.env, timeout: SLOW, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const line = stdout.trim().split("\n").pop() ?? "";
        let json: Record<string, any>;
        try {
          json = JSON.parse(line);
        } catch {
          reject(new Error(`child ${args[0]} printed no JSON (exit ${error?.code}): ${stdout}\n${stderr}`));
          return;
        }
        resolve({ code: typeof error?.code === "number" ? error.code : error ? -1 : 0, json, stderr });
      },
    );
  });
}

/** Reads the company database directly, as another client would, outside the app. */
function withCompanyDb<T>(read: (db: Database.Database) => T): T {
  const db = new Database(path.join(process.env.KEEL_DATA_DIR!, "company.sqlite"), { readonly: true, fileMustExist: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

const orderStatus = (id: string) =>
  withCompanyDb((db) => db.prepare("SELECT status FROM orders WHERE id = ?").pluck().get(id) as string | undefined);

const auditRows = (tool: string, needle: string) =>
  withCompanyDb(
    (db) => db.prepare("SELECT args, result FROM audit_log WHERE tool = ? AND args LIKE ?").all(tool, `%${needle}%`) as { args: string; result: string }[],
  );

/** Human feedback on approvals is the app's bookkeeping, recorded on purpose; every other table is company data. */
const BOOKKEEPING_TABLES = new Set(["approval_feedback"]);

/** Row counts of every company table plus the whole audit log: any write anywhere changes it. */
function fingerprint(): string {
  return withCompanyDb((db) => {
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all() as string[]).filter(
      (t) => !BOOKKEEPING_TABLES.has(t),
    );
    const counts = tables.map((t) => `${t}=${db.prepare(`SELECT COUNT(*) FROM "${t}"`).pluck().get()}`);
    const audit = db.prepare("SELECT * FROM audit_log ORDER BY id").all();
    const orders = db.prepare("SELECT id, status, notes FROM orders ORDER BY id").all();
    const balances = db.prepare("SELECT id, credit_balance_cents FROM customers ORDER BY id").all();
    return JSON.stringify({ counts, audit, orders, balances });
  });
}

/** Process 1: runs the request up to its approval and exits. */
async function startApproval(request: string, tool: string) {
  const first = await child("run", request);
  expect(first.code, first.stderr).toBe(0);
  expect(first.json.status).toBe("needs_approval");
  expect(first.json.approvals).toHaveLength(1);
  expect(first.json.approvals[0].tool).toBe(tool);
  return first.json as { threadId: string; approvals: { tool: string; args: Record<string, unknown> }[] };
}

describe("a pending approval survives a process restart", () => {
  it(
    "approve in a new process cancels the order exactly once",
    async () => {
      expect(orderStatus("ORD-10500")).toBe("processing");
      const before = fingerprint();

      const { threadId, approvals } = await startApproval("cancel order ORD-10500", "cancel_order");
      expect(approvals[0]!.args).toMatchObject({ order_id: "ORD-10500" });
      // Process 1 is gone and nothing was executed: the order and every table are as they were.
      expect(orderStatus("ORD-10500")).toBe("processing");
      expect(auditRows("cancel_order", "ORD-10500")).toHaveLength(0);
      expect(fingerprint()).toBe(before);

      const second = await child("resume", threadId, JSON.stringify({ decision: "approve" }));
      expect(second.code, second.stderr).toBe(0);
      expect(second.json).toMatchObject({ threadId, status: "answered", approvals: [] });
      expect(second.json.answer).toContain("ORD-10500");
      expect(orderStatus("ORD-10500")).toBe("cancelled");
      const audit = auditRows("cancel_order", "ORD-10500");
      expect(audit).toHaveLength(1);
      expect(JSON.parse(audit[0]!.result)).toMatchObject({ order_id: "ORD-10500", previous_status: "processing", status: "cancelled" });

      // A third process cannot approve it again: the approval is spent, and the action did not run twice.
      const third = await child("resume", threadId, JSON.stringify({ decision: "approve" }));
      expect(third.code).toBe(1);
      expect(third.json.error).toBe("InvalidResumeError");
      expect(auditRows("cancel_order", "ORD-10500")).toHaveLength(1);
    },
    SLOW,
  );

  it(
    "reject in a new process leaves the company database unchanged",
    async () => {
      // Any other cancellable order, so this test does not depend on the approve test's order.
      const orderId = withCompanyDb(
        (db) => db.prepare("SELECT id FROM orders WHERE status = 'processing' AND id <> 'ORD-10500' ORDER BY id LIMIT 1").pluck().get() as string,
      );
      expect(orderId).toMatch(/^ORD-\d+$/);
      const before = fingerprint();

      const { threadId, approvals } = await startApproval(`cancel order ${orderId}`, "cancel_order");
      expect(approvals[0]!.args).toMatchObject({ order_id: orderId });
      expect(fingerprint()).toBe(before);

      const second = await child("resume", threadId, JSON.stringify({ decision: "reject", reason: "customer called back" }));
      expect(second.code, second.stderr).toBe(0);
      expect(second.json).toMatchObject({ threadId, status: "answered", approvals: [] });
      expect(second.json.answer).toMatch(/reject/i);
      expect(orderStatus(orderId)).toBe("processing");
      expect(auditRows("cancel_order", orderId)).toHaveLength(0);
      expect(fingerprint()).toBe(before);
      // The rejection itself is recorded as human feedback, once, with its reason.
      const feedback = withCompanyDb((db) => db.prepare("SELECT tool, decision, reason FROM approval_feedback WHERE thread_id = ?").all(threadId));
      expect(feedback).toEqual([{ tool: "cancel_order", decision: "reject", reason: "customer called back" }]);
    },
    SLOW,
  );

  it(
    "edit in a new process runs the call with the edited arguments",
    async () => {
      const credits = () =>
        withCompanyDb((db) => db.prepare("SELECT amount_cents FROM credits WHERE customer_id = 'CUS-1042' ORDER BY id").pluck().all() as number[]);
      const balance = () =>
        withCompanyDb((db) => db.prepare("SELECT credit_balance_cents FROM customers WHERE id = 'CUS-1042'").pluck().get() as number);
      const creditsBefore = credits();
      const balanceBefore = balance();

      const { threadId, approvals } = await startApproval("Give customer CUS-1042 a $80 service credit", "issue_credit");
      expect(approvals[0]!.args).toMatchObject({ customer_id: "CUS-1042", amount_usd: 80 });
      expect(credits()).toEqual(creditsBefore);

      const edited = { ...approvals[0]!.args, amount_usd: 40 };
      const second = await child("resume", threadId, JSON.stringify({ decision: "edit", args: edited }));
      expect(second.code, second.stderr).toBe(0);
      expect(second.json).toMatchObject({ threadId, status: "answered", approvals: [] });
      // Exactly one new credit, of the edited amount; the $80 the model proposed was never issued.
      expect(credits()).toEqual([...creditsBefore, 4000]);
      expect(balance()).toBe(balanceBefore + 4000);
      const audit = auditRows("issue_credit", "CUS-1042");
      expect(audit).toHaveLength(1);
      expect(JSON.parse(audit[0]!.args)).toMatchObject({ customer_id: "CUS-1042", amount_usd: 40 });
    },
    SLOW,
  );
});
