/**
 * Token accounting of a whole model call, as the provider receives it: the system message, every message, and
 * the JSON schema of every tool bound to the call (including the structured-response tool of `toolStrategy`).
 * Counted with js-tiktoken through `countPromptTokens` (src/cost/tokens.ts), the same count the offline model
 * reports as its input tokens, so a test can check one against the other.
 */
import { getEncoding, type Tiktoken } from "js-tiktoken";
import type { BaseMessage } from "@langchain/core/messages";
import { isStructuredTool } from "@langchain/core/tools";
import { toJsonSchema } from "@langchain/core/utils/json_schema";
import { countPromptTokens, countTokens } from "../cost/tokens.js";

let encoder: Tiktoken | undefined;
const encoding = () => (encoder ??= getEncoding("cl100k_base"));

/** The text cut to at most `maxTokens` tokens (whole tokens, with "…" when cut). */
export function truncateToTokens(text: string, maxTokens: number): string {
  if (maxTokens <= 0) return "";
  // Every token is at least one character; and no token is longer than this many, so the cut falls inside
  // the prefix: encoding only the prefix keeps long texts cheap.
  if (text.length <= maxTokens) return text;
  const prefix = text.slice(0, maxTokens * MAX_TOKEN_CHARS);
  const tokens = encoding().encode(prefix);
  if (tokens.length <= maxTokens && prefix.length === text.length) return text;
  return `${encoding().decode(tokens.slice(0, Math.max(0, maxTokens - 1)))}…`;
}

/** Longer than any cl100k token met in text (its longest are runs of spaces or repeated punctuation, 128 chars max). */
const MAX_TOKEN_CHARS = 128;

/** The schema of a bound tool in the shape providers receive (and the offline model counts): name, description, parameters. */
export interface ToolSchema {
  name: string;
  description: string;
  parameters: unknown;
}

/**
 * Schemas of everything bound to a model call: the request's tools plus the tools of a `toolStrategy`
 * response format (langchain binds those after every `wrapModelCall`, so middleware never sees them in `tools`).
 */
export function boundToolSchemas(tools: readonly unknown[], responseFormat?: unknown): ToolSchema[] {
  const schemas = tools.map(toolSchema);
  const strategies = Array.isArray(responseFormat) ? responseFormat : responseFormat ? [responseFormat] : [];
  for (const strategy of strategies) {
    const fn = (strategy as { tool?: { function?: { name: string; description?: string; parameters?: unknown } } }).tool?.function;
    if (fn) schemas.push({ name: fn.name, description: fn.description ?? "", parameters: fn.parameters ?? {} });
  }
  return schemas;
}

function toolSchema(tool: unknown): ToolSchema {
  if (isStructuredTool(tool as never)) {
    const t = tool as { name: string; description: string; schema: unknown };
    return { name: t.name, description: t.description, parameters: toJsonSchema(t.schema as never) };
  }
  const fn = (tool as { function?: { name: string; description?: string; parameters?: unknown } }).function;
  if (fn) return { name: fn.name, description: fn.description ?? "", parameters: fn.parameters ?? {} };
  const plain = tool as { name?: string; description?: string; schema?: unknown };
  return { name: plain.name ?? "tool", description: plain.description ?? "", parameters: plain.schema ? toJsonSchema(plain.schema as never) : {} };
}

/**
 * Token counts by text, newest kept: a long task counts the same messages and schemas at every call, and BPE
 * encoding dominated its time (about 20 ms per call) before this memo.
 */
const memo = new Map<string, number>();
const MEMO_ENTRIES = 4000;

export function memoTokens(text: string): number {
  if (text.length < 64) return countTokens(text);
  const known = memo.get(text);
  if (known !== undefined) return known;
  const counted = countTokens(text);
  memo.set(text, counted);
  if (memo.size > MEMO_ENTRIES) memo.delete(memo.keys().next().value as string);
  return counted;
}

/** `countPromptTokens` (src/cost/tokens.ts) with the memo: messages plus the JSON of the tool schemas. */
export function messageTokens(messages: BaseMessage[], toolSchemas: unknown[] = []): number {
  return countPromptTokens(messages, toolSchemas, memoTokens);
}

/** Tokens of a model call: system message (when non-empty, as langchain sends it), messages and tool schemas. */
export function callTokens(system: BaseMessage | undefined, messages: BaseMessage[], toolSchemas: unknown[] = []): number {
  const withSystem = system && system.text !== "" ? [system, ...messages] : messages;
  return messageTokens(withSystem, toolSchemas);
}
