/**
 * The untrusted-content layer of a task agent: each tool output is marked as data (spotlighting) and tagged
 * with its provenance before it reaches the model. Injection screening hooks in here too.
 */
import { createMiddleware } from "langchain";
import { ToolMessage } from "@langchain/core/messages";
import { spotlight } from "./spotlight.js";

export function untrustedContentMiddleware() {
  return createMiddleware({
    name: "KeelUntrustedContent",
    async wrapToolCall(request, handler) {
      const result = await handler(request);
      if (!(result instanceof ToolMessage) || typeof result.content !== "string") return result;
      return new ToolMessage({
        content: spotlight(result.content),
        tool_call_id: result.tool_call_id,
        name: result.name,
        status: result.status,
        artifact: result.artifact,
        additional_kwargs: { ...result.additional_kwargs, keel_untrusted: { source: `tool:${request.toolCall.name}`, call_id: request.toolCall.id } },
      });
    },
  });
}
