/**
 * A task agent: langchain's `createAgent` (model -> tool node loop) with its own prompt, its own tool scope,
 * the approval middleware, and a structured `TaskResult` as its response. Compiled, it is a subgraph that the
 * meta agent calls and that LangGraph Studio can open on its own.
 */
import { createAgent, toolStrategy } from "langchain";
import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import type { BaseCheckpointSaver } from "@langchain/langgraph";
import type { KeelTool } from "../../src/toolkit/define-tool.js";
import { chatModel, tierFor, type ModelTier } from "../../src/models/provider.js";
import { approvalMiddleware } from "../../src/approval/policy.js";
import { leastPrivilegeMiddleware } from "../../src/guardrails/least-privilege.js";
import { untrustedContentMiddleware } from "../../src/guardrails/untrusted-content.js";
import { SPOTLIGHT_RULE } from "../../src/guardrails/spotlight.js";
import { outputRepairMiddleware } from "../../src/guardrails/output-repair.js";
import { piiRedactionMiddleware } from "../../src/guardrails/pii-redaction.js";
import { tenantPolicyMiddleware } from "../../src/tenancy/tenant-policy-middleware.js";
import { modelReliabilityMiddleware } from "../../src/reliability/model-chain.js";
import { TaskResultSchema } from "./task-result.js";
import { costGovernorMiddleware } from "../../src/cost/governor-middleware.js";
import { toolSelectionMiddleware } from "../../src/tool-selection/middleware.js";
import { contextBudgetMiddleware } from "../../src/context/middleware.js";
import { searchToolsTool } from "../../src/tool-selection/search-tools.js";
import { appToolIndex } from "./tool-index.js";
import type { TaskAgentName } from "../meta/directory.js";

export interface TaskAgentSpec {
  name: TaskAgentName;
  /** What the agent is for and how it must behave; the shared rules are appended. */
  instructions: string;
  tools: KeelTool[];
  /** Tier used unless `KEEL_AGENT_TIERS` says otherwise. @example "fast" */
  defaultTier: ModelTier;
}

const SHARED_RULES = `
Rules:
- Use the tools to look things up; never invent ids, amounts, dates or statuses.
- State a company policy only from a knowledge-base article you retrieved, and cite its id (KB-...). If no article covers the question, say so.
- If a tool reports invalid or missing arguments, ask the user for the value instead of guessing.
- If none of the tools you have fits, call search_tools to find more of yours.
${SPOTLIGHT_RULE}
- Actions that change or send data may pause for a human's approval; if rejected, do not retry them.
- Finish by calling task_result once with the outcome, the answer, the ids of the records and articles you used as evidence, your confidence, and whether a human should review it.`;

export interface TaskAgentOptions {
  /** Tools from elsewhere (MCP servers) that join this agent's scope, with Keel metadata. */
  extraTools?: KeelTool[];
  /** A model to use instead of the configured tier (tests pass a `ScriptedChatModel`). */
  model?: BaseChatModel;
  /** For running the agent on its own with approvals; inside the meta graph the parent's is used. */
  checkpointer?: BaseCheckpointSaver;
}

export function createTaskAgent(spec: TaskAgentSpec, options: TaskAgentOptions = {}) {
  const { extraTools = [], model, checkpointer } = options;
  const scope = [...spec.tools, ...extraTools];
  const tools: KeelTool[] = [...scope, searchToolsTool(spec.name, scope.map((t) => t.name), appToolIndex)];
  const systemPrompt = `${spec.instructions.trim()}\n${SHARED_RULES}`;
  return createAgent({
    name: spec.name,
    model: model ?? chatModel(tierFor(spec.name, spec.defaultTier)),
    tools,
    systemPrompt,
    responseFormat: toolStrategy(TaskResultSchema),
    ...(checkpointer ? { checkpointer } : {}),
    // Selection binds the tools; approvals pause risky calls; least privilege refuses forbidden ones at execution;
    // the tenant policy applies the caller's model tier and rate limits (tools, tokens).
    middleware: [toolSelectionMiddleware({ index: appToolIndex }), approvalMiddleware(scope, spec.name), leastPrivilegeMiddleware(spec.name), tenantPolicyMiddleware(spec.name, { agentTier: tierFor(spec.name, spec.defaultTier), fixedModel: model !== undefined }), piiRedactionMiddleware(), untrustedContentMiddleware(spec.name), outputRepairMiddleware("task_result"),
      // Context budget after the guards and selection: its wrapModelCall then measures what is sent (the tools
      // selection bound, redacted and spotlighted messages, repair turns); the layers below it change the model,
      // not the messages. Selection need not run after it: it ranks by the goal and latest request, which
      // compaction pins.
      contextBudgetMiddleware({ agent: spec.name, systemPrompt, tools }),
      // The cost governor sees the compacted request and admits each call (compress, fast tier, approval or stop);
      // retries and fallbacks below it are governed call by call by the model's governor callback.
      costGovernorMiddleware({ agent: spec.name }),
      // Model reliability innermost of all: a retry or fallback re-sends exactly the prepared request, and only
      // the model changes (retries with Retry-After, per-model breakers, KEEL_MODEL_FALLBACKS).
      modelReliabilityMiddleware(tierFor(spec.name, spec.defaultTier))],
  });
}

export type TaskAgent = ReturnType<typeof createTaskAgent>;
