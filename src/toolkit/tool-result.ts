import { unspotlight } from "../guardrails/spotlight.js";

/**
 * The shape every tool answers with, success or failure, serialized as JSON in the tool message.
 * A failure tells the model which field was wrong, what was wrong and what to do next.
 */
export interface ToolSuccess<T = unknown> {
  ok: true;
  data: T;
}

export interface ToolFailure {
  ok: false;
  error: {
    /** Machine-readable cause. @example "not_found" */
    code: "invalid_arguments" | "not_found" | "invalid_state" | "forbidden" | "internal_error" | "unavailable";
    /** The argument at fault, when there is one. @example "customer_id" */
    field?: string;
    message: string;
    /** What the model should do next. @example "Ask the user for the customer id." */
    next_step: string;
  };
}

export type ToolResult<T = unknown> = ToolSuccess<T> | ToolFailure;

/** Throw from a tool's `run` for an expected failure; `defineTool` turns it into a `ToolFailure`. */
export class ToolError extends Error {
  constructor(
    readonly code: ToolFailure["error"]["code"],
    message: string,
    readonly nextStep: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = "ToolError";
  }
}

/** A record that does not exist: the usual failure of a lookup tool. */
export function notFound(what: string, id: string, field: string): ToolError {
  return new ToolError("not_found", `No ${what} with id ${id}.`, `Check the ${field} with the user; do not guess another id.`, field);
}

export function toolSuccess<T>(data: T): string {
  return JSON.stringify({ ok: true, data } satisfies ToolSuccess<T>);
}

export function toolFailure(code: ToolFailure["error"]["code"], message: string, nextStep: string, field?: string): ToolFailure {
  return { ok: false, error: { code, ...(field ? { field } : {}), message, next_step: nextStep } };
}

/** Parses a tool message's content back into a `ToolResult` (non-JSON content counts as success text). */
export function parseToolResult(content: unknown): ToolResult {
  const text = unspotlight(typeof content === "string" ? content : JSON.stringify(content));
  try {
    const value = JSON.parse(text);
    if (value && typeof value === "object" && "ok" in value) return value as ToolResult;
    return { ok: true, data: value };
  } catch {
    return { ok: true, data: text };
  }
}
