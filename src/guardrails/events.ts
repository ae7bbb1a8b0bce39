/**
 * Guardrail decisions (refusals, detections, redactions, approvals asked) recorded in the company database's
 * audit log, so a security review can see every one of them with its reason.
 */
import { companyDb } from "../db/index.js";
import { recordGuardrailMetric } from "../observability/metrics.js";
import { emitTraceEvent } from "../observability/trace-events.js";

export interface GuardrailEvent {
  kind: "capability_refused" | "injection_detected" | "approval_required";
  agent: string;
  tenant?: string;
  tool: string;
  args: unknown;
  reason: string;
}

export function recordGuardrailEvent(event: GuardrailEvent): void {
  companyDb()
    .sql.prepare("INSERT INTO audit_log (actor, tool, args, result, created_at) VALUES (?, ?, ?, ?, ?)")
    .run(`guardrail:${event.agent}`, event.tool, JSON.stringify(event.args ?? null), JSON.stringify({ kind: event.kind, tenant: event.tenant, reason: event.reason }), new Date().toISOString());
  // Metrics and the current run's trace (metadata in LangSmith, an event in the local log). A flag (user input
  // screened, never blocked) or an approval asked is not a block.
  const blocked = event.kind === "capability_refused" || (event.kind === "injection_detected" && !event.reason.startsWith("flag"));
  recordGuardrailMetric(event.kind, event.agent, blocked);
  emitTraceEvent("keel.guardrail", { kind: event.kind, agent: event.agent, tool: event.tool, reason: event.reason, blocked, ...(event.tenant ? { tenant: event.tenant } : {}) });
}

/** Guardrail events recorded so far (newest first), for tests and reviews. */
export function guardrailEvents(kind?: GuardrailEvent["kind"]): { tool: string; args: unknown; result: { kind: string; reason: string; tenant?: string } }[] {
  const rows = companyDb().sql.prepare("SELECT tool, args, result FROM audit_log WHERE actor LIKE 'guardrail:%' ORDER BY id DESC").all() as { tool: string; args: string; result: string }[];
  return rows
    .map((r) => ({ tool: r.tool, args: JSON.parse(r.args) as unknown, result: JSON.parse(r.result) as { kind: string; reason: string; tenant?: string } }))
    .filter((r) => !kind || r.result.kind === kind);
}
