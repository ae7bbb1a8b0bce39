/**
 * zod fields that recur across domains, written once so every tool names and describes them the same way
 * (the offline model's argument extraction and tool retrieval rely on the names).
 */
import { z } from "zod";
import { ID_PATTERNS } from "../../src/db/reference-data.js";

const ID_EXAMPLES: Record<keyof typeof ID_PATTERNS, string> = {
  customer_id: "CUS-1042",
  ticket_id: "TCK-5000",
  invoice_id: "INV-20000",
  payment_id: "PAY-30000",
  order_id: "ORD-10233",
  shipment_id: "SHP-40000",
  incident_id: "INC-700",
  article_id: "KB-001",
};

/** A record id checked against `ID_PATTERNS`. @example idField("customer_id", "The customer to look up") */
export function idField(kind: keyof typeof ID_PATTERNS, what: string) {
  const example = ID_EXAMPLES[kind];
  return z.string().regex(ID_PATTERNS[kind], `Expected an id like ${example}`).describe(`${what}, e.g. ${example}`);
}

/** How many records a read tool returns at most. */
export function limitField(defaultLimit: number, max = 50) {
  return z
    .number()
    .int()
    .min(1)
    .max(max)
    .default(defaultLimit)
    .describe(`Maximum number of records to return (default ${defaultLimit}, at most ${max}).`);
}

/** A calendar month "YYYY-MM". */
export function periodField(what: string) {
  return z
    .string()
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/, "Expected a month as YYYY-MM")
    .describe(`${what} as YYYY-MM, e.g. 2026-11`);
}

/** A calendar date "YYYY-MM-DD" (UTC). */
export function dateField(what: string) {
  return z
    .string()
    .regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, "Expected a date as YYYY-MM-DD")
    .describe(`${what} as YYYY-MM-DD (UTC), e.g. 2026-11-03`);
}

/** Why an action is taken; stored in the record and the audit log. */
export function reasonField(what: string) {
  return z.string().trim().min(3).max(500).describe(what);
}
