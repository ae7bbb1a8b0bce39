/**
 * What the observability handlers read off LangChain callback arguments: the agent a run belongs to, the model
 * of a call, its token usage, the tool selection retrieval made for it, and whether an "error" is an interrupt.
 */
import type { LLMResult } from "@langchain/core/outputs";
import type { BaseMessage } from "@langchain/core/messages";
import type { TokenCounts, ToolSelectionTrace, TraceMessage } from "./trace-log.js";

/** The agent of a run: langchain's `lc_agent_name` (set by `createAgent` on its runs), else "meta". */
export function agentOf(metadata: Record<string, unknown> | undefined): string {
  const name = metadata?.lc_agent_name;
  return typeof name === "string" && name ? name : "meta";
}

interface GenerationMessage {
  usage_metadata?: { input_tokens: number; output_tokens: number };
  response_metadata?: Record<string, unknown> & { model_name?: string; keel_tool_selection?: ToolSelectionTrace };
}

function firstMessage(output: LLMResult): (BaseMessage & GenerationMessage) | undefined {
  for (const generation of output.generations.flat()) {
    const message = (generation as { message?: BaseMessage & GenerationMessage }).message;
    if (message) return message;
  }
  return undefined;
}

/** Model name, tokens and tool selection of a model call's result. */
export function llmResultInfo(output: LLMResult, fallbackModel: string): { model: string; tokens?: TokenCounts; toolSelection?: ToolSelectionTrace; message?: BaseMessage } {
  const message = firstMessage(output);
  const usage = message?.usage_metadata;
  const llmOutput = output.llmOutput as { tokenUsage?: { promptTokens?: number; completionTokens?: number } } | undefined;
  const tokens = usage
    ? { input: usage.input_tokens, output: usage.output_tokens }
    : llmOutput?.tokenUsage
      ? { input: llmOutput.tokenUsage.promptTokens ?? 0, output: llmOutput.tokenUsage.completionTokens ?? 0 }
      : undefined;
  const model = message?.response_metadata?.model_name ?? fallbackModel;
  const selection = message?.response_metadata?.keel_tool_selection;
  return { model, ...(tokens ? { tokens } : {}), ...(selection ? { toolSelection: selection } : {}), ...(message ? { message } : {}) };
}

/** The model a call is made with, from the invocation parameters or the serialized model. */
export function requestedModel(extraParams: Record<string, unknown> | undefined, serializedId: string[] | undefined, metadata?: Record<string, unknown>): string {
  const params = extraParams?.invocation_params as { model?: string; model_name?: string; modelName?: string } | undefined;
  const fromMeta = metadata?.ls_model_name;
  return params?.model ?? params?.model_name ?? params?.modelName ?? (typeof fromMeta === "string" ? fromMeta : undefined) ?? serializedId?.[serializedId.length - 1] ?? "unknown";
}

/** LangGraph interrupts travel as errors through callbacks; they are pauses, not failures. */
export function isInterrupt(error: unknown): boolean {
  const name = (error as { name?: string } | undefined)?.name ?? "";
  return name === "GraphInterrupt" || name === "NodeInterrupt" || name === "ParentCommand";
}

/** A timeout, by error name or message. */
export function isTimeout(error: unknown): boolean {
  const e = error as { name?: string; message?: string } | undefined;
  return /timeout|timed ?out|aborted due to timeout/i.test(`${e?.name ?? ""} ${e?.message ?? ""}`);
}

/** A message as the trace log keeps it. */
export function traceMessage(message: BaseMessage): TraceMessage {
  const m = message as BaseMessage & { tool_calls?: { id?: string; name: string; args: unknown }[]; tool_call_id?: string };
  return {
    role: message.getType(),
    content: message.content,
    ...(message.name ? { name: message.name } : {}),
    ...(m.tool_calls?.length ? { toolCalls: m.tool_calls.map((c) => ({ ...(c.id ? { id: c.id } : {}), name: c.name, args: c.args })) } : {}),
    ...(m.tool_call_id ? { toolCallId: m.tool_call_id } : {}),
  };
}
