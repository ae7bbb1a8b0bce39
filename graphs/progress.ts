/** Turns LangGraph stream updates (with subgraph namespaces) into progress events for people. */
import type { BaseMessage } from "@langchain/core/messages";

export type ProgressEvent =
  | { kind: "route"; routes: string[]; confidence: number; /** `embedding` (no model call), `model`, or `cache` (answered from the semantic cache). */ source?: string }
  | { kind: "tool_call"; agent: string; tool: string; args: Record<string, unknown> }
  | { kind: "tool_result"; agent: string; tool: string; ok: boolean }
  | { kind: "agent_done"; agent: string }
  | { kind: "approval"; tool: string; args: Record<string, unknown>; description: string };

/** `seen` holds ids of messages already reported, so repeated updates do not repeat events. */
export function toProgressEvents(namespace: string[], update: Record<string, unknown>, seen = new Set<string>()): ProgressEvent[] {
  const agent = namespace[0]?.split(":")[0] ?? "meta";
  const events: ProgressEvent[] = [];
  for (const [node, value] of Object.entries(update ?? {})) {
    const data = value as { routing?: { routes: string[]; confidence: number; source?: string }; messages?: BaseMessage[]; reports?: Record<string, unknown> } | undefined;
    if (namespace.length === 0 && node === "route" && data?.routing) {
      events.push({ kind: "route", routes: data.routing.routes, confidence: data.routing.confidence, ...(data.routing.source ? { source: data.routing.source } : {}) });
    }
    if (namespace.length === 0 && data?.reports) for (const name of Object.keys(data.reports)) events.push({ kind: "agent_done", agent: name });
    if (namespace.length === 0) continue;
    for (const message of data?.messages ?? []) {
      const type = message.getType?.();
      const key = `${namespace.join("|")}:${message.id ?? (message as { tool_call_id?: string }).tool_call_id ?? JSON.stringify(message.content)}`;
      if (seen.has(key)) continue;
      seen.add(key);
      if (type === "ai") {
        for (const call of (message as { tool_calls?: { name: string; args: Record<string, unknown> }[] }).tool_calls ?? []) {
          if (call.name !== "task_result") events.push({ kind: "tool_call", agent, tool: call.name, args: call.args });
        }
      } else if (type === "tool" && message.name !== "task_result") {
        events.push({ kind: "tool_result", agent, tool: message.name ?? "tool", ok: (message as { status?: string }).status !== "error" });
      }
    }
  }
  return events;
}

/** A piece of text a model produced, as it streams: the agent's answer (its `task_result` answer) or plain text. */
export interface TokenEvent {
  /** The task agent (or "meta" for the meta agent's own calls). */
  agent: string;
  text: string;
}

/**
 * Turns LangGraph "messages" stream chunks into token events. Task agents give their answer inside the
 * `task_result` tool call, whose arguments stream as partial JSON: the `answer` string is decoded as it grows.
 * A model that does not stream yields one whole message at the end of its call, handled the same way.
 * The router's structured output and the root nodes' messages are not model answer text and are skipped.
 */
export class TokenStreamer {
  private readonly args = new Map<string, string>();
  private readonly emitted = new Map<string, number>();

  /** Routes whose model output is answer text; the router, merge and cache nodes at the root are not. */
  static readonly SOURCES = new Set(["support", "incidents", "finance", "shipping", "weekly_brief"]);

  /**
   * @param metadata the stream's metadata for the chunk: a chat model's carries `ls_provider` / `ls_model_type`,
   *   a node's output (such as createAgent's "Returning structured response" message) does not. Absent: trusted.
   */
  events(namespace: string[], chunk: unknown, metadata?: Record<string, unknown>): TokenEvent[] {
    const agent = namespace[0]?.split(":")[0] ?? "meta";
    // Only model output (AI messages) of the task agents and the workflow: not tool results, not node outputs.
    const type = (chunk as { getType?: () => string }).getType?.();
    if (!TokenStreamer.SOURCES.has(agent) || type !== "ai") return [];
    if (metadata && metadata.ls_model_type === undefined && metadata.ls_provider === undefined) return [];
    const message = chunk as { content?: unknown; tool_call_chunks?: { name?: string; args?: string; index?: number; id?: string }[]; tool_calls?: { name: string; args: Record<string, unknown> }[]; id?: string };
    const out: TokenEvent[] = [];
    if (typeof message.content === "string" && message.content) out.push({ agent, text: message.content });
    const key = (index: number | undefined) => `${namespace.join("|")}#${message.id ?? ""}#${index ?? 0}`;
    if (message.tool_call_chunks?.length) {
      for (const part of message.tool_call_chunks) {
        const k = key(part.index);
        if (part.name && part.name !== "task_result") this.args.set(k, "\u0000skip");
        const so_far = this.args.get(k) ?? "";
        if (so_far.startsWith("\u0000skip")) continue;
        const next = so_far + (part.args ?? "");
        this.args.set(k, next);
        const answer = partialJsonString(next, "answer");
        const done = this.emitted.get(k) ?? 0;
        if (answer.length > done) {
          out.push({ agent, text: answer.slice(done) });
          this.emitted.set(k, answer.length);
        }
      }
    } else {
      for (const call of message.tool_calls ?? []) {
        const answer = call.name === "task_result" ? call.args?.answer : undefined;
        if (typeof answer === "string" && answer) out.push({ agent, text: answer });
      }
    }
    return out;
  }
}

/** The decoded prefix of the string value of `field` in a JSON text that may be cut anywhere. */
export function partialJsonString(json: string, field: string): string {
  const start = new RegExp(`"${field}"\\s*:\\s*"`).exec(json);
  if (!start) return "";
  let out = "";
  for (let i = start.index + start[0].length; i < json.length; i++) {
    const c = json[i]!;
    if (c === '"') break;
    if (c !== "\\") {
      out += c;
      continue;
    }
    const e = json[i + 1];
    if (e === undefined) break; // an escape cut in half: wait for the rest
    if (e === "u") {
      const hex = json.slice(i + 2, i + 6);
      if (hex.length < 4) break;
      out += String.fromCharCode(parseInt(hex, 16));
      i += 5;
      continue;
    }
    out += ({ n: "\n", t: "\t", r: "\r", b: "\b", f: "\f" } as Record<string, string>)[e] ?? e;
    i += 1;
  }
  return out;
}
