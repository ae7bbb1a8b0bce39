/**
 * The built-in offline model: a deterministic stand-in for a chat model, so the app, the Studio graphs and
 * every test run with no key and no network. It is a LangChain chat model with real tool calling: it decides
 * with sentence embeddings and the bound tools' schemas (see planner.ts), and reports token usage counted
 * with tiktoken, so cost accounting and tracing see it like any provider.
 */
import { BaseChatModel, type BaseChatModelCallOptions, type BindToolsInput } from "@langchain/core/language_models/chat_models";
import { AIMessageChunk, type BaseMessage } from "@langchain/core/messages";
import type { ChatResult } from "@langchain/core/outputs";
import type { CallbackManagerForLLMRun } from "@langchain/core/callbacks/manager";
import type { Runnable } from "@langchain/core/runnables";
import type { BaseLanguageModelInput } from "@langchain/core/language_models/base";
import { isStructuredTool } from "@langchain/core/tools";
import { toJsonSchema } from "@langchain/core/utils/json_schema";
import type { JsonSchema } from "./argument-filler.js";
import { extractStructured, planToolStep, textOf, isResponseTool, type OfflineTool } from "./planner.js";
import { countPromptTokens, countTokens } from "../../cost/tokens.js";

export const OFFLINE_MODEL_NAME = "keel-offline";

export interface OfflineCallOptions extends BaseChatModelCallOptions {
  tools?: BindToolsInput[];
}

export class OfflineChatModel extends BaseChatModel<OfflineCallOptions> {
  readonly model = OFFLINE_MODEL_NAME;

  static override lc_name() {
    return "OfflineChatModel";
  }

  override _llmType(): string {
    return OFFLINE_MODEL_NAME;
  }

  override bindTools(tools: BindToolsInput[], kwargs?: Partial<OfflineCallOptions>): Runnable<BaseLanguageModelInput, AIMessageChunk, OfflineCallOptions> {
    return this.withConfig({ tools, ...kwargs } as Partial<OfflineCallOptions>) as unknown as Runnable<BaseLanguageModelInput, AIMessageChunk, OfflineCallOptions>;
  }

  async _generate(messages: BaseMessage[], options: this["ParsedCallOptions"], _runManager?: CallbackManagerForLLMRun): Promise<ChatResult> {
    const tools = (options.tools ?? []).map(toOfflineTool);
    // A single non-Keel tool that is not a final-answer tool is a structured-output request (withStructuredOutput).
    const structured = tools.length === 1 && tools[0]!.sideEffect === "structured_output" && !isResponseTool(tools[0]!);
    const decided = structured ? await extractStructured(messages, tools[0]!) : await planToolStep(messages, tools);
    const inputTokens = countPromptTokens(messages, tools.map((t) => ({ name: t.name, description: t.description, parameters: t.parameters })));
    const outputTokens = countTokens(textOf(decided) + JSON.stringify(decided.tool_calls ?? []));
    // Chunks, as streaming providers return: langchain's structured-output parser insists on AIMessageChunk.
    const message = new AIMessageChunk({
      content: decided.content,
      tool_calls: decided.tool_calls ?? [],
      usage_metadata: { input_tokens: inputTokens, output_tokens: outputTokens, total_tokens: inputTokens + outputTokens },
      response_metadata: { model_name: OFFLINE_MODEL_NAME, finish_reason: decided.tool_calls?.length ? "tool_calls" : "stop" },
    });
    return { generations: [{ text: textOf(message), message }] };
  }
}

function toOfflineTool(input: BindToolsInput): OfflineTool {
  if (isStructuredTool(input)) {
    const metadata = ((input as { metadata?: unknown }).metadata ?? {}) as { examples?: string[]; sideEffect?: string };
    return {
      name: input.name,
      description: input.description,
      parameters: toJsonSchema(input.schema as never) as JsonSchema,
      examples: metadata.examples ?? [],
      sideEffect: metadata.sideEffect ?? "write",
    };
  }
  const fn = (input as { function?: { name: string; description?: string; parameters?: unknown } }).function;
  if (fn) {
    return { name: fn.name, description: fn.description ?? "", parameters: (fn.parameters ?? {}) as JsonSchema, examples: [], sideEffect: "structured_output" };
  }
  const plain = input as { name?: string; description?: string; schema?: unknown };
  return {
    name: plain.name ?? "tool",
    description: plain.description ?? "",
    parameters: (plain.schema ? toJsonSchema(plain.schema as never) : {}) as JsonSchema,
    examples: [],
    sideEffect: "structured_output",
  };
}
