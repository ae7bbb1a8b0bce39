/**
 * Masking of personal data in everything a trace carries (local log and LangSmith uploads alike).
 *
 * Tools receive the real values (the PII vault restores them for the call), so their runs' inputs and outputs
 * hold personal data in clear; model runs see placeholders. Traces are masked one way with the PII detector
 * (`redactForLogs`: "[EMAIL_ADDRESS]", "[PERSON]", ...), whichever side of the vault they were taken on.
 * The same long strings (system prompts, growing histories) recur in every model call of a run, so masked
 * strings are memoised.
 */
import { redactForLogs } from "../guardrails/pii/log-mask.js";

const MEMO_LIMIT = 2_000;
const memo = new Map<string, string>();

/** A string with personal data masked. */
export function maskText(text: string): string {
  if (text.length < 4) return text;
  const hit = memo.get(text);
  if (hit !== undefined) return hit;
  const masked = redactForLogs(text);
  if (memo.size >= MEMO_LIMIT) memo.delete(memo.keys().next().value as string);
  memo.set(text, masked);
  return masked;
}

/** Every string of a JSON-like value masked (objects of any class are walked by their own enumerable keys). */
export function maskValue<T>(value: T, depth = 0): T {
  if (typeof value === "string") return maskText(value) as T;
  if (!value || typeof value !== "object" || depth > 12) return value;
  if (Array.isArray(value)) return value.map((v) => maskValue(v, depth + 1)) as T;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = maskValue(v, depth + 1);
  return out as T;
}
