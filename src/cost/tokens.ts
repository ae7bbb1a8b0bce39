/**
 * Offline token counting with js-tiktoken's bundled tables (`@langchain/core`'s `getNumTokens` downloads its
 * tables at run time and stalls offline).
 */
import { getEncoding, type Tiktoken } from "js-tiktoken";
import type { BaseMessage } from "@langchain/core/messages";
import { convertToOpenAITool } from "@langchain/core/utils/function_calling";

let encoder: Tiktoken | undefined;

export function countTokens(text: string): number {
  encoder ??= getEncoding("cl100k_base");
  return encoder.encode(text).length;
}

/**
 * Prompt tokens of a model call: every message plus the JSON of the tool schemas bound to it.
 * @param count how to count one text; the context budget passes a memoized counter.
 * @example countPromptTokens([new HumanMessage("hi")], [], memoizedCount)
 */
export function countPromptTokens(messages: BaseMessage[], toolSchemas: unknown[] = [], count: (text: string) => number = countTokens): number {
  let total = 0;
  for (const message of messages) {
    // ~4 tokens of framing per message, as in OpenAI's accounting.
    total += 4 + count(typeof message.content === "string" ? message.content : JSON.stringify(message.content));
    const calls = (message as { tool_calls?: unknown[] }).tool_calls;
    if (calls?.length) total += count(JSON.stringify(calls));
  }
  if (toolSchemas.length > 0) total += count(JSON.stringify(toolSchemas));
  return total;
}

/**
 * Bound tools as provider-neutral JSON schemas ({type:"function", function:{name, description, parameters}}),
 * whatever form they were bound in (LangChain tools, OpenAI dicts): what a call's estimate and cache key count.
 */
export function normalizedToolSchemas(tools: readonly unknown[] | undefined): unknown[] {
  return (tools ?? []).map((tool) => {
    try {
      return convertToOpenAITool(tool as Parameters<typeof convertToOpenAITool>[0]);
    } catch {
      const t = tool as { name?: string; description?: string };
      return { type: "function", function: { name: t.name ?? "tool", description: t.description ?? "" } };
    }
  });
}

/** Output tokens of a model reply: its text plus the JSON of its tool calls (the tiktoken fallback). */
export function countReplyTokens(message: BaseMessage | undefined): number {
  if (!message) return 0;
  const text = typeof message.content === "string" ? message.content : JSON.stringify(message.content);
  const calls = (message as { tool_calls?: unknown[] }).tool_calls;
  return countTokens(text) + (calls?.length ? countTokens(JSON.stringify(calls)) : 0);
}
