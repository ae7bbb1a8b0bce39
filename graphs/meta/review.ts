/**
 * Escalation: results a human should see before the user does — flagged for review by the agent, completed
 * with low confidence, or stating a policy without citing a knowledge-base article — pause the meta graph with
 * a review interrupt. The reviewer approves (the answer goes out), edits the answer, or rejects (the user is
 * told a human will follow up).
 */
import { interrupt } from "@langchain/langgraph";
import { z } from "zod";
import type { AgentReport } from "./merge.js";

/** Completed results below this confidence go to review. */
export const REVIEW_CONFIDENCE_THRESHOLD = 0.5;

const POLICY_CLAIM = /\b(polic(y|ies)|entitled|eligible|not allowed|allowed to|our rules?|guarantee)\b/i;
const NO_POLICY = /no knowledge-base article covers/i;

/** Why a report needs a human's review, or `undefined`. */
export function reviewReason(report: AgentReport): string | undefined {
  if (report.needs_human_review) return "the agent flagged it for human review";
  if (report.outcome === "completed" && report.confidence < REVIEW_CONFIDENCE_THRESHOLD) return `low confidence (${report.confidence.toFixed(2)})`;
  if (POLICY_CLAIM.test(report.answer) && !NO_POLICY.test(report.answer) && !report.evidence.some((id) => id.startsWith("KB-"))) {
    return "it states a policy without citing a knowledge-base article";
  }
  return undefined;
}

export const ReviewDecisionSchema = z.discriminatedUnion("decision", [
  z.object({ decision: z.literal("approve") }),
  z.object({ decision: z.literal("edit"), answer: z.string().min(1) }),
  z.object({ decision: z.literal("reject"), reason: z.string().optional() }),
]);
export type ReviewDecision = z.infer<typeof ReviewDecisionSchema>;

export interface ReviewRequest {
  type: "review";
  route: string;
  answer: string;
  evidence: string[];
  reason: string;
}

/** Puts each report that needs it before a human (one interrupt per report) and applies the decisions. */
export function reviewReports(reports: Record<string, AgentReport>): Record<string, AgentReport> | undefined {
  const flagged = Object.values(reports).filter((r) => reviewReason(r) !== undefined);
  if (flagged.length === 0) return undefined;
  const updated: Record<string, AgentReport> = {};
  for (const report of flagged) {
    const request: ReviewRequest = { type: "review", route: report.route, answer: report.answer, evidence: report.evidence, reason: reviewReason(report)! };
    let value = interrupt(request);
    // An invalid decision asks again rather than failing the run: the review stays pending.
    let parsed = ReviewDecisionSchema.safeParse(value);
    while (!parsed.success) {
      value = interrupt({ ...request, error: `Invalid review decision: ${parsed.error.issues[0]?.message ?? "unreadable"}` });
      parsed = ReviewDecisionSchema.safeParse(value);
    }
    const decision = parsed.data;
    updated[report.route] =
      decision.decision === "approve"
        ? { ...report, needs_human_review: false }
        : decision.decision === "edit"
          ? { ...report, answer: decision.answer, needs_human_review: false, confidence: 1 }
          : { ...report, outcome: "declined", answer: `A human reviewer held this answer back${decision.reason ? ` (${decision.reason})` : ""}; someone will follow up.`, needs_human_review: false };
  }
  return updated;
}
