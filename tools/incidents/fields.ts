/** Schema fields, enums and lookups shared by the incidents tools. */
import { z } from "zod";
import { SERVICE_IDS } from "../../src/db/reference-data.js";
import { idField } from "../shared/fields.js";
import type { CompanyDb } from "../../src/db/index.js";
import { notFound } from "../../src/toolkit/tool-result.js";
import { SEVERITIES, type IncidentRow, type ServiceRow } from "../../src/db/rows.js";

export const serviceIdField = (what = "The service") =>
  z.enum(SERVICE_IDS).describe(`${what}, by id, e.g. payments-api`);

export const incidentIdField = (what = "The incident id") => idField("incident_id", what);

export const severityField = (what: string) => z.enum(SEVERITIES).describe(what);

export const limitField = (dflt: number, max: number, what = "results") =>
  z.number().int().min(1).max(max).optional().describe(`Maximum number of ${what} to return (default ${dflt}, at most ${max}).`);

export const hoursField = (dflt: number, max: number) =>
  z
    .number()
    .int()
    .min(1)
    .max(max)
    .optional()
    .describe(`Window length in hours, ending at the current time (default ${dflt}, at most ${max}).`);

export function loadService(db: CompanyDb, serviceId: string): ServiceRow {
  const row = db.sql.prepare("SELECT id, name, tier, status, owner_team, oncall FROM services WHERE id = ?").get(serviceId) as
    | ServiceRow
    | undefined;
  if (!row) throw notFound("service", serviceId, "service_id");
  return row;
}

export function loadIncident(db: CompanyDb, incidentId: string): IncidentRow {
  const row = db.sql
    .prepare("SELECT id, service_id, title, severity, status, started_at, resolved_at, summary FROM incidents WHERE id = ?")
    .get(incidentId) as IncidentRow | undefined;
  if (!row) throw notFound("incident", incidentId, "incident_id");
  return row;
}

/** Severity order for sorting: sev1 first. */
export const SEVERITY_ORDER_SQL = "CASE severity WHEN 'sev1' THEN 1 WHEN 'sev2' THEN 2 WHEN 'sev3' THEN 3 ELSE 4 END";

const FILLER_WORDS = new Set(
  (
    "a an the and or of to in on for with is are was were be been being it its this that these those at by about from into " +
    "any all some anyone anything did does do what whats which who when where why how show find search get list give me us our " +
    "latest last recent today yesterday now right please tell said say saying mention mentioned messages message logs log lines line"
  ).split(" "),
);

/** Search words of a free-text `query`: lower-cased, without filler words; ids like card-processor stay whole. */
export function queryTerms(query: string): string[] {
  const words = query
    .toLowerCase()
    .split(/[^a-z0-9_\-./:#]+/)
    .map((w) => w.replace(/^[-./:#]+|[-./:#]+$/g, ""))
    .filter((w) => w.length >= 2 && !FILLER_WORDS.has(w));
  return [...new Set(words)].slice(0, 8);
}

function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export type KeywordMatch = "all" | "any" | "none";

/**
 * SQL filter for a keyword query over `column`: rows containing every term (`all`); when no row does, rows
 * containing any of them (`any`); and when no row contains any term and `fallbackToAll` is set, no text filter
 * at all (`none`: the caller says so in its answer), so a wordy query still returns the latest rows of the
 * other filters. Case-insensitive substring match, so "timeout" also finds "timeouts".
 */
export function keywordClause(
  count: (clause: string, params: unknown[]) => number,
  column: string,
  query: string,
  fallbackToAll: boolean,
): { clause: string; params: unknown[]; match: KeywordMatch; terms: string[] } {
  const terms = queryTerms(query);
  const effective = terms.length ? terms : [query.toLowerCase().trim()];
  const parts = effective.map(() => `${column} LIKE ? ESCAPE '\\'`);
  const params = effective.map(likePattern);
  const all = { clause: `(${parts.join(" AND ")})`, params, match: "all" as const, terms: effective };
  if (count(all.clause, params) > 0) return all;
  const any = { clause: `(${parts.join(" OR ")})`, params, match: "any" as const, terms: effective };
  if (effective.length > 1 && count(any.clause, params) > 0) return any;
  if (fallbackToAll) return { clause: "1 = 1", params: [], match: "none", terms: effective };
  return all;
}

/** The note a read tool adds when its keyword filter matched nothing and was dropped. */
export const NO_KEYWORD_MATCH_NOTE =
  "No row contains any of the query keywords; these are the latest rows of the other filters, not matches of the query.";
