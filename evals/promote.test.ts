import { describe, it, expect, vi } from "vitest";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { TraceLogWriter, type TraceRecord } from "../src/observability/trace-log.js";
import { LangSmithSource, LocalTraceSource, promote, runPromote, type LangSmithRunsClient } from "./promote.js";
import { loadDataset } from "./lib/dataset.js";
import { PromotedRow } from "./lib/rows.js";

let clock = Date.parse("2026-11-20T10:00:00Z");
const ts = () => new Date((clock += 1000)).toISOString();
const base = (threadId: string) => ({ v: 1 as const, ts: ts(), threadId });

/** A turn in the trace log's documented format: the user's root run, then a resume root when `resume` is given. */
function turn(w: TraceLogWriter, threadId: string, request: string, opts: { feedback?: Record<string, unknown>; resume?: Record<string, unknown>; toolError?: string } = {}) {
  const root = `${threadId}-root`;
  const records: TraceRecord[] = [
    { ...base(threadId), type: "start", runId: root, kind: "chain", name: "meta", inputs: { messages: [{ role: "human", content: request }] } },
  ];
  if (opts.toolError) {
    records.push({ ...base(threadId), type: "start", runId: `${root}-tool`, parentRunId: root, kind: "tool", name: "get_order", inputs: { input: {} } });
    records.push({ ...base(threadId), type: "error", runId: `${root}-tool`, error: opts.toolError });
  }
  records.push({ ...base(threadId), type: "error", runId: root, error: "interrupted (waiting for a human)", interrupted: true });
  if (opts.feedback) records.push({ ...base(threadId), type: "event", runId: root, name: "keel.feedback", data: opts.feedback });
  if (opts.resume) {
    records.push({ ...base(threadId), type: "start", runId: `${root}-2`, kind: "chain", name: "meta", inputs: { command: { resume: opts.resume } } });
    records.push({ ...base(threadId), type: "end", runId: `${root}-2`, outputs: {} });
  }
  for (const r of records) w.write(r);
}

function traces(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "keel-traces-"));
  const w = new TraceLogWriter(dir);
  turn(w, "t-edit", "Cancel order ORD-10500", {
    feedback: {
      kind: "action",
      tool: "cancel_order",
      decision: "edit",
      diff: [
        { path: "order_id", op: "changed", before: "ORD-10500", after: "ORD-10036" },
        { path: "reason", op: "changed", before: "Cancel order ORD-10500", after: "wrong order" },
      ],
    },
    resume: { decisions: [{ type: "edit", editedAction: { name: "cancel_order", args: { order_id: "ORD-10036", reason: "wrong order" } } }] },
  });
  turn(w, "t-reject", "Give customer CUS-1042 a $80 service credit", {
    feedback: { kind: "action", tool: "issue_credit", decision: "reject", reason: "too much", diff: [{ path: "amount_usd", op: "removed", before: 80 }, { path: "customer_id", op: "removed", before: "CUS-1042" }] },
    resume: { decisions: [{ type: "reject", message: "too much" }] },
  });
  turn(w, "t-review", "Can a customer get a refund after 30 days?", {
    feedback: { kind: "review", tool: "review:support", decision: "approve", diff: [] },
    resume: { decision: "approve" },
  });
  turn(w, "t-failed", "Where is order ORD-10233?", { toolError: "database is locked" });
  turn(w, "t-approved", "Refund payment PAY-31043", { feedback: { kind: "action", tool: "issue_refund", decision: "approve", diff: [] }, resume: { decisions: [{ type: "approve" }] } });
  turn(w, "t-edit-again", "cancel order   ORD-10500", {
    feedback: { kind: "action", tool: "cancel_order", decision: "edit", diff: [] },
    resume: { decisions: [{ type: "edit", editedAction: { name: "cancel_order", args: { order_id: "ORD-10036" } } }] },
  });
  turn(w, "t-known", "Why was customer CUS-1042 charged twice?", { toolError: "timeout" });
  return dir;
}

function datasetsDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "keel-datasets-"));
  fs.writeFileSync(path.join(dir, "routing.jsonl"), '{"id":"r01","request":"why was customer CUS-1042 charged twice?","expected_routes":["finance"]}\n');
  return dir;
}

describe("promote: traced runs to dataset examples", () => {
  it("turns overridden, escalated and failed runs of the local trace log into examples", async () => {
    const data = datasetsDir();
    const out = path.join(data, "promoted.jsonl");
    const result = await promote([new LocalTraceSource(traces())], out);
    const byRequest = Object.fromEntries(result.added.map((r) => [r.request, r]));
    expect(Object.keys(byRequest).sort()).toEqual(["Can a customer get a refund after 30 days?", "Cancel order ORD-10500", "Give customer CUS-1042 a $80 service credit", "Where is order ORD-10233?"]);
    expect(byRequest["Cancel order ORD-10500"]).toMatchObject({ reason: "overridden", expected_call: { tool: "cancel_order", args: { order_id: "ORD-10036" } }, source: { origin: "local", thread_id: "t-edit" } });
    expect(byRequest["Give customer CUS-1042 a $80 service credit"]).toMatchObject({ reason: "overridden", rejected_call: { tool: "issue_credit", args: { amount_usd: 80, customer_id: "CUS-1042" } } });
    expect(byRequest["Can a customer get a refund after 30 days?"]).toMatchObject({ reason: "escalated" });
    expect(byRequest["Where is order ORD-10233?"]).toMatchObject({ reason: "failed", note: expect.stringContaining("database is locked") });
    // The second "cancel order ORD-10500" (same request, other spacing and case) and the request already in a dataset.
    expect(result.duplicates).toBe(2);
    const written = loadDataset(out, PromotedRow);
    expect(written.skipped).toEqual([]);
    expect(written.rows.map((r) => r.id)).toEqual(result.added.map((r) => r.id));
  });

  it("promoting again adds no duplicates", async () => {
    const data = datasetsDir();
    const out = path.join(data, "promoted.jsonl");
    const dir = traces();
    const first = await promote([new LocalTraceSource(dir)], out);
    const second = await promote([new LocalTraceSource(dir)], out);
    expect(first.added).toHaveLength(4);
    expect(second.added).toEqual([]);
    expect(second.duplicates).toBe(6);
    expect(fs.readFileSync(out, "utf8").trim().split("\n")).toHaveLength(4);
  });

  it("a dry run writes nothing", async () => {
    const out = path.join(datasetsDir(), "promoted.jsonl");
    const result = await promote([new LocalTraceSource(traces())], out, { dryRun: true });
    expect(result.added).toHaveLength(4);
    expect(fs.existsSync(out)).toBe(false);
  });

  it("reads LangSmith root runs with human_approval feedback below 1 and failed root runs", async () => {
    const calls: unknown[] = [];
    const client: LangSmithRunsClient = {
      async *listRuns(params) {
        calls.push(params);
        if (params.filter) {
          yield { id: "run-1", inputs: { messages: [{ role: "human", content: "Void invoice INV-20352" }] }, extra: { metadata: { thread_id: "th-1" } } };
          yield { id: "run-2", inputs: { messages: [{ type: "human", content: "Is the refund policy 30 days?" }] } };
        } else if (params.error) {
          yield { id: "run-3", inputs: { messages: [{ role: "human", content: "Track shipment SHP-40233" }] }, error: "Recursion limit of 25 reached" };
          yield { id: "run-4", inputs: { messages: [{ role: "human", content: "Cancel order ORD-10500" }] }, error: "GraphInterrupt: waiting" };
        }
      },
      async *listFeedback({ runIds }) {
        yield { run_id: runIds?.[0], score: 0, comment: runIds?.[0] === "run-1" ? "action void_invoice: reject; reason: paid already" : "review review:support: edit (answer changed)" };
      },
    };
    const candidates = await new LangSmithSource(client, "keel").candidates();
    expect(calls).toEqual([expect.objectContaining({ projectName: "keel", isRoot: true, filter: expect.stringContaining("human_approval") }), expect.objectContaining({ projectName: "keel", isRoot: true, error: true })]);
    expect(candidates).toEqual([
      expect.objectContaining({ request: "Void invoice INV-20352", reason: "overridden", rejected_call: { tool: "void_invoice", args: {} }, source: { origin: "langsmith", run_id: "run-1", thread_id: "th-1" } }),
      expect.objectContaining({ request: "Is the refund policy 30 days?", reason: "overridden" }),
      expect.objectContaining({ request: "Track shipment SHP-40233", reason: "failed" }),
    ]);
  });

  it("npm run eval -- promote: the command adds the examples once and refuses bad options", async () => {
    const out = path.join(datasetsDir(), "promoted.jsonl");
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    const err = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      const dir = traces();
      expect(await runPromote(["--trace-dir", dir, "--out", out, "--source", "local"])).toBe(0);
      expect(await runPromote(["--trace-dir", dir, "--out", out, "--source", "local"])).toBe(0);
      expect(log.mock.calls.map((c) => String(c[0])).filter((l) => /^(added|would add)/.test(l))).toEqual([
        expect.stringMatching(/^added 4 example\(s\) to .*promoted\.jsonl; 2 already in a dataset$/),
        expect.stringMatching(/^added 0 example\(s\) .*; 6 already in a dataset$/),
      ]);
      expect(await runPromote(["--source", "everywhere"])).toBe(2);
      expect(await runPromote(["--bogus"])).toBe(2);
      expect(err.mock.calls.map((c) => String(c[0])).join("\n")).toMatch(/--source is "everywhere"/);
    } finally {
      log.mockRestore();
      err.mockRestore();
    }
  });
});
