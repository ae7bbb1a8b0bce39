/**
 * Runs one eval example through the whole app (`createKeelApp`: router, task agents, middleware, tools, the
 * seeded database) and records what happened: the answer, the tool calls with their results, the approvals
 * asked for, token usage and cost, wall time, and every row the run changed. The database is restored after
 * each example (see db-changes.ts), so examples are independent and can run in any order.
 *
 * Tool calls and results are read back from the run's checkpoints (every task agent checkpoints under its own
 * namespace), so nothing in graphs/ needs an eval hook.
 *
 * @example
 * const runner = await AppRunner.open();
 * const run = await runner.run({ request: "Cancel order ORD-10500", approvals: ["approve"] });
 * run.changes; // [{ table: "orders", op: "update", key: "ORD-10500", ... }, ...]
 */
import { MemorySaver } from "@langchain/langgraph";
import type { BaseMessage } from "@langchain/core/messages";
import { createKeelApp, type KeelApp, type PendingApproval, type TurnResult } from "../../graphs/app.js";
import { companyDb } from "../../src/db/index.js";
import { textOf } from "../../src/models/offline/planner.js";
import { ROUTES } from "../../graphs/meta/directory.js";
import { inSandbox, type RowChange } from "./db-changes.js";

/** A human's answer to each pause, in order: approve, reject, or edit with new arguments (or a new answer for a review). */
export type ScriptedDecision = "approve" | "reject" | { edit: Record<string, unknown> };

export interface ExampleInput {
  request: string;
  /**
   * Decisions for the pauses the run meets, in order; a pause with no decision left ends the run there. Or a
   * function that decides from the pause itself (e.g. approve reviews, reject actions).
   */
  approvals?: ScriptedDecision[] | ((pending: PendingApproval) => ScriptedDecision | undefined);
  /** The decision for review pauses when `approvals` is a list (they gate the answer, not an action). @default "approve" */
  reviews?: ScriptedDecision;
  userId?: string;
}

export interface ToolCallRecord {
  /** The task agent that made the call. */
  agent: string;
  id: string;
  name: string;
  args: Record<string, unknown>;
  /** The tool's result text (absent when the call never ran, e.g. a rejected approval). */
  result?: string;
  ok?: boolean;
}

export interface AppRun {
  status: TurnResult["status"] | "error";
  answer: string;
  routes: string[];
  toolCalls: ToolCallRecord[];
  /** Every pause the run met, with what was decided. */
  approvals: (Pick<PendingApproval, "kind" | "tool" | "args"> & { decision: string })[];
  reports: TurnResult["reports"];
  usage: { modelCalls: number; inputTokens: number; outputTokens: number; costUsd: number | undefined };
  latencyMs: number;
  changes: RowChange[];
  error?: string;
}

const decisionPayload = (d: ScriptedDecision, pending: PendingApproval) =>
  d === "approve" ? { decision: "approve" } : d === "reject" ? { decision: "reject", reason: "rejected by the eval script" } : pending.kind === "review" ? { decision: "edit", args: { answer: d.edit.answer } } : { decision: "edit", args: d.edit };

const decisionName = (d: ScriptedDecision) => (typeof d === "string" ? d : "edit");

export class AppRunner {
  private constructor(
    private readonly app: KeelApp,
    private readonly saver: MemorySaver,
  ) {}

  static async open(): Promise<AppRunner> {
    // Checkpoints in memory: eval threads stay out of the data directory, and their messages can be read back.
    const saver = new MemorySaver();
    return new AppRunner(await createKeelApp({ checkpointer: saver }), saver);
  }

  async close(): Promise<void> {
    await this.app.close();
  }

  async run(input: ExampleInput): Promise<AppRun> {
    const started = performance.now();
    const usage = { modelCalls: 0, inputTokens: 0, outputTokens: 0, costUsd: 0 as number | undefined };
    const approvals: AppRun["approvals"] = [];
    const routes = new Set<string>();
    let threadId = "";
    let turn: TurnResult | undefined;
    let error: string | undefined;
    const add = (t: TurnResult) => {
      usage.modelCalls += t.usage.modelCalls;
      usage.inputTokens += t.usage.inputTokens;
      usage.outputTokens += t.usage.outputTokens;
      usage.costUsd = usage.costUsd === undefined || t.usage.costUsd === undefined ? undefined : usage.costUsd + t.usage.costUsd;
    };
    const { changes } = await inSandbox(companyDb().sql, async () => {
      try {
        turn = await this.app.run(input.request, { userId: input.userId, onProgress: (e) => e.kind === "route" && e.routes.forEach((r) => routes.add(r)) });
        threadId = turn.threadId;
        add(turn);
        const script = input.approvals;
        const decisions = typeof script === "function" ? [] : [...(script ?? [])];
        // Bounded: a run that keeps pausing after 10 decisions is stopped where it is.
        for (let pauses = 0; turn.status === "needs_approval" && pauses < 10; pauses++) {
          const pending = turn.approvals[0]!;
          const decision = typeof script === "function" ? script(pending) : pending.kind === "review" ? (input.reviews ?? "approve") : decisions.shift();
          approvals.push({ kind: pending.kind, tool: pending.tool, args: pending.args, decision: decision ? decisionName(decision) : "none" });
          if (!decision) break;
          turn = await this.app.resume(threadId, decisionPayload(decision, pending));
          add(turn);
        }
      } catch (e) {
        error = e instanceof Error ? e.message : String(e);
      }
    });
    const toolCalls = threadId ? await this.toolCalls(threadId) : [];
    return {
      status: error ? "error" : turn!.status,
      answer: turn?.answer ?? "",
      routes: [...routes],
      toolCalls,
      approvals,
      reports: turn?.reports ?? [],
      usage,
      latencyMs: performance.now() - started,
      changes,
      ...(error ? { error } : {}),
    };
  }

  /** Every tool call of every task agent in the thread, agents in route order, calls in the order made. */
  private async toolCalls(threadId: string): Promise<ToolCallRecord[]> {
    const latest = new Map<string, BaseMessage[]>();
    for await (const tuple of this.saver.list({ configurable: { thread_id: threadId } })) {
      const ns = String(tuple.config.configurable?.checkpoint_ns ?? "");
      const messages = ((tuple.checkpoint.channel_values as { messages?: BaseMessage[] }).messages ?? []) as BaseMessage[];
      if (ns && messages.length > (latest.get(ns)?.length ?? -1)) latest.set(ns, messages);
    }
    const order = (ns: string) => ROUTES.indexOf(ns.split(":")[0] as (typeof ROUTES)[number]);
    const calls: ToolCallRecord[] = [];
    for (const [ns, messages] of [...latest].sort((a, b) => order(a[0]) - order(b[0]))) {
      const agent = ns.split(":")[0]!;
      const results = new Map<string, BaseMessage>();
      for (const m of messages) if (m.getType() === "tool") results.set((m as { tool_call_id?: string }).tool_call_id ?? "", m);
      for (const m of messages) {
        if (m.getType() !== "ai") continue;
        for (const call of (m as { tool_calls?: { id?: string; name: string; args: Record<string, unknown> }[] }).tool_calls ?? []) {
          if (call.name === "task_result") continue;
          const result = results.get(call.id ?? "");
          calls.push({
            agent,
            id: call.id ?? "",
            name: call.name,
            args: call.args,
            ...(result ? { result: textOf(result), ok: (result as { status?: string }).status !== "error" } : {}),
          });
        }
      }
    }
    return calls;
  }
}
