/**
 * Trajectory match: the tool calls a run made against the reference calls, with agentevals' deterministic
 * trajectory match evaluator (no LLM). Both sides are written as OpenAI-style messages, one assistant message
 * per call followed by its tool message, so parallel calls and sequential ones compare alike.
 *
 * Modes (agentevals): `strict` same calls in the same order; `unordered` same calls in any order; `superset`
 * the run made at least the reference calls; `subset` the run made no call outside the reference. Arguments:
 * `superset` (default) means every reference argument is present with the same value; `exact`, `ignore`.
 *
 * @example
 * await trajectoryMatch([{ name: "get_order", args: { order_id: "ORD-10233" } }], [{ tool: "get_order", args: { order_id: "ORD-10233" } }], "strict");
 * // { score: 1 }
 */
import { createTrajectoryMatchEvaluator, type TrajectoryMatchMode } from "agentevals";

export type ArgsMatchMode = "exact" | "ignore" | "subset" | "superset";

export interface ReferenceCall {
  tool: string;
  args?: Record<string, unknown>;
}

function asMessages(calls: readonly { name: string; args: Record<string, unknown> }[]) {
  return calls.flatMap((call, i) => [
    { role: "assistant" as const, content: "", tool_calls: [{ id: `c${i}`, type: "function", function: { name: call.name, arguments: JSON.stringify(call.args) } }] },
    { role: "tool" as const, content: "", tool_call_id: `c${i}` },
  ]);
}

/** Lower-case strings and trim them, so "ord-10233 " and "ORD-10233" compare equal in argument values. */
function normalize(value: unknown): unknown {
  if (typeof value === "string") return value.trim().toLowerCase();
  if (Array.isArray(value)) return value.map(normalize);
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normalize(v)]));
  return value;
}

export async function trajectoryMatch(
  actual: readonly { name: string; args: Record<string, unknown> }[],
  reference: readonly ReferenceCall[],
  mode: TrajectoryMatchMode = "superset",
  argsMode: ArgsMatchMode = "superset",
): Promise<{ score: number; comment: string }> {
  const evaluator = createTrajectoryMatchEvaluator({ trajectoryMatchMode: mode, toolArgsMatchMode: argsMode });
  const result = await evaluator({
    outputs: asMessages(actual.map((c) => ({ name: c.name, args: normalize(c.args) as Record<string, unknown> }))),
    referenceOutputs: asMessages(reference.map((r) => ({ name: r.tool, args: normalize(r.args ?? {}) as Record<string, unknown> }))),
  });
  const score = typeof result.score === "boolean" ? Number(result.score) : Number(result.score ?? 0);
  const comment = `${mode}/${argsMode}: got [${actual.map((c) => c.name).join(", ")}], reference [${reference.map((r) => r.tool).join(", ")}]`;
  return { score, comment };
}
