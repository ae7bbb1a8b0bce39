/**
 * A thread's trace as a readable tree (what `npm run trace -- <thread id>` prints): one root per turn, graph
 * nodes, agents, model calls (model, tokens, cost, tools bound, prompt and reply) and tool calls (arguments,
 * result), with durations. LangChain's plumbing runs (RunnableSequence, RunnableLambda, __start__, ...) are
 * left out unless `all` is set; their children move up to the nearest shown run.
 */
import type { TraceMessage, TraceRun } from "./trace-log.js";
import { traceRoots } from "./trace-log.js";

export interface TraceTreeOptions {
  /** Show every run, plumbing included. */
  all?: boolean;
  /** Show whole prompts, replies, tool inputs and outputs instead of one-line previews. */
  full?: boolean;
  /** Preview length in characters. */
  width?: number;
}

const PLUMBING = /^(RunnableSequence|RunnableLambda|RunnableCallable|RunnableParallel.*|RunnableAssign|RunnableMap|ChannelWrite.*|Branch.*|__start__|__end__)$/;

function isPlumbing(run: TraceRun): boolean {
  if (run.kind !== "chain") return false;
  if (PLUMBING.test(run.name)) return true;
  // Middleware hook nodes that did nothing visible (no model or tool call inside, no event).
  return /\.(before|after)_(model|agent)$/.test(run.name) && run.events.length === 0 && !hasVisibleDescendant(run);
}

function hasVisibleDescendant(run: TraceRun): boolean {
  return run.children.some((c) => c.kind !== "chain" || c.events.length > 0 || hasVisibleDescendant(c));
}

function visibleChildren(run: TraceRun, all: boolean): TraceRun[] {
  const out: TraceRun[] = [];
  for (const child of run.children) {
    if (!all && isPlumbing(child)) out.push(...visibleChildren(child, all));
    else out.push(child);
  }
  return out;
}

function preview(value: unknown, width: number): string {
  const text = (typeof value === "string" ? value : JSON.stringify(value) ?? "").replace(/\s+/g, " ").trim();
  return text.length > width ? `${text.slice(0, width - 1)}…` : text;
}

function duration(run: TraceRun): string {
  if (run.durationMs === undefined) return run.status === "running" ? "running" : "";
  return run.durationMs >= 1000 ? `${(run.durationMs / 1000).toFixed(1)} s` : `${run.durationMs} ms`;
}

function messageText(m: TraceMessage): string {
  const calls = m.toolCalls?.map((c) => `${c.name}(${JSON.stringify(c.args)})`).join(", ");
  const content = typeof m.content === "string" ? m.content : JSON.stringify(m.content);
  return [content, calls ? `calls ${calls}` : ""].filter(Boolean).join(" ");
}

function totals(run: TraceRun): { input: number; output: number; cost: number; calls: number } {
  const sum = { input: 0, output: 0, cost: 0, calls: 0 };
  const walk = (r: TraceRun) => {
    if (r.kind === "llm") {
      sum.calls += 1;
      sum.input += r.tokens?.input ?? 0;
      sum.output += r.tokens?.output ?? 0;
      sum.cost += r.costUsd ?? 0;
    }
    r.children.forEach(walk);
  };
  walk(run);
  return sum;
}

function headline(run: TraceRun, isRoot: boolean): string {
  const status = run.status === "error" ? ` ✗ ${run.error ?? "error"}` : run.status === "interrupted" ? " ⏸ waiting for a human" : run.status === "running" ? " (no end recorded)" : "";
  const time = duration(run);
  if (run.kind === "llm") {
    const tokens = run.tokens ? ` ${run.tokens.input} → ${run.tokens.output} tokens` : "";
    const cost = run.costUsd !== undefined ? ` $${run.costUsd.toFixed(4)}` : "";
    return `model ${run.model ?? run.name}${run.cached ? " (cache hit)" : ""} ${time}${tokens}${cost}${status}`;
  }
  if (run.kind === "tool") return `tool ${run.name} ${time}${status}`;
  if (isRoot) {
    const t = totals(run);
    const meta = [run.metadata.tenant_id ? `tenant ${String(run.metadata.tenant_id)}` : "", `${t.calls} model calls, ${t.input} → ${t.output} tokens, $${t.cost.toFixed(4)}`].filter(Boolean).join(", ");
    return `${run.name} ${time} [${run.startedAt}] ${meta}${status}`;
  }
  return `${run.name} ${time}${status}`;
}

function details(run: TraceRun, options: Required<TraceTreeOptions>): string[] {
  const lines: string[] = [];
  const show = (label: string, value: unknown) => lines.push(`${label}: ${options.full ? (typeof value === "string" ? value : JSON.stringify(value, null, 2)) : preview(value, options.width)}`);
  if (run.kind === "llm") {
    if (run.toolSelection) lines.push(`tools bound: ${run.toolSelection.bound.map((n) => (run.toolSelection!.scores[n] !== undefined ? `${n} ${run.toolSelection!.scores[n]!.toFixed(2)}` : n)).join(", ")}`);
    const messages = (run.inputs?.messages as TraceMessage[] | undefined) ?? [];
    if (options.full) for (const m of messages) show(`  ${m.role}`, messageText(m));
    else {
      const last = [...messages].reverse().find((m) => m.role !== "system");
      if (last) show(`prompt (${messages.length} messages, last ${last.role})`, messageText(last));
    }
    const reply = run.outputs?.message as TraceMessage | undefined;
    if (reply) show("reply", messageText(reply));
  }
  if (run.kind === "tool") {
    if (run.inputs?.input !== undefined) show("args", run.inputs.input);
    if (run.outputs?.output !== undefined) show("result", run.outputs.output);
  }
  // Tool selections are shown on the model call they were made for.
  for (const event of run.events) if (event.name !== "keel.tool_selection") show(`event ${event.name}`, event.data);
  return lines;
}

/** The tree of a thread's runs as text lines. */
export function formatTraceTree(runs: TraceRun[], options: TraceTreeOptions = {}): string {
  const opts: Required<TraceTreeOptions> = { all: options.all ?? false, full: options.full ?? false, width: options.width ?? 100 };
  const lines: string[] = [];
  const walk = (run: TraceRun, prefix: string, childPrefix: string, isRoot: boolean) => {
    lines.push(`${prefix}${headline(run, isRoot)}`);
    const children = visibleChildren(run, opts.all);
    const info = details(run, opts);
    for (const line of info) {
      for (const [i, part] of line.split("\n").entries()) lines.push(`${childPrefix}${children.length ? "│ " : "  "}${i === 0 ? "· " : "  "}${part}`);
    }
    children.forEach((child, i) => {
      const last = i === children.length - 1;
      walk(child, `${childPrefix}${last ? "└─ " : "├─ "}`, `${childPrefix}${last ? "   " : "│  "}`, false);
    });
  };
  for (const root of traceRoots(runs)) {
    walk(root, "", "", true);
    lines.push("");
  }
  return lines.join("\n");
}
