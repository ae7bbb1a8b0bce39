/**
 * Structured outputs get one repair attempt, then escalation. langchain's tool strategy sends a validation
 * error back to the model for as many retries as it takes; this middleware stops the loop after the first
 * failed repair: the model is not called again, the agent ends without a result, which the meta agent treats as a case for human review.
 */
import { createMiddleware } from "langchain";
import { AIMessage, type BaseMessage } from "@langchain/core/messages";

/** Failed attempts at the structured result so far: tool messages answering a call of the response tool. */
export function failedResultAttempts(messages: BaseMessage[], responseTool: string): number {
  const resultCalls = new Set(
    messages.flatMap((m) => (m.getType() === "ai" ? ((m as AIMessage).tool_calls ?? []).filter((c) => c.name === responseTool).map((c) => c.id) : [])),
  );
  return messages.filter((m) => m.getType() === "tool" && resultCalls.has((m as { tool_call_id?: string }).tool_call_id)).length;
}

export function outputRepairMiddleware(responseTool: string, maxRepairs = 1) {
  return createMiddleware({
    name: "KeelOutputRepair",
    // wrapModelCall, not beforeModel: langchain's retry jumps straight back to the model node.
    async wrapModelCall(request, handler) {
      if (failedResultAttempts(request.messages, responseTool) <= maxRepairs) return handler(request);
      return new AIMessage(`The result did not validate after ${maxRepairs} repair attempt(s); escalating to a human.`);
    },
  });
}
