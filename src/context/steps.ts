/**
 * A conversation seen as steps that must stay whole: an AI message with tool calls together with the tool
 * messages answering those calls. Trimming and summarizing work on whole steps, so no tool message ever loses
 * the AI message that asked for it (providers reject such an orphan) and no AI tool call loses its results.
 */
import type { AIMessage, BaseMessage, ToolMessage } from "@langchain/core/messages";

export interface Step {
  /** Index of the step's first message in the conversation. */
  start: number;
  messages: BaseMessage[];
  /** `orphan`: tool messages that answer no call of the step before them; never kept verbatim. */
  kind: "human" | "tool_step" | "ai" | "orphan" | "other";
}

const toolCallIds = (message: BaseMessage): string[] =>
  message.getType() === "ai" ? ((message as AIMessage).tool_calls ?? []).map((c) => c.id ?? "").filter(Boolean) : [];

/**
 * Splits messages into steps. Tool messages that answer no call of the step before them (orphans already in the
 * input) form `orphan` steps of their own, which a compressor summarizes rather than keeps.
 */
export function toSteps(messages: BaseMessage[]): Step[] {
  const steps: Step[] = [];
  let open: Set<string> | undefined;
  messages.forEach((message, index) => {
    const type = message.getType();
    if (type === "tool") {
      const previous = steps[steps.length - 1];
      if (previous && previous.kind !== "orphan" && open?.has((message as ToolMessage).tool_call_id)) {
        previous.messages.push(message);
      } else if (previous?.kind === "orphan") {
        previous.messages.push(message);
      } else {
        steps.push({ start: index, messages: [message], kind: "orphan" });
      }
      return;
    }
    const ids = toolCallIds(message);
    open = ids.length > 0 ? new Set(ids) : undefined;
    steps.push({ start: index, messages: [message], kind: type === "human" ? "human" : ids.length > 0 ? "tool_step" : type === "ai" ? "ai" : "other" });
  });
  return steps;
}

/**
 * Tool messages whose tool call id no earlier AI message asked for: what providers reject ("messages with role
 * 'tool' must be a response to a preceding message with 'tool_calls'"). Empty for a well-formed conversation.
 */
export function orphanedToolMessages(messages: BaseMessage[]): ToolMessage[] {
  const asked = new Set<string>();
  const orphans: ToolMessage[] = [];
  for (const message of messages) {
    for (const id of toolCallIds(message)) asked.add(id);
    if (message.getType() === "tool" && !asked.has((message as ToolMessage).tool_call_id)) orphans.push(message as ToolMessage);
  }
  return orphans;
}

/** True when every tool call of the step has its result in the step (a step cut short cannot be sent as it is). */
export function isComplete(step: Step): boolean {
  if (step.kind !== "tool_step") return step.kind !== "orphan";
  const answered = new Set(step.messages.slice(1).map((m) => (m as ToolMessage).tool_call_id));
  return toolCallIds(step.messages[0]!).every((id) => answered.has(id));
}

/** Tool call ids of AI messages that no later tool message answers (ignoring a final AI message still waiting for its tools). */
export function unansweredToolCalls(messages: BaseMessage[]): string[] {
  const answered = new Set(messages.filter((m) => m.getType() === "tool").map((m) => (m as ToolMessage).tool_call_id));
  const last = messages[messages.length - 1];
  return messages.filter((m) => m !== last).flatMap(toolCallIds).filter((id) => !answered.has(id));
}
