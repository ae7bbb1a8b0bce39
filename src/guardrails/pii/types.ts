/** PII types, named as in Microsoft Presidio so reports and datasets line up. */
export const PII_TYPES = [
  "EMAIL_ADDRESS",
  "PHONE_NUMBER",
  "CREDIT_CARD",
  "IBAN_CODE",
  "US_SSN",
  "IP_ADDRESS",
  "PERSON",
  "STREET_ADDRESS",
] as const;

export type PiiType = (typeof PII_TYPES)[number];

/** One detected value: `text.slice(start, end) === value`. `score` is the detector's confidence in 0..1. */
export interface PiiSpan {
  type: PiiType;
  start: number;
  end: number;
  value: string;
  score: number;
}

export function isPiiType(value: unknown): value is PiiType {
  return typeof value === "string" && (PII_TYPES as readonly string[]).includes(value);
}
