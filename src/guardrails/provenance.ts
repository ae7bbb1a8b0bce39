/**
 * Provenance (taint) of tool-call arguments: for each argument value, where in the conversation it appeared —
 * in the user's own words, or only in a tool's output (untrusted data). An argument that appears only in tool
 * output could have been planted there, so the action needs a human, who is shown where it came from.
 */
import type { BaseMessage } from "@langchain/core/messages";
import { textOf } from "../models/offline/planner.js";

export interface ArgumentOrigin {
  argument: string;
  value: string;
  /** "user", or the names of the tools whose output contained the value. */
  sources: string[];
}

/** Scalar argument values worth tracing: short flags and tiny numbers say nothing about origin. */
function traceable(args: Record<string, unknown>, prefix = ""): [string, string][] {
  const out: [string, string][] = [];
  for (const [key, value] of Object.entries(args ?? {})) {
    const name = prefix ? `${prefix}.${key}` : key;
    if (typeof value === "string" && value.trim().length >= 4) out.push([name, value.trim()]);
    else if (typeof value === "number" && Math.abs(value) >= 10) out.push([name, String(value)]);
    else if (value && typeof value === "object" && !Array.isArray(value)) out.push(...traceable(value as Record<string, unknown>, name));
  }
  return out;
}

export function argumentOrigins(args: Record<string, unknown>, messages: BaseMessage[]): ArgumentOrigin[] {
  const userText = messages.filter((m) => m.getType() === "human").map((m) => textOf(m).toLowerCase()).join("\n");
  const toolTexts = messages.filter((m) => m.getType() === "tool").map((m) => ({ tool: m.name ?? "tool", text: textOf(m).toLowerCase() }));
  return traceable(args).map(([argument, value]) => {
    const needle = value.toLowerCase();
    const sources = userText.includes(needle) ? ["user"] : [...new Set(toolTexts.filter((t) => t.text.includes(needle)).map((t) => t.tool))];
    return { argument, value, sources };
  });
}

/** Arguments that came only from tool output (untrusted), not from the user. */
export function taintedArguments(args: Record<string, unknown>, messages: BaseMessage[]): ArgumentOrigin[] {
  return argumentOrigins(args, messages).filter((o) => o.sources.length > 0 && !o.sources.includes("user"));
}

/** One line per argument for an approval request: value and where it came from. */
export function describeOrigins(origins: ArgumentOrigin[]): string {
  if (origins.length === 0) return "Arguments: none traced.";
  return origins
    .map((o) => `  ${o.argument} = ${JSON.stringify(o.value)} — ${o.sources.length === 0 ? "origin unknown (not seen in the conversation)" : o.sources.includes("user") ? "from the user" : `from untrusted tool output: ${o.sources.join(", ")}`}`)
    .join("\n");
}
