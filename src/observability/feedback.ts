/**
 * Human feedback: every approve, edit and reject of an approval is recorded in the company database
 * (`approval_feedback`) with the arguments proposed, the arguments approved and the difference between them,
 * counted in the metrics (override rate), written to the local trace log as a `keel.feedback` event, and sent
 * to LangSmith as feedback on the turn's root run when tracing is on.
 *
 * LangSmith feedback: key `human_approval`, score 1 (approve), 0.5 (edit), 0 (reject); value the decision;
 * comment the tool, the diff and the reason.
 *
 * @example
 * await recordApprovalFeedback({ threadId, runId, interruptId, kind: "action", tool: "issue_credit",
 *   proposed: { amount: 80 }, decision: { decision: "edit", args: { amount: 50 } } });
 */
import { companyDb } from "../db/index.js";
import { recordApprovalDecision } from "./metrics.js";
import { observability, type Observability } from "./observability.js";
import { readTraceRuns, traceRoots } from "./trace-log.js";

export interface ArgumentChange {
  /** Dotted path of the argument, e.g. "amount" or "address.city". */
  path: string;
  op: "added" | "removed" | "changed";
  before?: unknown;
  after?: unknown;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return !!value && typeof value === "object" && !Array.isArray(value);
}

/** What changed from `proposed` to `approved`, argument by argument (nested objects by path; arrays whole). */
export function argumentDiff(proposed: unknown, approved: unknown, prefix = ""): ArgumentChange[] {
  if (isPlainObject(proposed) && isPlainObject(approved)) {
    const changes: ArgumentChange[] = [];
    for (const key of [...new Set([...Object.keys(proposed), ...Object.keys(approved)])].sort()) {
      const path = prefix ? `${prefix}.${key}` : key;
      if (!(key in approved)) changes.push({ path, op: "removed", before: proposed[key] });
      else if (!(key in proposed)) changes.push({ path, op: "added", after: approved[key] });
      else changes.push(...argumentDiff(proposed[key], approved[key], path));
    }
    return changes;
  }
  return JSON.stringify(proposed) === JSON.stringify(approved) ? [] : [{ path: prefix || "(arguments)", op: "changed", before: proposed, after: approved }];
}

/** What waited for the human: a tool call, a result before the user sees it, or a model call over budget. */
export type ApprovalKind = "action" | "review" | "budget";

export type FeedbackDecision = { decision: "approve" } | { decision: "edit"; args: Record<string, unknown> } | { decision: "reject"; reason?: string };

export interface ApprovalFeedbackInput {
  threadId: string;
  /** Root run of the turn that asked for the approval (the LangSmith run the feedback goes on). */
  runId?: string;
  interruptId: string;
  kind: ApprovalKind;
  tool: string;
  proposed: Record<string, unknown>;
  decision: FeedbackDecision;
  userId?: string;
  tenantId?: string;
}

export interface ApprovalFeedback {
  id: number;
  threadId: string;
  runId: string | null;
  interruptId: string;
  kind: ApprovalKind;
  tool: string;
  decision: "approve" | "edit" | "reject";
  proposedArgs: Record<string, unknown>;
  approvedArgs: Record<string, unknown> | null;
  diff: ArgumentChange[];
  reason: string | null;
  userId: string | null;
  tenantId: string | null;
  sentToLangSmith: boolean;
  createdAt: string;
}

const SCORES = { approve: 1, edit: 0.5, reject: 0 } as const;

export async function recordApprovalFeedback(input: ApprovalFeedbackInput, obs: Observability = observability()): Promise<ApprovalFeedback> {
  const { decision } = input;
  const approved = decision.decision === "approve" ? input.proposed : decision.decision === "edit" ? decision.args : null;
  // A rejection approves nothing: every proposed argument counts as removed.
  const diff = approved === null ? argumentDiff(input.proposed, {}) : argumentDiff(input.proposed, approved);
  const reason = decision.decision === "reject" ? (decision.reason ?? null) : null;
  const createdAt = new Date().toISOString();
  const db = companyDb().sql;
  const id = Number(
    db
      .prepare(
        "INSERT INTO approval_feedback (thread_id, run_id, interrupt_id, kind, tool, decision, proposed_args, approved_args, diff, reason, user_id, tenant_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      )
      .run(input.threadId, input.runId ?? null, input.interruptId, input.kind, input.tool, decision.decision, JSON.stringify(input.proposed), approved === null ? null : JSON.stringify(approved), JSON.stringify(diff), reason, input.userId ?? null, input.tenantId ?? null, createdAt).lastInsertRowid,
  );
  recordApprovalDecision(input.kind, decision.decision);
  const summary = { kind: input.kind, tool: input.tool, decision: decision.decision, diff, ...(reason ? { reason } : {}), interruptId: input.interruptId };
  obs.recordEvent(input.threadId, "keel.feedback", summary, input.runId);
  let sent = false;
  if (input.runId) {
    const changes = diff.map((c) => `${c.path} ${c.op}${c.op === "changed" ? ` ${JSON.stringify(c.before)} -> ${JSON.stringify(c.after)}` : ""}`).join("; ");
    sent = await obs.sendFeedback({
      runId: input.runId,
      key: "human_approval",
      score: SCORES[decision.decision],
      value: decision.decision,
      comment: `${input.kind} ${input.tool}: ${decision.decision}${changes && decision.decision === "edit" ? ` (${changes})` : ""}${reason ? `; reason: ${reason}` : ""}`,
    });
    if (sent) db.prepare("UPDATE approval_feedback SET sent_to_langsmith = 1 WHERE id = ?").run(id);
  }
  return { id, threadId: input.threadId, runId: input.runId ?? null, interruptId: input.interruptId, kind: input.kind, tool: input.tool, decision: decision.decision, proposedArgs: input.proposed, approvedArgs: approved, diff, reason, userId: input.userId ?? null, tenantId: input.tenantId ?? null, sentToLangSmith: sent, createdAt };
}

interface FeedbackRow {
  id: number;
  thread_id: string;
  run_id: string | null;
  interrupt_id: string;
  kind: ApprovalKind;
  tool: string;
  decision: "approve" | "edit" | "reject";
  proposed_args: string;
  approved_args: string | null;
  diff: string;
  reason: string | null;
  user_id: string | null;
  tenant_id: string | null;
  sent_to_langsmith: number;
  created_at: string;
}

/** Recorded feedback, oldest first; of one thread when given. */
export function approvalFeedback(threadId?: string): ApprovalFeedback[] {
  const db = companyDb().sql;
  const rows = (threadId ? db.prepare("SELECT * FROM approval_feedback WHERE thread_id = ? ORDER BY id").all(threadId) : db.prepare("SELECT * FROM approval_feedback ORDER BY id").all()) as FeedbackRow[];
  return rows.map((r) => ({
    id: r.id,
    threadId: r.thread_id,
    runId: r.run_id,
    interruptId: r.interrupt_id,
    kind: r.kind,
    tool: r.tool,
    decision: r.decision,
    proposedArgs: JSON.parse(r.proposed_args) as Record<string, unknown>,
    approvedArgs: r.approved_args === null ? null : (JSON.parse(r.approved_args) as Record<string, unknown>),
    diff: JSON.parse(r.diff) as ArgumentChange[],
    reason: r.reason,
    userId: r.user_id,
    tenantId: r.tenant_id,
    sentToLangSmith: r.sent_to_langsmith === 1,
    createdAt: r.created_at,
  }));
}

/** The latest turn's root run id of a thread, from the local trace log (another process asked the approval). */
export function latestRootRunId(threadId: string, dir?: string): string | undefined {
  const roots = traceRoots(readTraceRuns(threadId, dir));
  return roots[roots.length - 1]?.runId;
}
