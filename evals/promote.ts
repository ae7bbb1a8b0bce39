/**
 * Trace to dataset: `npm run eval -- promote` turns traced runs that a human overrode (an approval edited or
 * rejected, a review edited or rejected), that escalated (went to a human review) or that failed (a run ended
 * in an error) into new examples of `evals/datasets/promoted.jsonl`, which the `promoted` suite runs.
 *
 * Sources: the local JSONL trace log (src/observability/trace-log.ts, always), and LangSmith when a key is set
 * (root runs of `LANGSMITH_PROJECT` with `human_approval` feedback below 1, or with an error). An unreachable
 * LangSmith gives one warning and promotion goes on from the local log.
 *
 * No duplicates: one example per request (compared lower-cased, spaces collapsed), and none for a request that
 * any dataset in evals/datasets already holds, so promoting twice adds nothing the second time.
 *
 *   npm run eval -- promote [--dry-run] [--out FILE] [--source local|langsmith|all] [--trace-dir DIR]
 *
 * What an example checks (promoted.eval.ts): every one, that the run completes without an error (`no_error`);
 * an edited approval, that the run proposes the human's corrected call (`human_match`; the arguments the human
 * changed, free text such as a reason left out); a rejected approval,
 * that it does not propose the rejected call again (`human_match`). An edited review keeps the reviewer's
 * answer as `reference_answer` for people to read (it is not scored: that needs a judge).
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";
import { listTracedThreads, readTraceRuns, traceDir, traceRoots, type TraceRun } from "../src/observability/trace-log.js";
import { tracingSettings } from "../src/observability/tracing-settings.js";
import { keelLangSmithClient, probeLangSmith } from "../src/observability/langsmith.js";
import { PromotedRow, type PromotedRowT } from "./lib/rows.js";
import { loadDataset } from "./lib/dataset.js";

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const DEFAULT_PROMOTED_FILE = path.join(HERE, "datasets", "promoted.jsonl");

/** A candidate example, from whichever source. */
export type Candidate = Omit<PromotedRowT, "id">;

/** Where traced runs come from: the local trace log or LangSmith (or a test's fake). */
export interface TracedRunSource {
  readonly name: string;
  candidates(): Promise<Candidate[]>;
}

export const normalizeRequest = (text: string) => text.trim().replace(/\s+/g, " ").toLowerCase();

export function promotedId(request: string): string {
  return `pr-${crypto.createHash("sha256").update(normalizeRequest(request)).digest("hex").slice(0, 10)}`;
}

interface FeedbackEvent {
  kind: "action" | "review";
  tool: string;
  decision: "approve" | "edit" | "reject";
  diff?: { path: string; op: string; before?: unknown; after?: unknown }[];
  reason?: string;
}

function humanText(run: TraceRun): string | undefined {
  const messages = (run.inputs as { messages?: { role?: string; content?: unknown }[] } | undefined)?.messages;
  const human = messages?.filter((m) => m.role === "human" || m.role === "user").pop();
  if (!human) return undefined;
  return typeof human.content === "string" ? human.content : Array.isArray(human.content) ? human.content.map((p) => (p as { text?: string }).text ?? "").join("") : undefined;
}

function subtree(run: TraceRun): TraceRun[] {
  return [run, ...run.children.flatMap(subtree)];
}

/** The args the human approved in an edit: from the resume command of the next root run of the turn. */
function editedArgs(resumeRoot: TraceRun | undefined, tool: string): Record<string, unknown> | undefined {
  const decisions = (resumeRoot?.inputs as { command?: { resume?: { decisions?: { type?: string; editedAction?: { name?: string; args?: Record<string, unknown> } }[] } } } | undefined)?.command?.resume?.decisions;
  return decisions?.find((d) => d.type === "edit" && d.editedAction?.name === tool)?.editedAction?.args;
}

/** Candidates of one traced thread: one per user turn that was overridden, escalated or failed. */
export function candidatesFromThread(threadId: string, runs: TraceRun[]): Candidate[] {
  const roots = traceRoots(runs);
  const out: Candidate[] = [];
  for (let i = 0; i < roots.length; i++) {
    const request = humanText(roots[i]!);
    if (!request) continue;
    // A turn: this root and the resume roots after it, up to the next user message.
    const turn = [roots[i]!];
    for (let j = i + 1; j < roots.length && !humanText(roots[j]!); j++) turn.push(roots[j]!);
    const feedback = turn.flatMap((r) => r.events.filter((e) => e.name === "keel.feedback").map((e) => ({ event: e.data as FeedbackEvent, root: r })));
    const overridden = feedback.find((f) => f.event.decision !== "approve");
    const escalated = feedback.find((f) => f.event.kind === "review");
    const failed = turn.flatMap(subtree).find((r) => r.status === "error");
    const source = { origin: "local" as const, thread_id: threadId, run_id: roots[i]!.runId, at: roots[i]!.startedAt };
    if (overridden) {
      const { event } = overridden;
      const next = turn[turn.indexOf(overridden.root) + 1];
      const candidate: Candidate = { request, reason: "overridden", source, note: `${event.kind} ${event.tool}: ${event.decision}${event.reason ? ` (${event.reason})` : ""}` };
      if (event.kind === "action" && event.decision === "edit") {
        const args = editedArgs(next, event.tool);
        // What the human corrected (per the diff), without free text: a reworded reason is no regression target.
        const changed = new Set((event.diff ?? []).filter((d) => d.op !== "removed").map((d) => d.path.split(".")[0]!));
        const kept = Object.fromEntries(Object.entries(args ?? {}).filter(([k, v]) => (changed.size === 0 || changed.has(k)) && !(typeof v === "string" && /\s/.test(v))));
        if (args && Object.keys(kept).length > 0) candidate.expected_call = { tool: event.tool, args: kept };
      }
      if (event.kind === "action" && event.decision === "reject") {
        const before = Object.fromEntries((event.diff ?? []).filter((d) => d.op === "removed").map((d) => [d.path, d.before]));
        candidate.rejected_call = { tool: event.tool, args: before };
      }
      if (event.kind === "review" && event.decision === "edit") {
        const answer = event.diff?.find((d) => d.path === "answer")?.after;
        if (typeof answer === "string") candidate.reference_answer = answer;
      }
      out.push(candidate);
    } else if (escalated) {
      out.push({ request, reason: "escalated", source, note: `review ${escalated.event.tool}: ${escalated.event.decision}` });
    } else if (failed) {
      out.push({ request, reason: "failed", source, note: `${failed.name}: ${(failed.error ?? "").slice(0, 200)}` });
    }
  }
  return out;
}

export class LocalTraceSource implements TracedRunSource {
  readonly name = "local trace log";
  constructor(readonly dir: string = traceDir()) {}

  async candidates(): Promise<Candidate[]> {
    return listTracedThreads(this.dir)
      .reverse() // oldest first, so the first occurrence of a request is the one kept
      .flatMap((thread) => candidatesFromThread(thread, readTraceRuns(thread, this.dir)));
  }
}

/** The part of langsmith's Client that promotion uses (tests pass a fake). */
export interface LangSmithRunsClient {
  listRuns(params: { projectName: string; isRoot?: boolean; error?: boolean; filter?: string; limit?: number }): AsyncIterable<{ id: string; inputs?: Record<string, unknown>; error?: string | null; start_time?: number | string; extra?: { metadata?: Record<string, unknown> } }>;
  listFeedback(params: { runIds?: string[]; feedbackKeys?: string[] }): AsyncIterable<{ run_id?: string | null; score?: unknown; value?: unknown; comment?: string | null }>;
}

export class LangSmithSource implements TracedRunSource {
  readonly name = "LangSmith";
  constructor(
    private readonly client: LangSmithRunsClient,
    private readonly project: string,
    private readonly limit = 500,
  ) {}

  async candidates(): Promise<Candidate[]> {
    const out: Candidate[] = [];
    const requestOf = (inputs?: Record<string, unknown>) => {
      const messages = (inputs as { messages?: { role?: string; type?: string; content?: unknown; kwargs?: { content?: unknown } }[] } | undefined)?.messages ?? [];
      const human = messages.filter((m) => m.role === "human" || m.role === "user" || m.type === "human").pop();
      const content = human?.content ?? human?.kwargs?.content;
      return typeof content === "string" ? content : undefined;
    };
    const reviewed = this.client.listRuns({ projectName: this.project, isRoot: true, filter: 'and(eq(feedback_key, "human_approval"), lt(feedback_score, 1))', limit: this.limit });
    for await (const run of reviewed) {
      const request = requestOf(run.inputs);
      if (!request) continue;
      let comment = "";
      for await (const fb of this.client.listFeedback({ runIds: [run.id], feedbackKeys: ["human_approval"] })) comment = fb.comment ?? comment;
      const [, kind, tool, decision] = /^(action|review) (\S+): (approve|edit|reject)/.exec(comment) ?? [];
      const source = { origin: "langsmith" as const, run_id: run.id, ...(run.extra?.metadata?.thread_id ? { thread_id: String(run.extra.metadata.thread_id) } : {}) };
      out.push({ request, reason: kind === "review" && decision !== "reject" && decision !== "edit" ? "escalated" : "overridden", source, note: comment || "human_approval below 1", ...(kind === "action" && decision === "reject" && tool ? { rejected_call: { tool, args: {} } } : {}) });
    }
    for await (const run of this.client.listRuns({ projectName: this.project, isRoot: true, error: true, limit: this.limit })) {
      const request = requestOf(run.inputs);
      if (request && !/interrupt/i.test(run.error ?? "")) out.push({ request, reason: "failed", source: { origin: "langsmith", run_id: run.id }, note: (run.error ?? "").slice(0, 200) });
    }
    return out;
  }
}

/** Requests already in any dataset of `datasetsDir` (its `request` or `query` fields), normalized. */
export function knownRequests(datasetsDir: string): Set<string> {
  const known = new Set<string>();
  if (!fs.existsSync(datasetsDir)) return known;
  for (const file of fs.readdirSync(datasetsDir).filter((f) => f.endsWith(".jsonl"))) {
    for (const line of fs.readFileSync(path.join(datasetsDir, file), "utf8").split("\n")) {
      try {
        const row = JSON.parse(line) as { request?: unknown; query?: unknown };
        const text = typeof row.request === "string" ? row.request : typeof row.query === "string" ? row.query : undefined;
        if (text) known.add(normalizeRequest(text));
      } catch {
        // malformed rows are the loaders' business (reported with file:line when a suite reads them)
      }
    }
  }
  return known;
}

export interface PromoteResult {
  added: PromotedRowT[];
  /** Candidates not added because their request is already a dataset example (or repeats another candidate). */
  duplicates: number;
  bySource: Record<string, number>;
}

/** Collects candidates from the sources and appends the new ones to `outFile` (unless `dryRun`). */
export async function promote(sources: TracedRunSource[], outFile: string, options: { dryRun?: boolean; datasetsDir?: string } = {}): Promise<PromoteResult> {
  const known = knownRequests(options.datasetsDir ?? path.dirname(outFile));
  if (fs.existsSync(outFile)) for (const row of loadDataset(outFile, PromotedRow).rows) known.add(normalizeRequest(row.request));
  const added: PromotedRowT[] = [];
  const bySource: Record<string, number> = {};
  let duplicates = 0;
  for (const source of sources) {
    const candidates = await source.candidates();
    bySource[source.name] = candidates.length;
    for (const candidate of candidates) {
      const key = normalizeRequest(candidate.request);
      if (known.has(key)) {
        duplicates += 1;
        continue;
      }
      known.add(key);
      added.push(PromotedRow.parse({ id: promotedId(candidate.request), ...candidate }));
    }
  }
  if (!options.dryRun && added.length) {
    fs.mkdirSync(path.dirname(outFile), { recursive: true });
    const existing = fs.existsSync(outFile) ? fs.readFileSync(outFile, "utf8") : "";
    const sep = existing && !existing.endsWith("\n") ? "\n" : "";
    fs.appendFileSync(outFile, sep + added.map((r) => JSON.stringify(r)).join("\n") + "\n");
  }
  return { added, duplicates, bySource };
}

/** `npm run eval -- promote ...`; returns the exit code. */
export async function runPromote(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({ args: argv, strict: true, allowPositionals: false, options: { "dry-run": { type: "boolean" }, out: { type: "string" }, source: { type: "string" }, "trace-dir": { type: "string" } } }));
  } catch (error) {
    console.error(`${(error as Error).message}\nUsage: npm run eval -- promote [--dry-run] [--out FILE] [--source local|langsmith|all] [--trace-dir DIR]`);
    return 2;
  }
  const which = values.source ?? "all";
  if (!["local", "langsmith", "all"].includes(which)) {
    console.error(`--source is "${which}": use local, langsmith or all.`);
    return 2;
  }
  const sources: TracedRunSource[] = [];
  if (which !== "langsmith") sources.push(new LocalTraceSource(values["trace-dir"] ? path.resolve(values["trace-dir"]) : traceDir()));
  if (which !== "local") {
    const settings = tracingSettings({ ...process.env, LANGSMITH_TRACING: "false" });
    if (!settings.apiKey) {
      if (which === "langsmith") {
        console.error("--source langsmith needs LANGSMITH_API_KEY (and LANGSMITH_PROJECT, default keel).");
        return 2;
      }
    } else {
      const probe = await probeLangSmith(settings);
      if (probe.ok) sources.push(new LangSmithSource(keelLangSmithClient(settings) as unknown as LangSmithRunsClient, settings.project));
      else process.emitWarning(`LangSmith at ${settings.endpoint} is unreachable (${probe.cause}): promoting from the local trace log only.`, { code: "KEEL_LANGSMITH_UNREACHABLE" });
    }
  }
  const out = path.resolve(values.out ?? DEFAULT_PROMOTED_FILE);
  const result = await promote(sources, out, { dryRun: values["dry-run"] });
  for (const [name, n] of Object.entries(result.bySource)) console.log(`${name}: ${n} candidate run(s) (overridden, escalated or failed)`);
  for (const row of result.added) console.log(`  + ${row.id} [${row.reason}] ${row.request.slice(0, 100)}`);
  console.log(`${values["dry-run"] ? "would add" : "added"} ${result.added.length} example(s) to ${path.relative(process.cwd(), out)}; ${result.duplicates} already in a dataset`);
  return 0;
}
