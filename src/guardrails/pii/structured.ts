/**
 * Detectors of the structured PII types: regular expressions for the shape, then a check that removes look-alikes
 * (Luhn and issuer prefix for cards, mod-97 for IBANs, SSA rules for SSNs, octet ranges and `net.isIPv6` for IPs,
 * digit counts, grouping and context words for phone numbers).
 *
 * Boundaries: a value never starts right after a letter, digit, `-` or `.`, so the digits of record ids
 * (CUS-1042, ORD-10233, HW-HUB-01) and of decimals never start a match.
 */
import { isIPv6 } from "node:net";
import { cardPrefixValid, IBAN_LENGTHS, ibanValid, luhnValid, ssnValid } from "./checksums.js";
import type { PiiSpan, PiiType } from "./types.js";

const span = (type: PiiType, text: string, start: number, end: number, score: number): PiiSpan => ({
  type,
  start,
  end,
  value: text.slice(start, end),
  score,
});

/** Up to `n` characters before `at` on the same line; when that line holds only a label (e.g. "Phone:"), the label. */
function before(text: string, at: number, n: number): string {
  const lineStart = text.lastIndexOf("\n", at - 1) + 1;
  let s = text.slice(Math.max(lineStart, at - n), at);
  if (!s.trim() && lineStart > 0) {
    const prevStart = text.lastIndexOf("\n", lineStart - 2) + 1;
    s = text.slice(Math.max(prevStart, lineStart - 1 - n), lineStart - 1) + " ";
  }
  return s;
}

const after = (text: string, at: number, n: number): string => {
  const lineEnd = text.indexOf("\n", at);
  return text.slice(at, Math.min(lineEnd < 0 ? text.length : lineEnd, at + n));
};

// ---------------------------------------------------------------------------------------------------------------
// Email
// ---------------------------------------------------------------------------------------------------------------

const EMAIL_RE = /(?<![\p{L}\p{N}._%+\-])[\p{L}\p{N}_%+\-]+(?:\.[\p{L}\p{N}_%+\-]+)*@(?:[\p{L}\p{N}](?:[\p{L}\p{N}\-]{0,61}[\p{L}\p{N}])?\.)+\p{L}{2,24}(?![\p{L}\p{N}_\-]|\.[\p{L}\p{N}])/gu;

export function detectEmails(text: string): PiiSpan[] {
  const out: PiiSpan[] = [];
  for (const m of text.matchAll(EMAIL_RE)) out.push(span("EMAIL_ADDRESS", text, m.index, m.index + m[0].length, 1));
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Credit cards
// ---------------------------------------------------------------------------------------------------------------

const CARD_RE = /(?<![\p{L}\p{N}_\-.,])\d(?:[ \-]?\d){11,18}(?![\p{L}\p{N}_]|[.,\-]\d)/gu;
/** Numbers introduced by these words are parcel or document numbers, even when they pass Luhn. */
const NOT_CARD_BEFORE = /(?<![a-z])(?:tracking|track|waybill|awb|parcel|shipment|consignment)[^\n]{0,20}$/i;

/** Card groupings: contiguous, 4-4-4-4(-1..3), 4-4-4-1..3 (13-15), 4-6-5 / 4-6-4 (Amex, Diners). */
function cardGroupingOk(raw: string): boolean {
  const groups = raw.split(/[ \-]/);
  if (groups.length === 1) return true;
  if (new Set(raw.replace(/\d/g, "")).size > 1) return false; // mixed separators
  const lens = groups.map((g) => g.length);
  const key = lens.join("-");
  if (key === "4-6-5" || key === "4-6-4") return true;
  return lens.slice(0, -1).every((l) => l === 4) && lens[lens.length - 1]! >= 1 && lens[lens.length - 1]! <= 4;
}

export function detectCreditCards(text: string): PiiSpan[] {
  const out: PiiSpan[] = [];
  for (const m of text.matchAll(CARD_RE)) {
    const raw = m[0];
    const digits = raw.replace(/\D/g, "");
    if (!cardGroupingOk(raw) || !luhnValid(digits) || !cardPrefixValid(digits)) continue;
    if (/^(\d)\1+$/.test(digits)) continue;
    if (NOT_CARD_BEFORE.test(before(text, m.index, 40))) continue;
    out.push(span("CREDIT_CARD", text, m.index, m.index + raw.length, 1));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// IBAN
// ---------------------------------------------------------------------------------------------------------------

const IBAN_RE = /(?<![\p{L}\p{N}_\-])[A-Za-z]{2}\d{2}(?: ?[A-Za-z0-9]){10,30}/gu;

export function detectIbans(text: string): PiiSpan[] {
  const out: PiiSpan[] = [];
  for (const m of text.matchAll(IBAN_RE)) {
    const raw = m[0];
    const length = IBAN_LENGTHS[raw.slice(0, 2).toUpperCase()];
    if (!length) continue;
    // Take exactly `length` alphanumerics from the start (the match may run into the next word).
    let count = 0;
    let end = 0;
    while (end < raw.length && count < length) {
      if (raw[end] !== " ") count++;
      end++;
    }
    if (count < length) continue;
    const next = text[m.index + end];
    if (next !== undefined && /[\p{L}\p{N}_]/u.test(next)) continue; // the IBAN must end at a word boundary
    const value = raw.slice(0, end);
    // Spaced form: groups of 4 (the last may be shorter), as printed; contiguous otherwise.
    if (value.includes(" ") && !/^[A-Za-z]{2}\d{2}(?: [A-Za-z0-9]{4})*(?: [A-Za-z0-9]{1,4})?$/.test(value)) continue;
    if (!ibanValid(value)) continue;
    out.push(span("IBAN_CODE", text, m.index, m.index + end, 1));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// US SSN
// ---------------------------------------------------------------------------------------------------------------

const SSN_RE = /(?<![\p{L}\p{N}_\-.,])(\d{3})([\- ]?)(\d{2})\2(\d{4})(?![\p{L}\p{N}_]|[.,\-]\d)/gu;
const SSN_CONTEXT = /\b(?:ssn|ss#|ss no|social security|social sec|taxpayer|tin|itin)\b[^\n]{0,25}$/i;

export function detectSsns(text: string): PiiSpan[] {
  const out: PiiSpan[] = [];
  for (const m of text.matchAll(SSN_RE)) {
    if (!ssnValid(m[0])) continue;
    const dashed = m[2] === "-";
    // 123-45-6789 is the SSN's own format; spaced or bare nine digits need an SSN word before them.
    if (!dashed && !SSN_CONTEXT.test(before(text, m.index, 40))) continue;
    out.push(span("US_SSN", text, m.index, m.index + m[0].length, dashed ? 0.85 : 0.9));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// IP addresses
// ---------------------------------------------------------------------------------------------------------------

const OCTET = "(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";
const IPV4_RE = new RegExp(`(?<![\\p{L}\\p{N}_.\\-])${OCTET}(?:\\.${OCTET}){3}(?![\\p{L}\\p{N}_]|\\.\\d)`, "gu");
const IPV6_RE = /(?<![\p{L}\p{N}_:.])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:\d{1,3}(?:\.\d{1,3}){3}|[0-9A-Fa-f]{1,4})?(?:%[\p{L}\p{N}_.]+)?(?![\p{L}\p{N}_:])/gu;

export function detectIps(text: string): PiiSpan[] {
  const out: PiiSpan[] = [];
  for (const m of text.matchAll(IPV4_RE)) {
    // "v1.2.3.4" and "version 1.2.3.4" are versions, not hosts.
    if (/\bv(?:ersion)?\s?$/i.test(text.slice(Math.max(0, m.index - 8), m.index))) continue;
    out.push(span("IP_ADDRESS", text, m.index, m.index + m[0].length, 0.95));
  }
  for (const m of text.matchAll(IPV6_RE)) {
    const raw = m[0];
    const address = raw.split("%")[0]!;
    if (!isIPv6(address)) continue;
    // At least two groups with digits, so "a::b"-like tokens and "::1" alone are not taken.
    if ((address.match(/[0-9A-Fa-f]+/g) ?? []).length < 2) continue;
    out.push(span("IP_ADDRESS", text, m.index, m.index + raw.length, 0.95));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Phone numbers
// ---------------------------------------------------------------------------------------------------------------

/**
 * Digit groups with single separators (space, `-`, `.`), an optional `+`/`00` country prefix, area codes in
 * parentheses (also "(0)"), and an optional extension ("x123", "ext. 12").
 */
const PHONE_RE =
  /(?<![\p{L}\p{N}_+\-.\/@#$€£¥])(?:\+|(?=\())?(?:\(\d{1,5}\)[ .\-]?)?\d{1,12}(?:(?:[ .\-]|[ .\-]?\(\d{1,4}\)[ .\-]?)\d{1,8}){0,7}(?:[ ]?(?:x|ext\.?|#)[ ]?\d{1,6})?(?![\p{L}\p{N}_]|[.\-]\d|[,.]\d)/gu;

/** Words that introduce a phone number on the same line (or as the label line above it). */
const PHONE_BEFORE =
  /(?:\b(?:phone|phones|tel|telephone|mobile|cell|cellphone|fax|desk|landline|hotline|call|calls|calling|called|dial|ring|text|texts|sms|whatsapp|signal|contact|reach|answering|answer|messages?)\b[^\n\d]{0,24}$)|(?:\b(?:office|home|work|direct|main)\s*[:=]\s*$)/i;
/** Labels right after a number ("416 60 039 office", "3660170548-Fax"). */
const PHONE_AFTER = /^[ \t]*[-–,(]?[ \t]*(?:office|fax|mobile|cell|home|work|desk|phone|tel|direct|landline)\b/i;

function phoneShape(raw: string): { digits: number; groups: string[]; strong: boolean; reject: boolean } {
  const core = raw.replace(/[ ]?(?:x|ext\.?|#)[ ]?\d{1,6}$/, "");
  const hasExt = core.length !== raw.length;
  const plus = core.startsWith("+");
  const groups = core.replace(/^\+/, "").split(/[ .\-()]+/).filter(Boolean);
  const digits = groups.join("").length;
  const lens = groups.map((g) => g.length);
  const seps = core.replace(/[\d+]/g, "");
  let reject = digits < 7 || digits > 15;
  // Dates (2024-05-01, 01.05.2024, 5/5/1999 has no match), decimals (12345.67), dotted quads (IPs, versions).
  if (groups.length === 3 && !core.includes("(")) {
    const [a, b, c] = groups.map(Number) as [number, number, number];
    if (lens[0] === 4 && a >= 1900 && a <= 2099 && b >= 1 && b <= 12 && c >= 1 && c <= 31) reject = true;
    if ((lens[2] === 4 || lens[2] === 2) && a >= 1 && a <= 31 && b >= 1 && b <= 31 && lens[0]! <= 2 && lens[1]! <= 2) reject = true;
  }
  if (groups.length === 2 && seps === ".") reject = true;
  if (groups.length === 4 && seps === "..." && lens.every((l) => l <= 3)) reject = true;
  // 3-2-4 with dashes is the SSN shape: a phone only with a phone word.
  const ssnShape = lens.join("-") === "3-2-4" && seps === "--";
  const nanp = /^(?:(?:\+?1|001)[ .\-]?)?(?:\(\d{3}\)[ .\-]?|\d{3}[ .\-])\d{3}[ .\-]\d{4}$/.test(core);
  const international = (plus || /^00\d/.test(core)) && groups.length >= 2 && digits >= 8;
  const grouped = groups.length >= 3 && digits >= 9 && lens.every((l) => l >= 2) && new Set(seps.replace(/[()]/g, "")).size <= 1 && !ssnShape;
  // A trunk "0" and 9-12 digits in two or more groups: the usual national format in Europe and elsewhere.
  const trunk = core.startsWith("0") && groups.length >= 2 && digits >= 9 && digits <= 12 && !ssnShape;
  const strong = !reject && (nanp || international || grouped || trunk || (hasExt && groups.length >= 2 && digits >= 10));
  return { digits, groups, strong, reject };
}

export function detectPhones(text: string): PiiSpan[] {
  const out: PiiSpan[] = [];
  for (const m of text.matchAll(PHONE_RE)) {
    let raw = m[0].replace(/[ .\-]+$/, "");
    const start = m.index;
    // Greedy runs may swallow a following number ("555-123-4567 24"); drop trailing groups until it fits.
    for (let attempt = 0; attempt < 4 && raw.length > 0; attempt++) {
      const shape = phoneShape(raw);
      if (!shape.reject) {
        const context =
          PHONE_BEFORE.test(before(text, start, 40)) || PHONE_AFTER.test(after(text, start + raw.length, 20));
        if (shape.strong || context) {
          out.push(span("PHONE_NUMBER", text, start, start + raw.length, shape.strong ? (context ? 0.95 : 0.75) : 0.7));
        }
        break;
      }
      if (shape.digits < 7) break;
      const cut = raw.search(/[ .\-][^ .\-]*$/);
      if (cut <= 0) break;
      raw = raw.slice(0, cut);
    }
  }
  return out;
}
