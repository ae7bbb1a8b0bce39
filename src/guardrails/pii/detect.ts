/**
 * `detectPii(text)`: every detector, then one non-overlapping list of spans.
 *
 * Overlaps are resolved by type priority, checksum-backed types first: EMAIL_ADDRESS, IBAN_CODE, CREDIT_CARD,
 * IP_ADDRESS, US_SSN, PHONE_NUMBER, STREET_ADDRESS, PERSON (longer span first within a type). Spans touching one
 * of the app's record ids (CUS-1042, ORD-10233, HW-HUB-01, KB-001...) are dropped: ids are never PII.
 */
import { detectAddresses } from "./address.js";
import { detectPersons } from "./person.js";
import { detectCreditCards, detectEmails, detectIbans, detectIps, detectPhones, detectSsns } from "./structured.js";
import type { PiiSpan, PiiType } from "./types.js";

export const TYPE_PRIORITY: readonly PiiType[] = [
  "EMAIL_ADDRESS",
  "IBAN_CODE",
  "CREDIT_CARD",
  "IP_ADDRESS",
  "US_SSN",
  "PHONE_NUMBER",
  "STREET_ADDRESS",
  "PERSON",
];

/** Record ids of the app and similar codes: upper-case prefix(es), a dash, digits ("CUS-1042", "SP-LBL-46"). */
const RECORD_ID_RE = /(?<![\p{L}\p{N}_])[A-Z]{2,6}(?:-[A-Z0-9]{2,6})*-\d{2,8}(?![\p{L}\p{N}_])/gu;

export interface DetectOptions {
  /** Only these types (default: all). */
  types?: readonly PiiType[];
}

export function detectPii(text: string, options: DetectOptions = {}): PiiSpan[] {
  if (!text) return [];
  const want = new Set(options.types ?? TYPE_PRIORITY);
  const found: PiiSpan[] = [];
  if (want.has("EMAIL_ADDRESS")) found.push(...detectEmails(text));
  if (want.has("IBAN_CODE")) found.push(...detectIbans(text));
  if (want.has("CREDIT_CARD")) found.push(...detectCreditCards(text));
  if (want.has("IP_ADDRESS")) found.push(...detectIps(text));
  if (want.has("US_SSN")) found.push(...detectSsns(text));
  if (want.has("PHONE_NUMBER")) found.push(...detectPhones(text));
  if (want.has("STREET_ADDRESS")) found.push(...detectAddresses(text));
  if (want.has("PERSON")) found.push(...detectPersons(text));
  if (found.length === 0) return [];

  const ids: [number, number][] = [];
  for (const m of text.matchAll(RECORD_ID_RE)) ids.push([m.index, m.index + m[0].length]);
  const rank = (t: PiiType) => TYPE_PRIORITY.indexOf(t);
  found.sort((a, b) => rank(a.type) - rank(b.type) || b.end - b.start - (a.end - a.start) || a.start - b.start);
  const kept: PiiSpan[] = [];
  for (let s of found) {
    if (s.end <= s.start) continue;
    if (ids.some(([a, b]) => s.start < b && a < s.end)) continue;
    const clash = kept.filter((k) => s.start < k.end && k.start < s.end);
    if (clash.length > 0) {
      // A long, rule-based span (address, name) that runs into a stronger one keeps its part before it.
      if (s.type !== "STREET_ADDRESS" && s.type !== "PERSON") continue;
      const cut = Math.min(...clash.map((k) => k.start));
      if (cut <= s.start) continue;
      let end = cut;
      while (end > s.start && /[\s,;:(\-]/.test(text[end - 1]!)) end--;
      if (end - s.start < 3) continue;
      s = { ...s, end, value: text.slice(s.start, end) };
    }
    kept.push(s);
  }
  return kept.sort((a, b) => a.start - b.start);
}
