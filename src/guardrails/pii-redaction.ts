/**
 * PII never reaches the model provider, the traces or the logs in clear: tool outputs are redacted through the
 * thread's vault before they enter the agent's state, and the messages of each model call are redacted before
 * they are sent. Tools get the real values back (the vault restores placeholders in their arguments), and the
 * meta agent restores them in the final answer for the user who asked.
 */
import { createMiddleware } from "langchain";
import { ToolMessage, type BaseMessage } from "@langchain/core/messages";
import { threadVault, persistVault } from "./pii/vault-store.js";
import type { PiiVault } from "./pii/vault.js";

function threadOf(configurable: Record<string, unknown> | undefined): string {
  return String(configurable?.thread_id ?? "no-thread");
}

/** A copy of the message with string content redacted (other content left as it is). */
function redactMessage(message: BaseMessage, vault: PiiVault): BaseMessage {
  if (typeof message.content !== "string") return message;
  const { text } = vault.redact(message.content);
  if (text === message.content) return message;
  const Ctor = message.constructor as new (fields: Record<string, unknown>) => BaseMessage;
  return new Ctor({ ...(message as unknown as Record<string, unknown>), content: text });
}

export function piiRedactionMiddleware() {
  return createMiddleware({
    name: "KeelPiiRedaction",
    async wrapModelCall(request, handler) {
      const vault = await threadVault(threadOf(request.runtime.configurable as Record<string, unknown>));
      const messages = request.messages.map((m) => redactMessage(m, vault));
      await persistVault(vault);
      return handler({ ...request, messages });
    },
    async wrapToolCall(request, handler) {
      const vault = await threadVault(threadOf(request.runtime.configurable as Record<string, unknown>));
      const args = vault.restore(request.toolCall.args);
      const result = await handler({ ...request, toolCall: { ...request.toolCall, args } });
      if (!(result instanceof ToolMessage) || typeof result.content !== "string") return result;
      const { text } = vault.redact(result.content);
      await persistVault(vault);
      return new ToolMessage({ content: text, tool_call_id: result.tool_call_id, name: result.name, status: result.status, artifact: result.artifact, additional_kwargs: result.additional_kwargs });
    },
  });
}

/** The answer with the thread's placeholders replaced by their values, for the user who asked. */
export async function restoreForUser(threadId: string, text: string): Promise<string> {
  const vault = await threadVault(threadId);
  return vault.restore(text);
}
