/**
 * The governor's first rung: a smaller context for the same call. Older completed steps (an AI message with its
 * tool calls and every tool result answering them, or an AI text) are replaced by one short note naming the tools
 * and the start of each result; the first user message (the objective) and the latest steps stay verbatim. Steps
 * are kept or dropped whole, so no tool result loses the call that asked for it.
 *
 * Hand-written because the context owner's compressor (src/context/, issue 6) was not in the tree when this was
 * written; the governor takes any `(messages) => messages` function in its place (see governor-middleware.ts).
 */
import { AIMessage, type BaseMessage, type ToolMessage } from "@langchain/core/messages";

export type Compressor = (messages: BaseMessage[]) => BaseMessage[];

interface Unit {
  messages: BaseMessage[];
  /** Only whole AI steps (with all their results) may be summarized. */
  complete: boolean;
  human: boolean;
}

function units(messages: BaseMessage[]): Unit[] {
  const out: Unit[] = [];
  for (const message of messages) {
    const type = message.getType();
    const last = out[out.length - 1];
    if (type === "tool" && last && !last.human && last.messages[0]?.getType() === "ai") {
      last.messages.push(message);
      continue;
    }
    out.push({ messages: [message], complete: type === "ai", human: type === "human" });
  }
  for (const unit of out) {
    const calls = ((unit.messages[0] as AIMessage).tool_calls ?? []).map((c) => c.id);
    const answered = new Set(unit.messages.slice(1).map((m) => (m as ToolMessage).tool_call_id));
    unit.complete = unit.complete && calls.every((id) => id !== undefined && answered.has(id));
  }
  return out;
}

const text = (m: BaseMessage) => (typeof m.content === "string" ? m.content : JSON.stringify(m.content));

/**
 * Keeps the first user message and the last `keepRecent` units; summarizes the completed steps in between.
 * Returns the input array itself when there is nothing to compress.
 * @example compressSteps(messages, { keepRecent: 2, excerptChars: 160 })
 */
export function compressSteps(messages: BaseMessage[], options: { keepRecent?: number; excerptChars?: number } = {}): BaseMessage[] {
  const keepRecent = options.keepRecent ?? 2;
  const excerptChars = options.excerptChars ?? 160;
  const all = units(messages);
  const firstHuman = all.findIndex((u) => u.human);
  const cut = Math.max(firstHuman + 1, all.length - keepRecent);
  const older = all.slice(firstHuman + 1, cut);
  const droppable = older.filter((u) => u.complete);
  if (droppable.length === 0) return messages;
  const lines = droppable.flatMap((unit) => {
    const [ai, ...results] = unit.messages;
    const calls = (ai as AIMessage).tool_calls ?? [];
    if (calls.length === 0) return [`- said: ${text(ai!).slice(0, excerptChars)}`];
    return calls.map((call) => {
      const result = results.find((r) => (r as ToolMessage).tool_call_id === call.id);
      return `- ${call.name}(${JSON.stringify(call.args)}) -> ${result ? text(result).slice(0, excerptChars) : "(no result)"}`;
    });
  });
  const note = new AIMessage({ content: `Earlier steps, shortened to stay within budget:\n${lines.join("\n")}`, name: "keel_compressed" });
  const keptBefore = all.slice(0, firstHuman + 1).flatMap((u) => u.messages);
  const keptOlder = older.filter((u) => !u.complete).flatMap((u) => u.messages);
  const recent = all.slice(cut).flatMap((u) => u.messages);
  return [...keptBefore, ...keptOlder, note, ...recent];
}
