/**
 * Tool fault injection, off by default. With `KEEL_FAULTS` set, tool attempts fail at seeded, configurable rates,
 * so retries, breakers and the exactly-once ledger can be exercised on the real app (tests and the `faults` bench).
 *
 * Environment:
 * - `KEEL_FAULTS`: comma-separated `kind=rate` pairs plus an optional `seed` (default 1). Kinds:
 *   `tool_error` (fails before acting), `tool_lost_reply` (acts, then the answer is lost: the retry must get the
 *   recorded result, not act again), `tool_timeout` (hangs past `KEEL_TOOL_TIMEOUT_MS`).
 *   @example KEEL_FAULTS=tool_error=0.05,tool_lost_reply=0.03,tool_timeout=0.02,seed=42
 */
import { ConfigurationError } from "../errors.js";
import { InjectedFault } from "./transient.js";

export const TOOL_FAULT_KINDS = ["tool_error", "tool_lost_reply", "tool_timeout"] as const;
export type ToolFaultKind = (typeof TOOL_FAULT_KINDS)[number];

export interface FaultSettings {
  rates: Record<ToolFaultKind, number>;
  seed: number;
}

/** Parses `KEEL_FAULTS`; `undefined` when unset (no injection). */
export function faultSettings(env: NodeJS.ProcessEnv = process.env): FaultSettings | undefined {
  const raw = env.KEEL_FAULTS?.trim();
  if (!raw) return undefined;
  const rates: Record<ToolFaultKind, number> = { tool_error: 0, tool_lost_reply: 0, tool_timeout: 0 };
  let seed = 1;
  for (const entry of raw.split(",")) {
    const [name, value] = entry.split("=").map((s) => s.trim());
    const number = Number(value);
    if (name === "seed" && Number.isInteger(number)) seed = number;
    else if (TOOL_FAULT_KINDS.includes(name as ToolFaultKind) && value && number >= 0 && number <= 1) rates[name as ToolFaultKind] = number;
    else {
      throw new ConfigurationError(`KEEL_FAULTS has a malformed entry "${entry.trim()}".`, `Write kind=rate pairs (rate 0..1, kinds ${TOOL_FAULT_KINDS.join(", ")}) and optionally seed=<integer>; for example tool_error=0.1,seed=7.`);
    }
  }
  if (rates.tool_error + rates.tool_lost_reply + rates.tool_timeout > 1) {
    throw new ConfigurationError(`KEEL_FAULTS rates add up to more than 1 ("${raw}").`, "Lower them so their sum is at most 1.");
  }
  return { rates, seed };
}

/** mulberry32: a tiny seeded PRNG, so a fault sequence is reproducible from its seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

let injector: { key: string; settings: FaultSettings; random: () => number } | undefined;

/** The fault (if any) for the next tool attempt, drawn from the seeded sequence of the current `KEEL_FAULTS`. */
export function drawToolFault(env: NodeJS.ProcessEnv = process.env): ToolFaultKind | undefined {
  const raw = env.KEEL_FAULTS?.trim() ?? "";
  if (!raw) return undefined;
  if (injector?.key !== raw) {
    const settings = faultSettings(env)!;
    injector = { key: raw, settings, random: seededRandom(settings.seed) };
  }
  const roll = injector.random();
  let edge = 0;
  for (const kind of TOOL_FAULT_KINDS) {
    edge += injector.settings.rates[kind];
    if (roll < edge) return kind;
  }
  return undefined;
}

/** Starts the seeded sequence again (tests and bench scenarios). */
export function resetFaultInjection(): void {
  injector = undefined;
}

export function injectedFault(kind: ToolFaultKind, tool: string): InjectedFault {
  return new InjectedFault(kind, `Injected ${kind} in ${tool} (KEEL_FAULTS).`);
}

/** Things that happen to a tool call, for crash tests: after a tool's work is done and before it answers. */
export interface ToolEvent {
  kind: "tool_done";
  tool: string;
  sideEffect: string;
}
let toolEventHook: ((event: ToolEvent) => void) | undefined;

/** A test seam: crash-recovery fixtures kill the process here to lose a committed tool's answer. */
export function onToolEvent(hook: ((event: ToolEvent) => void) | undefined): void {
  toolEventHook = hook;
}

export function emitToolEvent(event: ToolEvent): void {
  toolEventHook?.(event);
}
