/**
 * Metrics of a whole turn, taken where the app sees it end (graphs/app.ts): its outcome, the approvals it left
 * pending (each interrupt counted once as asked), and the task agent results it answered with.
 */
import { metrics, recordAgentReports, recordApprovalRequested, setPendingApprovals } from "./metrics.js";

export interface TurnObservation {
  threadId: string;
  tenant?: string;
  status: "answered" | "needs_approval" | "clarifying" | "stopped" | "error";
  approvals: { interruptId: string; kind: "action" | "review" | "budget"; tool: string }[];
  /** Routes of the task agent results of an answered turn. */
  reportRoutes: string[];
}

const SEEN_LIMIT = 10_000;
const seenInterrupts = new Set<string>();

export function observeTurn(turn: TurnObservation): void {
  metrics.requests.inc({ tenant: turn.tenant || "default", status: turn.status });
  if (turn.status === "error") return;
  setPendingApprovals(turn.threadId, turn.approvals.length);
  for (const approval of turn.approvals) {
    const key = `${turn.threadId}:${approval.interruptId}:${approval.tool}`;
    if (seenInterrupts.has(key)) continue;
    if (seenInterrupts.size >= SEEN_LIMIT) seenInterrupts.clear();
    seenInterrupts.add(key);
    recordApprovalRequested(approval.kind, approval.tool);
  }
  if (turn.status === "answered") recordAgentReports(turn.reportRoutes);
}
