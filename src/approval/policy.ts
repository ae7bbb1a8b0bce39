/**
 * When a tool call needs a human:
 * - every `destructive` or `egress` tool;
 * - argument rules: service credits above $50;
 * - any `write` whose arguments came only from tool output (untrusted data, possibly planted there).
 * Enforced with langchain's `humanInTheLoopMiddleware`, which pauses the graph with `interrupt()` before the
 * call runs and resumes with approve / edit / reject. The request shows where each argument came from.
 * A call the capability manifest forbids is not put to a human: the least-privilege layer refuses it.
 */
import { humanInTheLoopMiddleware, type InterruptOnConfig } from "langchain";
import type { BaseMessage } from "@langchain/core/messages";
import type { ToolCall } from "@langchain/core/messages/tool";
import type { KeelToolMetadata } from "../toolkit/define-tool.js";
import { argumentOrigins, describeOrigins, taintedArguments } from "../guardrails/provenance.js";
import { capabilityRefusal } from "../guardrails/manifest.js";

/** Service credits above this many dollars need approval (knowledge-base article KB-002). */
export const CREDIT_APPROVAL_THRESHOLD_USD = 50;

/** A tool as the policy sees it: its name and Keel metadata (Keel tools and MCP tools alike). */
export interface PolicyTool {
  name: string;
  metadata: KeelToolMetadata;
}

interface ArgumentRule {
  tool: string;
  needsApproval: (args: Record<string, unknown>) => boolean;
  reason: string;
}

const ARGUMENT_RULES: ArgumentRule[] = [
  {
    tool: "issue_credit",
    needsApproval: (args) => Number(args.amount_usd) > CREDIT_APPROVAL_THRESHOLD_USD,
    reason: `credits above $${CREDIT_APPROVAL_THRESHOLD_USD} need a human's approval`,
  },
];

/** Why this call needs approval, or `undefined` when it may run unattended. */
export function approvalReason(tool: PolicyTool, args: Record<string, unknown>, messages: BaseMessage[] = []): string | undefined {
  const { sideEffect } = tool.metadata;
  if (sideEffect === "read") return undefined;
  if (sideEffect === "destructive") return "destructive actions need a human's approval";
  if (sideEffect === "egress") return "actions that send data outside need a human's approval";
  const rule = ARGUMENT_RULES.find((r) => r.tool === tool.name && r.needsApproval(args));
  if (rule) return rule.reason;
  const tainted = taintedArguments(args, messages);
  return tainted.length > 0 ? `arguments (${tainted.map((t) => t.argument).join(", ")}) come from tool output, not from the user` : undefined;
}

/** The approval middleware for an agent's tools. */
export function approvalMiddleware(tools: PolicyTool[], agent: string) {
  const interruptOn: Record<string, InterruptOnConfig> = {};
  for (const tool of tools) {
    if (tool.metadata.sideEffect === "read") continue;
    interruptOn[tool.name] = {
      allowedDecisions: ["approve", "edit", "reject"],
      description: (toolCall: ToolCall, state: { messages?: BaseMessage[] }) => {
        const messages = state.messages ?? [];
        return `${tool.name} (${tool.metadata.sideEffect}): ${approvalReason(tool, toolCall.args, messages) ?? "approval required"}.\n${describeOrigins(argumentOrigins(toolCall.args, messages))}`;
      },
      when: (request: { toolCall: ToolCall; state: { messages?: BaseMessage[] }; runtime: { configurable?: Record<string, unknown> } }) =>
        capabilityRefusal(agent, tool.metadata.scopes, request.runtime.configurable) === undefined &&
        approvalReason(tool, request.toolCall.args, request.state.messages ?? []) !== undefined,
    };
  }
  return humanInTheLoopMiddleware({ interruptOn });
}
