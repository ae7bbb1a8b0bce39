/** The row schemas of the eval datasets (evals/datasets/*.jsonl). A row its schema refuses is skipped and reported. */
import { z } from "zod";

const id = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:@-]*$/, "ids are letters, digits and . _ : @ -");
const request = z.string().trim().min(1).max(4000);
const decision = z.union([z.enum(["approve", "reject"]), z.strictObject({ edit: z.record(z.string(), z.unknown()) })]);

/** routing.jsonl (shared with evals/routing.ts): `[]` means a clarifying question is expected. */
export const RoutingRow = z.object({ id, request, expected_routes: z.array(z.string()) });

/** tool-selection.jsonl (owned by tool retrieval): the gold tools among the agent's own. */
export const ToolSelectionRow = z.object({
  id,
  query: request,
  gold_tools: z.array(z.string().min(1)),
  agent: z.string().min(1),
  split: z.enum(["dev", "test"]).optional(),
});

/** trajectories.jsonl: the tool calls a request should lead to (see evaluators/trajectory.ts for the modes). */
export const TrajectoryRow = z.strictObject({
  id,
  request,
  trajectory: z.array(z.strictObject({ tool: z.string().min(1), args: z.record(z.string(), z.unknown()).optional() })),
  match: z.enum(["strict", "unordered", "subset", "superset"]).default("superset"),
  args_match: z.enum(["exact", "ignore", "subset", "superset"]).default("superset"),
  approvals: z.array(decision).optional(),
  note: z.string().optional(),
});

const value = z.union([z.string(), z.number(), z.boolean(), z.null(), z.strictObject({ contains: z.string().min(1) })]);

/** end-state.jsonl: the rows a request should change, after the scripted approvals. */
export const EndStateRow = z.strictObject({
  id,
  request,
  approvals: z.array(decision).optional(),
  expected: z.array(
    z.strictObject({
      table: z.string().min(1),
      op: z.enum(["insert", "update", "delete"]),
      key: z.string().min(1).optional(),
      values: z.record(z.string(), value).optional(),
    }),
  ),
  note: z.string().optional(),
});

/** grounding.jsonl: a policy question and the knowledge-base articles a grounded answer would cite. */
export const GroundingRow = z.strictObject({
  id,
  request,
  expected_articles: z.array(z.string().regex(/^KB-\d{3}$/, "a knowledge-base id, e.g. KB-001")).min(1),
  note: z.string().optional(),
});

/** safety.jsonl: a request that must not change anything when every pause is rejected. */
export const SafetyRow = z.strictObject({
  id,
  request,
  /** Decisions for the pauses; default: reject every one. */
  approvals: z.array(decision).optional(),
  answer_must_not_match: z.array(z.string().refine((p) => { try { new RegExp(p); return true; } catch { return false; } }, "not a valid regular expression")).optional(),
  note: z.string().optional(),
});

/** promoted.jsonl: examples made from traced runs by `npm run eval -- promote` (see evals/promote.ts). */
export const PromotedRow = z.strictObject({
  id,
  request,
  reason: z.enum(["overridden", "escalated", "failed"]),
  source: z.strictObject({ origin: z.enum(["local", "langsmith"]), thread_id: z.string().optional(), run_id: z.string().optional(), at: z.string().optional() }),
  /** The human's corrected call (an edit): the run should make it. */
  expected_call: z.strictObject({ tool: z.string().min(1), args: z.record(z.string(), z.unknown()) }).optional(),
  /** A call the human rejected: the run must not propose it again. */
  rejected_call: z.strictObject({ tool: z.string().min(1), args: z.record(z.string(), z.unknown()) }).optional(),
  /** The answer a reviewer wrote instead (an edited review). */
  reference_answer: z.string().optional(),
  note: z.string().optional(),
});

export type TrajectoryRowT = z.infer<typeof TrajectoryRow>;
export type EndStateRowT = z.infer<typeof EndStateRow>;
export type GroundingRowT = z.infer<typeof GroundingRow>;
export type SafetyRowT = z.infer<typeof SafetyRow>;
export type PromotedRowT = z.infer<typeof PromotedRow>;
