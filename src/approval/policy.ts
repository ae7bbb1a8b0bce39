/**
 * When a tool call needs a human: every `destructive` or `egress` tool, and the argument-dependent rules below
 * (credits above $50). Enforced with langchain's `humanInTheLoopMiddleware`, which pauses the graph with
 * `interrupt()` before the call runs and resumes with approve / edit / reject.
 */
import { humanInTheLoopMiddleware, type InterruptOnConfig } from "langchain";
import type { ToolCall } from "@langchain/core/messages/tool";
import type { KeelTool } from "../toolkit/define-tool.js";

/** Service credits above this many dollars need approval (knowledge-base article KB-002). */
export const CREDIT_APPROVAL_THRESHOLD_USD = 50;

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
export function approvalReason(tool: KeelTool, args: Record<string, unknown>): string | undefined {
  const { sideEffect } = tool.metadata;
  if (sideEffect === "destructive") return "destructive actions need a human's approval";
  if (sideEffect === "egress") return "actions that send data outside need a human's approval";
  return ARGUMENT_RULES.find((rule) => rule.tool === tool.name && rule.needsApproval(args))?.reason;
}

/** The approval middleware for an agent's tools. */
export function approvalMiddleware(tools: KeelTool[]) {
  const interruptOn: Record<string, InterruptOnConfig> = {};
  for (const tool of tools) {
    const alwaysAsk = tool.metadata.sideEffect === "destructive" || tool.metadata.sideEffect === "egress";
    const rules = ARGUMENT_RULES.filter((rule) => rule.tool === tool.name);
    if (!alwaysAsk && rules.length === 0) continue;
    interruptOn[tool.name] = {
      allowedDecisions: ["approve", "edit", "reject"],
      description: (toolCall: ToolCall) =>
        `${tool.name} (${tool.metadata.sideEffect}): ${approvalReason(tool, toolCall.args) ?? "approval required"}.\nArguments: ${JSON.stringify(toolCall.args)}`,
      ...(alwaysAsk ? {} : { when: (request: { toolCall: ToolCall }) => approvalReason(tool, request.toolCall.args) !== undefined }),
    };
  }
  return humanInTheLoopMiddleware({ interruptOn });
}
