/**
 * The cost bench's simulated-latency model: the built-in offline model (which decides, deterministically) plus a
 * fixed sleep per call, a price per token, and a record of every call it really makes (an exact-cache hit never
 * reaches it). Calls are recorded per task, with their start and end, so the bench can count sequential calls.
 */
import type { BaseMessage } from "@langchain/core/messages";
import type { ChatResult } from "@langchain/core/outputs";
import type { CallbackManagerForLLMRun } from "@langchain/core/callbacks/manager";
import type { BindToolsInput } from "@langchain/core/language_models/chat_models";
import { OfflineChatModel } from "../src/models/offline/offline-chat-model.js";

export const SIMULATED_MODEL_NAME = "sim-offline";

export interface CallRecord {
  start: number;
  end: number;
  inputTokens: number;
  outputTokens: number;
}

/** Where the calls of the task being measured go; the bench runs one task at a time. */
export class CallRecorder {
  calls: CallRecord[] = [];
  reset(): CallRecord[] {
    const done = this.calls;
    this.calls = [];
    return done;
  }
}

export interface SimulatedModelOptions {
  latencyMs: number;
  recorder: CallRecorder;
  /**
   * Tool annotations the offline model needs to treat a foreign tool as a routing option (the supervisor's
   * handoff tools): by tool name, the side-effect class and example requests it serves.
   */
  toolHints?: Record<string, { description?: string; examples: string[] }>;
}

export class SimulatedLatencyModel extends OfflineChatModel {
  constructor(private readonly sim: SimulatedModelOptions) {
    super({});
  }

  override bindTools(tools: BindToolsInput[], kwargs?: Parameters<OfflineChatModel["bindTools"]>[1]) {
    const hints = this.sim.toolHints;
    if (hints) {
      for (const tool of tools as { name?: string; description?: string; metadata?: Record<string, unknown> }[]) {
        const hint = tool.name ? hints[tool.name] : undefined;
        if (!hint) continue;
        tool.metadata = { ...tool.metadata, sideEffect: "read", examples: hint.examples };
        if (hint.description) tool.description = hint.description;
      }
    }
    return super.bindTools(tools, kwargs);
  }

  override async _generate(messages: BaseMessage[], options: this["ParsedCallOptions"], runManager?: CallbackManagerForLLMRun): Promise<ChatResult> {
    const start = performance.now();
    const result = await super._generate(messages, options, runManager);
    await new Promise((resolve) => setTimeout(resolve, this.sim.latencyMs));
    const usage = (result.generations[0]?.message as { usage_metadata?: { input_tokens: number; output_tokens: number } }).usage_metadata;
    const message = result.generations[0]!.message as { response_metadata: Record<string, unknown> };
    message.response_metadata = { ...message.response_metadata, model_name: SIMULATED_MODEL_NAME };
    this.sim.recorder.calls.push({ start, end: performance.now(), inputTokens: usage?.input_tokens ?? 0, outputTokens: usage?.output_tokens ?? 0 });
    return result;
  }
}

/**
 * Model calls on the critical path: the most calls of which none overlaps another (greedy by end time, exact
 * for intervals). Calls that ran in parallel branches count once per wave.
 */
export function sequentialCalls(calls: CallRecord[]): number {
  let count = 0;
  let lastEnd = Number.NEGATIVE_INFINITY;
  for (const call of [...calls].sort((a, b) => a.end - b.end)) {
    if (call.start >= lastEnd) {
      count++;
      lastEnd = call.end;
    }
  }
  return count;
}
