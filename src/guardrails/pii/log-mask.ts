/**
 * One-way masking for logs and traces: each detected value becomes its type in brackets, e.g. "[EMAIL_ADDRESS]".
 * With `correlate`, a short keyed hash is added ("[EMAIL_ADDRESS:3fa29c1e]") so that log lines about the same value
 * can be matched up; the key is random per process, so the hash cannot be reversed by trying values offline.
 */
import { createHmac, randomBytes } from "node:crypto";
import { detectPii } from "./detect.js";

export interface LogMaskOptions {
  correlate?: boolean;
}

const processKey = randomBytes(32);

export function redactForLogs(text: string, options: LogMaskOptions = {}): string {
  const spans = detectPii(text);
  if (spans.length === 0) return text;
  let out = "";
  let at = 0;
  for (const s of spans) {
    out += text.slice(at, s.start);
    const tag = options.correlate ? `${s.type}:${createHmac("sha256", processKey).update(s.value).digest("hex").slice(0, 8)}` : s.type;
    out += `[${tag}]`;
    at = s.end;
  }
  return out + text.slice(at);
}

/** `redactForLogs` over every string of a JSON-like value (for structured log records). */
export function redactValueForLogs<T>(value: T, options: LogMaskOptions = {}): T {
  if (typeof value === "string") return redactForLogs(value, options) as T;
  if (Array.isArray(value)) return value.map((v) => redactValueForLogs(v, options)) as T;
  if (value && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactValueForLogs(v, options)])) as T;
  }
  return value;
}
