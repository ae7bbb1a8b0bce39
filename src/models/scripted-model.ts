/**
 * `ScriptedChatModel`: a chat model that answers with scripted messages in order and records every call (the
 * messages it saw and the names of the tools bound to it). For tests that need a model to do something
 * specific — call a given tool, follow an injected instruction — through the real agent code paths.
 *
 * @example
 * const model = new ScriptedChatModel([
 *   { toolCalls: [{ name: "search_tools", args: { query: "void an invoice" } }] },
 *   { text: "done" },
 * ]);
 */
import { BaseChatModel, type BaseChatModelCallOptions, type BindToolsInput } from "@langchain/core/language_models/chat_models";
import { AIMessageChunk, type BaseMessage } from "@langchain/core/messages";
import type { ChatResult } from "@langchain/core/outputs";
import type { Runnable } from "@langchain/core/runnables";
import type { BaseLanguageModelInput } from "@langchain/core/language_models/base";

export interface ScriptedTurn {
  text?: string;
  toolCalls?: { name: string; args: Record<string, unknown> }[];
}

/** One turn, or a function of the call (messages and bound tool names) for replies that depend on input. */
export type ScriptStep = ScriptedTurn | ((call: RecordedCall) => ScriptedTurn);

export interface RecordedCall {
  messages: BaseMessage[];
  toolNames: string[];
}

interface ScriptedCallOptions extends BaseChatModelCallOptions {
  tools?: BindToolsInput[];
}

export class ScriptedChatModel extends BaseChatModel<ScriptedCallOptions> {
  readonly calls: RecordedCall[] = [];
  private next = 0;

  constructor(private readonly script: ScriptStep[]) {
    super({});
  }

  override _llmType(): string {
    return "scripted";
  }

  override bindTools(tools: BindToolsInput[], kwargs?: Partial<ScriptedCallOptions>): Runnable<BaseLanguageModelInput, AIMessageChunk, ScriptedCallOptions> {
    return this.withConfig({ tools, ...kwargs } as Partial<ScriptedCallOptions>) as unknown as Runnable<BaseLanguageModelInput, AIMessageChunk, ScriptedCallOptions>;
  }

  async _generate(messages: BaseMessage[], options: this["ParsedCallOptions"]): Promise<ChatResult> {
    const call: RecordedCall = { messages, toolNames: (options.tools ?? []).map(toolName) };
    this.calls.push(call);
    const step = this.script[this.next++];
    if (!step) throw new Error(`ScriptedChatModel: the script has ${this.script.length} turns; call ${this.next} has none.`);
    const turn = typeof step === "function" ? step(call) : step;
    const message = new AIMessageChunk({
      content: turn.text ?? "",
      tool_calls: (turn.toolCalls ?? []).map((c, i) => ({ id: `scripted_${this.next}_${i}`, name: c.name, args: c.args, type: "tool_call" as const })),
      usage_metadata: { input_tokens: 0, output_tokens: 0, total_tokens: 0 },
      response_metadata: { model_name: "scripted" },
    });
    return { generations: [{ text: turn.text ?? "", message }] };
  }
}

function toolName(tool: BindToolsInput): string {
  const t = tool as { name?: string; function?: { name?: string } };
  return t.name ?? t.function?.name ?? "unknown";
}
