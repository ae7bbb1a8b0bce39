/**
 * Counts of refused credentials by reason, for operators (the responses all say the same "Unauthorized").
 * Never holds the credential.
 */
import type { RefusalReason } from "./credentials.js";

const counts = new Map<RefusalReason, number>();

export function recordAuthRefusal(reason: RefusalReason): void {
  counts.set(reason, (counts.get(reason) ?? 0) + 1);
}

export function authRefusals(): Record<string, number> {
  return Object.fromEntries(counts);
}
