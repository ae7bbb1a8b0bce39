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
