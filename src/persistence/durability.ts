/**
 * When checkpoints are written relative to the next step. Keel defaults to "sync": each step's checkpoint (and
 * each finished task's writes) is saved before the next step starts, so after a crash a tool call is never
 * re-planned by the model under a new tool call id once it may have acted (its ledger entry would not match).
 * LangGraph's default "async" saves while the next step runs, which a kill -9 can outrun (seen on PostgreSQL).
 *
 * Environment:
 * - `KEEL_DURABILITY`: `sync` (default), `async` (faster on a remote database; a crash may repeat an action whose
 *   plan was not yet saved) or `exit` (checkpoints only when a turn ends or pauses). @example KEEL_DURABILITY=async
 */
import { ConfigurationError } from "../errors.js";

export const DURABILITIES = ["sync", "async", "exit"] as const;
export type Durability = (typeof DURABILITIES)[number];

export function checkpointDurability(env: NodeJS.ProcessEnv = process.env): Durability {
  const value = env.KEEL_DURABILITY?.trim() || "sync";
  if (!DURABILITIES.includes(value as Durability)) {
    throw new ConfigurationError(`KEEL_DURABILITY is "${value}".`, `Use one of ${DURABILITIES.join(", ")}, or unset it for sync.`);
  }
  return value as Durability;
}

/**
 * The run config entries that apply it to a graph and to every subgraph it calls (subgraphs read
 * `configurable.__pregel_durability`; a node's nested `invoke` does not inherit the top-level option).
 */
export function durabilityConfig(env: NodeJS.ProcessEnv = process.env): { durability: Durability; configurable: { __pregel_durability: Durability } } {
  const durability = checkpointDurability(env);
  return { durability, configurable: { __pregel_durability: durability } };
}
