/**
 * Least privilege in the tool-execution layer: every tool call is checked against the capability manifest
 * before it runs, whatever the model was shown or told. A refused call returns a structured `forbidden` error
 * to the model and leaves an audit record; the tool does not run.
 *
 * Binding fewer tools (tool selection) is not enough on its own: a tool node executes any tool it holds when
 * the model names it, so the check has to sit here.
 */
import { createMiddleware } from "langchain";
import { ToolMessage } from "@langchain/core/messages";
import { capabilityRefusal, tenantOf } from "./manifest.js";
import { recordGuardrailEvent } from "./events.js";
import { toolFailure } from "../toolkit/tool-result.js";

export function leastPrivilegeMiddleware(agent: string) {
  return createMiddleware({
    name: "KeelLeastPrivilege",
    async wrapToolCall(request, handler) {
      const scopes = ((request.tool as { metadata?: { scopes?: string[] } } | undefined)?.metadata?.scopes ?? []) as string[];
      const configurable = request.runtime.configurable as Record<string, unknown> | undefined;
      const refusal = capabilityRefusal(agent, scopes, configurable);
      if (!refusal) return handler(request);
      recordGuardrailEvent({ kind: "capability_refused", agent, tenant: tenantOf(configurable), tool: request.toolCall.name, args: request.toolCall.args, reason: refusal });
      const failure = toolFailure("forbidden", `Not permitted: ${refusal}.`, "Tell the user this action is not permitted for them; do not try another tool to do the same.");
      return new ToolMessage({ content: JSON.stringify(failure), tool_call_id: request.toolCall.id ?? "", name: request.toolCall.name, status: "error" });
    },
  });
}
