/**
 * Keel's programmatic API: the meta graph compiled with a checkpointer, plus run / resume / approvals with
 * validation at the edge, so bad input is refused before it touches a model, the database or a checkpoint.
 *
 * @example
 * const app = await createKeelApp();
 * const turn = await app.run("why was customer CUS-1042 charged twice?");
 * if (turn.status === "needs_approval") await app.resume(turn.threadId, { decision: "approve" });
 * await app.close();
 */
import { randomUUID } from "node:crypto";
import { Command, type BaseCheckpointSaver, type BaseStore } from "@langchain/langgraph";
import { HumanMessage, type BaseMessage } from "@langchain/core/messages";
import { z } from "zod";
import { buildMetaGraph, type MetaGraphOptions, type MetaStateType } from "./meta/meta-graph.js";
import type { ReviewRequest } from "./meta/review.js";
import type { AgentReport } from "./meta/merge.js";
import { buildTaskAgents, type TaskAgents } from "./agents/index.js";
import { registerExtraTools } from "./agents/tool-index.js";
import { loadMcpTools, readMcpConfig, type LoadedMcpTools } from "../src/mcp/mcp-tools.js";
import { openCheckpointer, type CheckpointerHandle } from "../src/persistence/checkpointer.js";
import { durabilityConfig } from "../src/persistence/durability.js";
import { validateRequest } from "../src/app/request.js";
import { UsageTracker, type UsageTotals } from "../src/cost/usage-tracker.js";
import { textOf } from "../src/models/offline/planner.js";
import { InvalidRequestError, InvalidResumeError, UnknownThreadError } from "../src/errors.js";
import { toProgressEvents, TokenStreamer, type ProgressEvent, type TokenEvent } from "./progress.js";
import { isKeelTool, type KeelTool } from "../src/toolkit/define-tool.js";
import { capabilityManifest } from "../src/guardrails/manifest.js";
import { openMemoryStore, type MemoryStoreHandle } from "../src/context/memory-store.js";
import { useMemoryStore } from "../src/context/memory.js";
import { BudgetExceededError, budgetStopOf } from "../src/cost/governor.js";
import { closeExactCache } from "../src/cache/exact-cache.js";
import { beginRequest, isBudgetRequest, requestUsage, spendSummary, validateCostSettings } from "../src/cost/app-support.js";
import { setupObservability, type Observability } from "../src/observability/observability.js";
import { observeTurn } from "../src/observability/turn-metrics.js";
import { recordBudgetStop } from "../src/observability/metrics.js";
import { latestRootRunId, recordApprovalFeedback, type FeedbackDecision } from "../src/observability/feedback.js";

/** A human's answer to an approval request. */
export const ApprovalDecisionSchema = z.discriminatedUnion("decision", [
  z.object({ decision: z.literal("approve") }),
  z.object({ decision: z.literal("edit"), args: z.record(z.string(), z.unknown()) }),
  z.object({ decision: z.literal("reject"), reason: z.string().optional() }),
]);
export type ApprovalDecision = z.infer<typeof ApprovalDecisionSchema>;

export interface PendingApproval {
  interruptId: string;
  /**
   * "action": a tool call waits for approval; "review": a result waits for a human's review before the user sees it;
   * "budget": a model call over budget waits for a human's go-ahead (src/cost/governor-middleware.ts).
   */
  kind: "action" | "review" | "budget";
  /** The tool of an action, or `review:<route>` for a review. */
  tool: string;
  /** The action's arguments, or `{ answer }` for a review. */
  args: Record<string, unknown>;
  description: string;
}

export interface TurnResult {
  threadId: string;
  /** "stopped": a budget stopped the turn; `answer` says which budget and what to do. */
  status: "answered" | "needs_approval" | "clarifying" | "stopped";
  /** The answer (or the clarifying question); absent while an approval is pending. */
  answer?: string;
  approvals: PendingApproval[];
  reports: AgentReport[];
  usage: UsageTotals;
}

export interface RunOptions {
  /** Continue a conversation; a new thread is started when absent. */
  threadId?: string;
  /** Called with progress as the graph works: routing, tool calls, results, approvals. */
  onProgress?: (event: ProgressEvent) => void;
  /** Who is acting, recorded in the audit log of write tools. */
  userId?: string;
  /** The tenant the turn acts and spends for (budgets, capabilities); default "default". @example "acme" */
  tenantId?: string;
  /**
   * Called with the agents' answer text as the models produce it (token by token with a streaming provider; one
   * piece per model call with the offline model). The merged answer still comes in the result.
   * @example app.run(request, { onToken: (t) => process.stderr.write(t.text) })
   */
  onToken?: (event: TokenEvent) => void;
}

export interface KeelApp {
  run(request: string, options?: RunOptions): Promise<TurnResult>;
  resume(threadId: string, decision: unknown, options?: Omit<RunOptions, "threadId">): Promise<TurnResult>;
  pendingApprovals(threadId: string): Promise<PendingApproval[]>;
  /**
   * Finishes a turn that a crash cut short: runs the graph on from the thread's last checkpoint (writes of tasks
   * that had finished are kept; the rest run again, and write tools answer repeats from their ledger). A thread
   * with nothing left to run returns its current result; one waiting for an approval is refused (resume it).
   */
  recover(threadId: string, options?: Omit<RunOptions, "threadId">): Promise<TurnResult>;
  /** Where checkpoints are kept, for start-up messages. */
  readonly checkpoints: string;
  close(): Promise<void>;
}

function toolsByName(agents: TaskAgents): Map<string, KeelTool> {
  return new Map(
    Object.values(agents)
      .flatMap((agent) => (agent.options.tools ?? []) as unknown[])
      .filter(isKeelTool)
      .map((tool) => [tool.name, tool]),
  );
}

export interface KeelAppOptions {
  /** A checkpointer of your own; default: SQLite in the data directory, or PostgreSQL with `DATABASE_URL`. */
  checkpointer?: BaseCheckpointSaver;
  /** MCP servers whose tools join the agents (see src/mcp/mcp-tools.ts); default: `KEEL_MCP_CONFIG`. */
  mcpConfigFile?: string;
  /** Tracing, metrics and feedback; default: from the environment (src/observability/observability.ts). */
  observability?: Observability;
  /** Task agents of your own (e.g. on another model, for benches); default: the app's, with MCP tools. */
  agents?: TaskAgents;
  /** The meta agent's router model, fast routing and semantic cache (see graphs/meta/meta-graph.ts). */
  meta?: MetaGraphOptions;
  /**
   * Where remembered facts live (src/context/memory.ts); default: in memory, or PostgreSQL with `DATABASE_URL`.
   * @example createKeelApp({ memoryStore: new InMemoryStore() })
   */
  memoryStore?: BaseStore;
}

export async function createKeelApp(options: KeelAppOptions = {}): Promise<KeelApp> {
  capabilityManifest(); // a malformed manifest stops start-up, naming the entry
  durabilityConfig(); // a malformed KEEL_DURABILITY stops start-up, naming it
  validateCostSettings(); // so do malformed prices, budgets or cache settings
  const mcpFile = options.mcpConfigFile ?? process.env.KEEL_MCP_CONFIG;
  const mcp: LoadedMcpTools | undefined = mcpFile ? await loadMcpTools(readMcpConfig(mcpFile)) : undefined;
  if (mcp) registerExtraTools(Object.values(mcp.byAgent).flat() as unknown as KeelTool[]);
  const agents = options.agents ?? buildTaskAgents((mcp?.byAgent ?? {}) as Partial<Record<keyof TaskAgents, KeelTool[]>>);
  const knownTools = toolsByName(agents);
  const handle: CheckpointerHandle | undefined = options.checkpointer ? undefined : await openCheckpointer();
  // Agents run inside the meta graph's nodes and do not inherit a graph store: the memory store is process-wide.
  const memory: MemoryStoreHandle | undefined = options.memoryStore ? undefined : await openMemoryStore();
  useMemoryStore(options.memoryStore ?? memory!.store);
  const saver = options.checkpointer ?? handle!.saver;
  const graph = buildMetaGraph(agents, options.meta).compile({ checkpointer: saver, name: "meta" });
  const obs = options.observability ?? (await setupObservability());
  // Root run id of each thread's latest turn: feedback on an approval goes on the run that asked for it.
  const lastRootRun = new Map<string, string>();

  const configFor = (threadId: string, userId?: string, extra: Record<string, unknown> = {}) => ({ configurable: { thread_id: threadId, ...(userId ? { user_id: userId } : {}), ...extra } });

  async function snapshot(threadId: string) {
    return graph.getState(configFor(threadId), { subgraphs: true });
  }

  async function pending(threadId: string): Promise<PendingApproval[]> {
    const state = await snapshot(threadId);
    const approvals: PendingApproval[] = [];
    for (const task of state.tasks) {
      for (const intr of task.interrupts ?? []) {
        const value = intr.value as { actionRequests?: { name: string; args: Record<string, unknown>; description?: string }[] } & Partial<ReviewRequest>;
        for (const action of value.actionRequests ?? []) {
          approvals.push({ interruptId: intr.id ?? "", kind: "action", tool: action.name, args: action.args, description: action.description ?? "" });
        }
        if (isBudgetRequest(intr.value)) {
          approvals.push({ interruptId: intr.id ?? "", kind: "budget", tool: `budget:${intr.value.breach.scope}`, args: { ...intr.value.breach, model: intr.value.model, agent: intr.value.agent, ladder: intr.value.ladder }, description: intr.value.description });
        }
        if (value.type === "review") {
          approvals.push({ interruptId: intr.id ?? "", kind: "review", tool: `review:${value.route}`, args: { answer: value.answer }, description: `Review before sending (${value.reason}): ${value.answer}` });
        }
      }
    }
    return approvals;
  }

  /** Records a human's decision (with the argument diff) and sends it as LangSmith feedback when tracing is on. */
  async function feedback(threadId: string, approval: PendingApproval, decision: FeedbackDecision, who: Omit<RunOptions, "threadId">): Promise<void> {
    await recordApprovalFeedback({
      threadId,
      runId: lastRootRun.get(threadId) ?? latestRootRunId(threadId, obs.settings.traceDir),
      interruptId: approval.interruptId,
      kind: approval.kind,
      tool: approval.tool,
      proposed: approval.args,
      decision,
      ...(who.userId ? { userId: who.userId } : {}),
      ...(who.tenantId ? { tenantId: who.tenantId } : {}),
    }, obs);
  }

  /** A budget stop ends the turn with its message (status "stopped") instead of an error. */
  async function drive(input: unknown, threadId: string, runOptions: Omit<RunOptions, "threadId">): Promise<TurnResult> {
    const costScope = beginRequest(threadId, input instanceof Command, runOptions.tenantId);
    try {
      return await driveTurn(input, threadId, runOptions, costScope);
    } catch (error) {
      // A stop in a task agent arrives wrapped by langchain (MiddlewareError); one in the router, as it is.
      const stop: BudgetExceededError | undefined = budgetStopOf(error);
      if (!stop) throw error;
      const usage = { ...requestUsage(costScope.request_id), ...spendSummary(threadId, costScope.tenant_id) };
      return { threadId, status: "stopped", answer: stop.message, approvals: [], reports: [], usage };
    }
  }

  async function driveTurn(input: unknown, threadId: string, runOptions: Omit<RunOptions, "threadId">, costScope: Record<string, string>): Promise<TurnResult> {
    const tracker = new UsageTracker();
    const runId = randomUUID();
    lastRootRun.set(threadId, runId);
    const seen = new Set<string>();
    try {
      const durable = durabilityConfig();
      const stream = await graph.stream(input as never, {
        ...configFor(threadId, runOptions.userId, { ...costScope, ...durable.configurable }),
        // Each step saved before the next starts (KEEL_DURABILITY), so a crash never re-plans an action that ran.
        durability: durable.durability,
        // "messages" only when someone listens for tokens: it costs a callback per streamed chunk.
        streamMode: runOptions.onToken ? ["updates", "messages"] : ["updates"],
        subgraphs: true,
        runId,
        runName: "meta",
        metadata: { thread_id: threadId, tenant_id: costScope.tenant_id, agent_path: "meta", ...(runOptions.userId ? { user_id: runOptions.userId } : {}) },
        callbacks: [tracker, ...obs.callbacks()],
      });
      // Middleware nodes re-emit the model's message in their updates: report each tool call and result once.
      const tokens = new TokenStreamer();
      for await (const [namespace, mode, payload] of stream as AsyncIterable<[string[], string, unknown]>) {
        if (mode === "messages") {
          const [message, metadata] = payload as [unknown, Record<string, unknown> | undefined];
          for (const event of tokens.events(namespace, message, metadata)) runOptions.onToken?.(event);
          continue;
        }
        for (const event of toProgressEvents(namespace, payload as Record<string, unknown>, seen)) runOptions.onProgress?.(event);
      }
    } catch (error) {
      // A stop in a task agent arrives wrapped (langchain's MiddlewareError): look through the cause.
      const stop = budgetStopOf(error);
      if (stop) recordBudgetStop(costScope.tenant_id, stop.breach.scope);
      observeTurn({ threadId, tenant: costScope.tenant_id, status: stop ? "stopped" : "error", approvals: [], reportRoutes: [] });
      throw error;
    }
    const approvals = await pending(threadId);
    const state = await snapshot(threadId);
    const values = state.values as MetaStateType;
    const reports = Object.values(values.reports ?? {});
    const usage = { ...tracker.totals(), ...spendSummary(threadId, costScope.tenant_id!) };
    if (approvals.length > 0) {
      observeTurn({ threadId, tenant: costScope.tenant_id, status: "needs_approval", approvals, reportRoutes: [] });
      for (const approval of approvals) runOptions.onProgress?.({ kind: "approval", tool: approval.tool, args: approval.args, description: approval.description });
      return { threadId, status: "needs_approval", approvals, reports, usage };
    }
    const last = lastAiMessage(values.messages ?? []);
    const status = values.pendingClarification ? "clarifying" : "answered";
    observeTurn({ threadId, tenant: costScope.tenant_id, status, approvals: [], reportRoutes: reports.map((r) => r.route) });
    return { threadId, status, answer: last ? textOf(last) : "", approvals: [], reports, usage };
  }

  return {
    checkpoints: handle?.description ?? "custom checkpointer",

    async run(request, runOptions = {}) {
      const text = validateRequest(request);
      const threadId = runOptions.threadId ?? randomUUID();
      if (runOptions.threadId && (await pending(threadId)).length > 0) {
        throw new InvalidRequestError(`Thread ${threadId} is waiting for an approval.`, "Approve, edit or reject the pending action first (resume), then send the next message.");
      }
      return drive({ messages: [new HumanMessage(text)] }, threadId, runOptions);
    },

    async resume(threadId, decision, runOptions = {}) {
      const state = await snapshot(threadId);
      if (!state.createdAt) throw new UnknownThreadError(`No conversation has thread id ${threadId}.`, "Check the id; start a new conversation to get one.");
      const approvals = await pending(threadId);
      if (approvals.length === 0) throw new InvalidResumeError(`Thread ${threadId} has no pending approval.`, "Send a new request instead of resuming.");
      const parsed = ApprovalDecisionSchema.safeParse(decision);
      if (!parsed.success) {
        throw new InvalidResumeError(
          `The approval decision is invalid: ${parsed.error.issues.map((i) => `${i.path.join(".") || "decision"}: ${i.message}`).join("; ")}.`,
          'Send {"decision":"approve"}, {"decision":"edit","args":{...}} or {"decision":"reject","reason":"..."}.',
        );
      }
      if (approvals.length > 1) {
        throw new InvalidResumeError(`Thread ${threadId} has ${approvals.length} pending approvals.`, "Resume them one at a time through the LangGraph API with a map of interrupt ids.");
      }
      const [approval] = approvals as [PendingApproval];
      const value = parsed.data;
      if (approval.kind === "budget") {
        if (value.decision === "edit") throw new InvalidResumeError("A budget approval cannot be edited.", 'Resume with {"decision":"approve"} or {"decision":"reject"}; the call is still waiting.');
        await feedback(threadId, approval, value, runOptions);
        return drive(new Command({ resume: { decision: value.decision } }), threadId, runOptions);
      }
      if (approval.kind === "review") {
        const answer = value.decision === "edit" ? value.args.answer : undefined;
        if (value.decision === "edit" && (typeof answer !== "string" || !answer.trim())) {
          throw new InvalidResumeError("Editing a review needs args.answer: the answer to send instead.", "Resume with {\"decision\":\"edit\",\"args\":{\"answer\":\"...\"}}; the review is still waiting.");
        }
        const reviewDecision = value.decision === "edit" ? { decision: "edit", answer } : value.decision === "reject" ? { decision: "reject", reason: value.reason } : { decision: "approve" };
        await feedback(threadId, approval, value, runOptions);
        return drive(new Command({ resume: reviewDecision }), threadId, runOptions);
      }
      if (value.decision === "edit") {
        const tool = knownTools.get(approval.tool);
        const check = tool?.inputSchema.safeParse(value.args);
        if (check && !check.success) {
          throw new InvalidResumeError(
            `The edited arguments for ${approval.tool} are invalid: ${check.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}.`,
            "Correct them and resume again; the action is still waiting.",
          );
        }
      }
      await feedback(threadId, approval, value, runOptions);
      const hitlDecision =
        value.decision === "approve"
          ? { type: "approve" }
          : value.decision === "edit"
            ? { type: "edit", editedAction: { name: approval.tool, args: value.args } }
            : { type: "reject", message: `A human rejected ${approval.tool}${value.reason ? `: ${value.reason}` : "."}` };
      return drive(new Command({ resume: { decisions: [hitlDecision] } }), threadId, runOptions);
    },

    pendingApprovals: pending,

    async recover(threadId, runOptions = {}) {
      const state = await snapshot(threadId);
      if (!state.createdAt) throw new UnknownThreadError(`No conversation has thread id ${threadId}.`, "Check the id; start a new conversation to get one.");
      if ((await pending(threadId)).length > 0) {
        throw new InvalidRequestError(`Thread ${threadId} is waiting for an approval, not cut short.`, "Approve, edit or reject the pending action (resume) instead.");
      }
      // `null` input continues from the checkpoint; on a finished thread nothing runs and the result is read back.
      return drive(null, threadId, runOptions);
    },

    async close() {
      await obs.flush();
      await handle?.close();
      await memory?.close();
      await mcp?.close();
      await closeExactCache(); // a Redis connection would keep the process alive; the cache reopens on next use
    },
  };
}

function lastAiMessage(messages: BaseMessage[]): BaseMessage | undefined {
  return [...messages].reverse().find((m) => m.getType() === "ai");
}
