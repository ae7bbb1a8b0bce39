/** Merging the task agents' results into one answer: code, not a model call, because it is pure formatting. */
import type { TaskResult } from "../agents/task-result.js";
import { ROUTES, type RouteName } from "./directory.js";

export interface AgentReport extends TaskResult {
  route: RouteName;
  /** Names of the tools the agent called, in order. */
  tools: string[];
}

const TITLES: Record<RouteName, string> = {
  support: "Support",
  incidents: "Incidents",
  finance: "Finance",
  shipping: "Shipping",
  weekly_brief: "Weekly operations brief",
};

export function mergeReports(reports: Record<string, AgentReport>): string {
  const ordered = ROUTES.map((route) => reports[route]).filter((r): r is AgentReport => Boolean(r));
  if (ordered.length === 0) return "No task agent returned a result.";
  const sections = ordered.map((report) => {
    const body = report.answer.trim();
    const evidence = report.evidence.length > 0 ? `\nEvidence: ${report.evidence.join(", ")}` : "";
    const review = report.needs_human_review ? "\n(Flagged for human review.)" : "";
    return ordered.length === 1 ? `${body}${evidence}${review}` : `${TITLES[report.route]}: ${body}${evidence}${review}`;
  });
  return sections.join("\n\n");
}
