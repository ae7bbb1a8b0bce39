import { describe, it, expect } from "vitest";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { TRACE_LOG_VERSION, TraceLogWriter, listTracedThreads, readTraceRuns, traceFile, traceRoots, type TraceRecord } from "./trace-log.js";
import { formatTraceTree } from "./trace-tree.js";
import { traceCommand } from "../../cli/trace.js";
import { ConfigurationError } from "../errors.js";
import { traceLogEnabled } from "./trace-log.js";

const base = { v: TRACE_LOG_VERSION, threadId: "t-1" } as const;
const records: TraceRecord[] = [
  { ...base, ts: "2026-01-01T00:00:00.000Z", type: "start", runId: "root", kind: "chain", name: "meta", metadata: { tenant_id: "acme" }, inputs: {} },
  { ...base, ts: "2026-01-01T00:00:00.010Z", type: "start", runId: "seq", parentRunId: "root", kind: "chain", name: "RunnableSequence", inputs: {} },
  { ...base, ts: "2026-01-01T00:00:00.020Z", type: "start", runId: "llm", parentRunId: "seq", kind: "llm", name: "ChatOpenAI", inputs: { messages: [{ role: "system", content: "rules" }, { role: "human", content: "where is ORD-1?" }] } },
  { ...base, ts: "2026-01-01T00:00:00.900Z", type: "end", runId: "llm", durationMs: 880, model: "gpt-4o-mini", tokens: { input: 120, output: 8 }, costUsd: 0.0000228, outputs: { message: { role: "ai", content: "", toolCalls: [{ name: "get_order", args: { order_id: "ORD-1" } }] } }, toolSelection: { bound: ["get_order"], scores: { get_order: 0.81 } } },
  { ...base, ts: "2026-01-01T00:00:01.000Z", type: "start", runId: "tool", parentRunId: "root", kind: "tool", name: "get_order", inputs: { input: { order_id: "ORD-1" } } },
  { ...base, ts: "2026-01-01T00:00:01.100Z", type: "end", runId: "tool", durationMs: 100, outputs: { output: '{"ok":true}' } },
  { ...base, ts: "2026-01-01T00:00:01.200Z", type: "event", runId: "root", name: "keel.guardrail", data: { kind: "injection_detected" } },
  { ...base, ts: "2026-01-01T00:00:01.300Z", type: "error", runId: "root", error: "interrupted (waiting for a human)", durationMs: 1300, interrupted: true },
];

function writeAll(dir: string): void {
  const writer = new TraceLogWriter(dir);
  for (const r of records) writer.write(r);
}

describe("local trace log", () => {
  it("merges start, end, error and event records into a tree with plumbing hidden", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "keel-trace-unit-"));
    writeAll(dir);
    fs.appendFileSync(traceFile("t-1", dir), '{"v":1,"type":"start","ru'); // a torn last line is skipped
    const runs = readTraceRuns("t-1", dir);
    expect(runs.map((r) => r.runId)).toEqual(["root", "seq", "llm", "tool"]);
    const [root] = traceRoots(runs);
    expect(root).toMatchObject({ status: "interrupted", events: [{ name: "keel.guardrail" }] });
    expect(runs.find((r) => r.runId === "llm")).toMatchObject({ status: "success", model: "gpt-4o-mini", tokens: { input: 120, output: 8 } });
    const text = formatTraceTree(runs);
    expect(text).toContain("meta 1.3 s");
    expect(text).toContain("tenant acme, 1 model calls, 120 → 8 tokens");
    expect(text).toContain("⏸ waiting for a human");
    expect(text).toContain("model gpt-4o-mini 880 ms 120 → 8 tokens $0.0000");
    expect(text).toContain("tools bound: get_order 0.81");
    expect(text).toContain('reply: calls get_order({"order_id":"ORD-1"})');
    expect(text).not.toContain("RunnableSequence");
    expect(formatTraceTree(runs, { all: true })).toContain("RunnableSequence");
    expect(listTracedThreads(dir)).toEqual(["t-1"]);
  });

  it.each([
    ["plain-id_1.2", "plain-id_1.2.jsonl"],
    ["../escape", "%2E%2E%2Fescape.jsonl"],
    ["", "unthreaded.jsonl"],
  ])("keeps thread %j inside the trace directory", (threadId, file) => {
    expect(path.basename(traceFile(threadId, "/tmp/x"))).toBe(file);
    expect(path.dirname(traceFile(threadId, "/tmp/x"))).toBe("/tmp/x");
  });

  it.each([["off", false], ["on", true], [undefined, true]])("KEEL_TRACE_LOG=%s is %s", (value, on) => {
    expect(traceLogEnabled({ KEEL_TRACE_LOG: value })).toBe(on);
  });

  it("refuses a malformed KEEL_TRACE_LOG", () => {
    expect(() => traceLogEnabled({ KEEL_TRACE_LOG: "maybe" })).toThrow(ConfigurationError);
  });
});

describe("npm run trace", () => {
  it("prints a thread's tree, lists threads, and names an unknown thread with exit code 2", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "keel-trace-cli-"));
    writeAll(dir);
    expect(traceCommand(["t-1", "--dir", dir])).toMatchObject({ code: 0, out: expect.stringContaining("└─ tool get_order 100 ms") });
    expect(traceCommand(["--dir", dir]).out).toContain("t-1");
    expect(JSON.parse(traceCommand(["t-1", "--json", "--dir", dir]).out)[0].runId).toBe("root");
    expect(traceCommand(["nope", "--dir", dir])).toMatchObject({ code: 2, err: expect.stringContaining("No trace for thread nope") });
    expect(traceCommand(["t-1", "--bogus", "--dir", dir])).toMatchObject({ code: 2, err: expect.stringContaining("Unknown option --bogus") });
  });
});
