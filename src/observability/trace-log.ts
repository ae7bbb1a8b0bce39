/**
 * The local JSONL trace log: what LangSmith would receive, kept on disk, so a run can be inspected offline
 * (`npm run trace -- <thread id>`) and promoted into eval datasets (`npm run eval -- promote`).
 *
 * Layout: one file per conversation thread, `<KEEL_TRACE_DIR>/<thread id>.jsonl` (default directory
 * `<KEEL_DATA_DIR>/traces`), appended to as the run happens. Runs without a thread id go to `unthreaded.jsonl`.
 * A thread id is used as the file name when it is made of `[A-Za-z0-9._-]`; otherwise it is percent-encoded.
 *
 * Format (version 1): one JSON object per line, each with `v: 1`, `type`, `ts` (ISO 8601) and `threadId`.
 *
 * - `type: "start"` — a run began: `runId`, `parentRunId` (absent for a root run), `kind` (`chain` for graphs,
 *   nodes and agents; `llm` for a model call; `tool`; `retriever`), `name` (readable: `meta`, `agent:finance`,
 *   `model_request`, a tool's name, the model class), `tags`, `metadata` (tenant_id, thread_id, agent_path,
 *   langgraph_node, ...), and `inputs`:
 *     - llm: `{ messages: TraceMessage[] }` — the prompt exactly as sent (system prompt first)
 *     - tool: `{ input: <the tool's arguments, parsed from JSON when they are JSON> }`
 *     - chain: the node's input state (messages shortened to TraceMessage)
 * - `type: "end"` — the run finished: `runId`, `outputs` (llm: `{ message: TraceMessage }`; tool:
 *   `{ output: string }`; chain: output state), `durationMs`; for llm runs also `model`, `tokens`
 *   (`{ input, output }`), `costUsd` (absent when the model has no price), `cached` (true for a cache hit),
 *   and `toolSelection` (the tools retrieval bound for that call, with their scores).
 * - `type: "error"` — the run failed: `runId`, `error` (message), `durationMs`, and `interrupted: true` when the
 *   "error" is a LangGraph interrupt (a pause for approval, not a failure).
 * - `type: "event"` — something recorded inside a run: `runId` (when known), `name` and `data`. Names in use:
 *   `keel.guardrail` (a guardrail decision), `keel.feedback` (a human's approve / edit / reject, with the diff
 *   between proposed and approved arguments), and any custom event dispatched with
 *   `dispatchCustomEvent` from `@langchain/core/callbacks/dispatch`.
 *
 * Personal data: every string in `inputs`, `outputs`, `metadata` and `data` is masked before it is written
 * (`redactForLogs`: "[EMAIL_ADDRESS]", "[PERSON]", ...), the same masking LangSmith uploads get.
 *
 * Reading: `readTraceRecords(threadId)` gives the raw records in order; `readTraceRuns(threadId)` merges start,
 * end and error records into one `TraceRun` per run with its events and children (see trace-tree.ts).
 *
 * @example
 * // every model call of a thread, with prompt, answer and tokens
 * const runs = readTraceRuns("82575c9e-...").filter((r) => r.kind === "llm");
 * for (const r of runs) console.log(r.inputs?.messages, r.outputs?.message, r.tokens);
 */
import fs from "node:fs";
import path from "node:path";
import { dataDir } from "../db/index.js";
import { ConfigurationError } from "../errors.js";

export const TRACE_LOG_VERSION = 1;

export type TraceRunKind = "chain" | "llm" | "tool" | "retriever";

/** A message as the log keeps it: role, text (or content parts), and tool calls / the tool call answered. */
export interface TraceMessage {
  role: string;
  content: unknown;
  name?: string;
  toolCalls?: { id?: string; name: string; args: unknown }[];
  toolCallId?: string;
}

export interface TokenCounts {
  input: number;
  output: number;
}

export interface ToolSelectionTrace {
  bound: string[];
  scores: Record<string, number>;
  fallback?: string;
}

interface RecordBase {
  v: typeof TRACE_LOG_VERSION;
  ts: string;
  threadId: string;
}

export interface TraceStartRecord extends RecordBase {
  type: "start";
  runId: string;
  parentRunId?: string;
  kind: TraceRunKind;
  name: string;
  tags?: string[];
  metadata?: Record<string, unknown>;
  inputs?: Record<string, unknown>;
}

export interface TraceEndRecord extends RecordBase {
  type: "end";
  runId: string;
  outputs?: Record<string, unknown>;
  durationMs?: number;
  model?: string;
  tokens?: TokenCounts;
  costUsd?: number;
  cached?: boolean;
  toolSelection?: ToolSelectionTrace;
}

export interface TraceErrorRecord extends RecordBase {
  type: "error";
  runId: string;
  error: string;
  durationMs?: number;
  interrupted?: boolean;
}

export interface TraceEventRecord extends RecordBase {
  type: "event";
  runId?: string;
  name: string;
  data: unknown;
}

export type TraceRecord = TraceStartRecord | TraceEndRecord | TraceErrorRecord | TraceEventRecord;

/** One run with its start, end and events merged. */
export interface TraceRun {
  runId: string;
  parentRunId?: string;
  threadId: string;
  kind: TraceRunKind;
  name: string;
  tags: string[];
  metadata: Record<string, unknown>;
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
  startedAt: string;
  endedAt?: string;
  durationMs?: number;
  status: "running" | "success" | "error" | "interrupted";
  error?: string;
  model?: string;
  tokens?: TokenCounts;
  costUsd?: number;
  cached?: boolean;
  toolSelection?: ToolSelectionTrace;
  events: { name: string; ts: string; data: unknown }[];
  children: TraceRun[];
}

/** Thread id for runs that carry none. */
export const UNTHREADED = "unthreaded";

/**
 * Whether the local trace log is written. `KEEL_TRACE_LOG=off` turns it off; default on.
 * @example KEEL_TRACE_LOG=off npm start -- "..."
 */
export function traceLogEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  const value = (env.KEEL_TRACE_LOG ?? "on").trim().toLowerCase();
  if (value === "on" || value === "true" || value === "1" || value === "") return true;
  if (value === "off" || value === "false" || value === "0") return false;
  throw new ConfigurationError(`KEEL_TRACE_LOG is "${env.KEEL_TRACE_LOG}".`, 'Use "on" (default) or "off".');
}

/**
 * Directory of the local trace log. `KEEL_TRACE_DIR`, default `<KEEL_DATA_DIR>/traces`.
 * @example KEEL_TRACE_DIR=/var/log/keel/traces
 */
export function traceDir(env: NodeJS.ProcessEnv = process.env): string {
  const configured = env.KEEL_TRACE_DIR?.trim();
  return configured ? path.resolve(configured) : path.join(dataDir(), "traces");
}

/** The file holding a thread's records. */
export function traceFile(threadId: string, dir: string = traceDir()): string {
  const id = threadId || UNTHREADED;
  const safe = /^[A-Za-z0-9._-]+$/.test(id) && id !== "." && id !== ".." ? id : encodeURIComponent(id).replace(/\./g, "%2E");
  return path.join(dir, `${safe}.jsonl`);
}

/**
 * Appends records to their threads' files. Synchronous appends: records keep their order, nothing is buffered
 * that an exit could lose, and there is nothing to wait for at exit.
 */
export class TraceLogWriter {
  private readonly made = new Set<string>();
  private failed = false;
  constructor(readonly dir: string = traceDir()) {}

  write(record: TraceRecord): void {
    if (this.failed) return;
    try {
      if (!this.made.has(this.dir)) {
        fs.mkdirSync(this.dir, { recursive: true });
        this.made.add(this.dir);
      }
      fs.appendFileSync(traceFile(record.threadId, this.dir), `${JSON.stringify(record)}\n`);
    } catch (error) {
      // A trace log must never break a run: one warning, then the log stays off for this process.
      this.failed = true;
      process.emitWarning(`Keel trace log disabled: cannot write to ${this.dir} (${(error as Error).message}).`);
    }
  }
}

/** A thread's records in the order they were written; `[]` when the thread has no log. Bad lines are skipped. */
export function readTraceRecords(threadId: string, dir: string = traceDir()): TraceRecord[] {
  const file = traceFile(threadId, dir);
  if (!fs.existsSync(file)) return [];
  const records: TraceRecord[] = [];
  for (const line of fs.readFileSync(file, "utf8").split("\n")) {
    if (!line.trim()) continue;
    try {
      const parsed = JSON.parse(line) as TraceRecord;
      if (parsed && parsed.v === TRACE_LOG_VERSION && typeof parsed.type === "string") records.push(parsed);
    } catch {
      // a torn last line (process killed mid-write) is skipped
    }
  }
  return records;
}

/** Thread ids that have a trace log, newest file first. */
export function listTracedThreads(dir: string = traceDir()): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".jsonl"))
    .map((f) => ({ f, mtime: fs.statSync(path.join(dir, f)).mtimeMs }))
    .sort((a, b) => b.mtime - a.mtime)
    .map(({ f }) => decodeURIComponent(f.slice(0, -".jsonl".length)));
}

/** Merges a thread's records into runs (flat, in start order), each with its children linked. */
export function mergeTraceRecords(records: TraceRecord[]): TraceRun[] {
  const runs = new Map<string, TraceRun>();
  const orphanEvents: TraceEventRecord[] = [];
  for (const record of records) {
    if (record.type === "start") {
      runs.set(record.runId, {
        runId: record.runId,
        ...(record.parentRunId ? { parentRunId: record.parentRunId } : {}),
        threadId: record.threadId,
        kind: record.kind,
        name: record.name,
        tags: record.tags ?? [],
        metadata: record.metadata ?? {},
        ...(record.inputs ? { inputs: record.inputs } : {}),
        startedAt: record.ts,
        status: "running",
        events: [],
        children: [],
      });
      continue;
    }
    if (record.type === "event") {
      const run = record.runId ? runs.get(record.runId) : undefined;
      if (run) run.events.push({ name: record.name, ts: record.ts, data: record.data });
      else orphanEvents.push(record);
      continue;
    }
    const run = runs.get(record.runId);
    if (!run) continue;
    run.endedAt = record.ts;
    if (record.durationMs !== undefined) run.durationMs = record.durationMs;
    if (record.type === "end") {
      run.status = "success";
      if (record.outputs) run.outputs = record.outputs;
      if (record.model) run.model = record.model;
      if (record.tokens) run.tokens = record.tokens;
      if (record.costUsd !== undefined) run.costUsd = record.costUsd;
      if (record.cached) run.cached = true;
      if (record.toolSelection) run.toolSelection = record.toolSelection;
    } else {
      run.status = record.interrupted ? "interrupted" : "error";
      run.error = record.error;
    }
  }
  for (const run of runs.values()) {
    const parent = run.parentRunId ? runs.get(run.parentRunId) : undefined;
    if (parent) parent.children.push(run);
  }
  // Events recorded outside any logged run (e.g. feedback given later) attach to the latest root run.
  const roots = [...runs.values()].filter((r) => !r.parentRunId || !runs.has(r.parentRunId));
  for (const event of orphanEvents) {
    const root = [...roots].reverse().find((r) => r.startedAt <= event.ts) ?? roots[roots.length - 1];
    root?.events.push({ name: event.name, ts: event.ts, data: event.data });
  }
  return [...runs.values()];
}

/** A thread's runs, merged (flat, in start order; `children` links the tree). */
export function readTraceRuns(threadId: string, dir: string = traceDir()): TraceRun[] {
  return mergeTraceRecords(readTraceRecords(threadId, dir));
}

/** The root runs of a thread's tree (one per turn: run, then each resume). */
export function traceRoots(runs: TraceRun[]): TraceRun[] {
  const ids = new Set(runs.map((r) => r.runId));
  return runs.filter((r) => !r.parentRunId || !ids.has(r.parentRunId));
}
