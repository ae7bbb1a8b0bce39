/**
 * `defineTool`: the one way a primitive tool is made in Keel.
 *
 * A Keel tool is a LangChain `DynamicStructuredTool` (so `ToolNode`, `createAgent` and LangGraph Studio take it
 * as it is) plus three promises the runtime relies on:
 * - its metadata says what it touches: domain, side-effect class, idempotency and the scopes it needs;
 * - bad arguments come back as a structured error naming the field, never as an exception;
 * - any failure inside the tool (a missing record, a broken invariant, a database error) also comes back as a
 *   structured error, so a tool never throws through the graph.
 *
 * LangChain's own parsing throws `ToolInputParsingException` with prose; the model acts better on
 * `{field, problem, next_step}`, so `call` validates first and answers with that shape.
 */
import { DynamicStructuredTool } from "@langchain/core/tools";
import { ToolMessage } from "@langchain/core/messages";
import type { RunnableConfig } from "@langchain/core/runnables";
import { createHash } from "node:crypto";
import { z } from "zod";
import { companyDb, type CompanyDb } from "../db/index.js";
import { ToolError, toolFailure, toolSuccess, type ToolFailure } from "./tool-result.js";
import { runToolResiliently } from "../reliability/tool-policy.js";
import { isOpenBreaker } from "../reliability/policy.js";
import { isTransientError } from "../reliability/transient.js";

export const DOMAINS = ["support", "incidents", "finance", "shipping", "reports"] as const;
export type Domain = (typeof DOMAINS)[number];

/** What a tool can do to the world. `destructive` and `egress` always need a human's approval. */
export const SIDE_EFFECTS = ["read", "write", "destructive", "egress"] as const;
export type SideEffect = (typeof SIDE_EFFECTS)[number];

export interface KeelToolMetadata {
  /** Task domain that owns the tool. @example "finance" */
  domain: Domain;
  /** Side-effect class. @example "destructive" */
  sideEffect: SideEffect;
  /** Whether running it twice with the same arguments has the same effect as once. @example true */
  idempotent: boolean;
  /** Scopes a caller must hold. @example ["finance:read"] */
  scopes: string[];
  /** Example requests this tool serves; used for tool retrieval and by the offline model. */
  examples?: string[];
  [key: string]: unknown;
}

/** What a tool's `run` receives besides its arguments. */
export interface ToolContext {
  /** The company database (SQLite, opened and seeded on first use). */
  db: CompanyDb;
  /** Who is acting, for the audit log: the configured user id, or "agent". */
  actor: string;
  /** The company's "now" (the dataset's reference time), so SLA and date logic is reproducible. */
  now: Date;
  /** Run config of the current call, for tools that need thread or tenant ids. */
  config: RunnableConfig;
  /** Name of the tool being run, for its audit row. @example "issue_refund" */
  toolName: string;
  /**
   * Identifies this tool call across retries and resumes: thread, checkpoint namespace and tool call id.
   * Write tools record their result under it and answer a repeated call with the recorded result.
   * Absent when the tool is called outside a graph (no thread or no tool call id).
   */
  idempotencyKey?: string;
}

export interface ToolSpec<S extends z.ZodObject> {
  /** snake_case name the model calls. @example "get_customer" */
  name: string;
  /** Written for a model: what it does, when to use it, what it returns. */
  description: string;
  /** zod input schema; each field carries a `.describe()` for the model. */
  schema: S;
  metadata: KeelToolMetadata;
  /** The work. Return plain JSON data; throw `ToolError` for an expected failure the model should act on. */
  run: (input: z.infer<S>, ctx: ToolContext) => unknown | Promise<unknown>;
}

export class KeelTool<S extends z.ZodObject = z.ZodObject> extends DynamicStructuredTool {
  declare metadata: KeelToolMetadata;
  readonly inputSchema: S;

  constructor(spec: ToolSpec<S>) {
    super({
      name: spec.name,
      description: spec.description,
      schema: spec.schema,
      metadata: spec.metadata,
      func: async (input: unknown, _runManager?: unknown, config?: RunnableConfig) =>
        runSafely(spec, input as z.infer<S>, config ?? {}),
    });
    this.inputSchema = spec.schema;
  }

  /** Validates before LangChain does, so bad arguments become a structured error instead of an exception. */
  override async call(arg: unknown, configArg?: unknown, tags?: string[]): Promise<any> {
    const toolCall = isToolCall(arg) ? arg : undefined;
    const input = toolCall ? toolCall.args : arg;
    const parsed = this.inputSchema.safeParse(input);
    if (!parsed.success) {
      const failure = validationFailure(parsed.error);
      const callId = toolCall?.id ?? (configArg as { toolCall?: { id?: string } } | undefined)?.toolCall?.id;
      return formatFailure(this.name, failure, callId);
    }
    return super.call(arg as any, configArg as any, tags);
  }
}

/** Makes a Keel tool. See the module comment for what it guarantees. */
export function defineTool<S extends z.ZodObject>(spec: ToolSpec<S>): KeelTool<S> {
  return new KeelTool(spec);
}

export function isKeelTool(value: unknown): value is KeelTool {
  return value instanceof KeelTool;
}

async function runSafely<S extends z.ZodObject>(spec: ToolSpec<S>, input: z.infer<S>, config: RunnableConfig) {
  const callId = (config as { toolCall?: { id?: string } }).toolCall?.id;
  try {
    const db = companyDb();
    const ctx: ToolContext = {
      db,
      actor: String(config.configurable?.user_id ?? "agent"),
      now: db.referenceNow,
      config,
      toolName: spec.name,
      idempotencyKey: idempotencyKey(config, callId),
    };
    // Timeout, retries of transient failures and the tool's breaker (src/reliability/tool-policy.ts).
    const data = await runToolResiliently({ ...spec.metadata, name: spec.name, idempotencyKey: ctx.idempotencyKey }, () => spec.run(input, ctx));
    return toolSuccess(data);
  } catch (error) {
    const failure =
      error instanceof ToolError
        ? toolFailure(error.code, error.message, error.nextStep, error.field)
        : isOpenBreaker(error)
          ? toolFailure("unavailable", `${spec.name} is failing repeatedly and is paused (circuit breaker open).`, "Tell the user this action is temporarily unavailable and to try again in a minute; do not retry now.")
          : isTransientError(error)
            ? toolFailure("unavailable", `${spec.name} failed after retries: ${(error as Error).message}`, "Tell the user the action could not be completed right now and may be retried later.")
            : toolFailure("internal_error", `The tool failed: ${(error as Error).message}`, "Tell the user the action could not be completed; do not retry with the same arguments.");
    return formatFailure(spec.name, failure, callId);
  }
}

/**
 * Thread, checkpoint namespace and tool call id. The namespace (e.g. `support:<task id>|tools:<task id>`) carries
 * task ids that LangGraph derives from the checkpoint a task runs from, so the key names the checkpoint too: the
 * same when that task is retried or resumed from it, new in a later turn even if a model repeats a call id
 * (tests/idempotency-key.test.ts).
 */
function idempotencyKey(config: RunnableConfig, callId: string | undefined): string | undefined {
  const thread = config.configurable?.thread_id;
  if (!thread || !callId) return undefined;
  const namespace = String(config.configurable?.checkpoint_ns ?? "");
  return createHash("sha256").update(`${thread}\u0000${namespace}\u0000${callId}`).digest("hex");
}

function validationFailure(error: z.ZodError): ToolFailure {
  const issue = error.issues[0]!;
  const field = issue.path.join(".") || undefined;
  const all = error.issues.map((i) => `${i.path.join(".") || "(input)"}: ${i.message}`).join("; ");
  return toolFailure(
    "invalid_arguments",
    all,
    "Ask the user for the correct value of the named field rather than guessing, then call the tool again.",
    field,
  );
}

function formatFailure(name: string, failure: ToolFailure, toolCallId: string | undefined) {
  const content = JSON.stringify(failure);
  return toolCallId ? new ToolMessage({ content, tool_call_id: toolCallId, name, status: "error" }) : content;
}

function isToolCall(value: unknown): value is { id?: string; args: unknown; name: string } {
  return typeof value === "object" && value !== null && "args" in value && "name" in value && (value as any).type === "tool_call";
}
