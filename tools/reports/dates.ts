/**
 * Date and time-window helpers shared by the incidents, shipping and reports tools.
 *
 * Every window is measured from the dataset's reference time (`ctx.now`), never the wall clock, and is
 * half-open: `[fromIso, toIso)`. Timestamps in the company database are ISO 8601 UTC strings, so windows are
 * compared as strings in the same format.
 */
import { z } from "zod";
import { ToolError } from "../../src/toolkit/tool-result.js";

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/** True for a real calendar date written `YYYY-MM-DD`. */
export function isCalendarDate(value: string): boolean {
  if (!DATE_RE.test(value)) return false;
  const d = new Date(`${value}T00:00:00.000Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

/**
 * zod field for a `YYYY-MM-DD` date. Checked with a refinement rather than a regex on purpose: a JSON-schema
 * `pattern` makes the offline model's argument filler give from_date and to_date the same (first) date.
 */
export function dateField(description: string) {
  return z.string().trim().refine(isCalendarDate, "must be a real calendar date written YYYY-MM-DD").describe(description);
}

/** ISO timestamp in the database's format. */
export function toIso(date: Date): string {
  return date.toISOString();
}

/** ISO timestamp `hours` before `now`. */
export function hoursBefore(now: Date, hours: number): string {
  return toIso(new Date(now.getTime() - hours * HOUR_MS));
}

/** `YYYY-MM-DD` of a date (UTC). */
export function dayOf(date: Date | string): string {
  return (typeof date === "string" ? date : date.toISOString()).slice(0, 10);
}

/** Start of a `YYYY-MM-DD` day as an ISO timestamp. */
export function dayStartIso(day: string): string {
  return `${day}T00:00:00.000Z`;
}

/** The `YYYY-MM-DD` day `n` days after `day` (negative `n` for before). */
export function addDays(day: string, n: number): string {
  return new Date(new Date(dayStartIso(day)).getTime() + n * DAY_MS).toISOString().slice(0, 10);
}

/** Every `YYYY-MM-DD` day from `fromDay` to `toDay`, both included. */
export function daysBetween(fromDay: string, toDay: string): string[] {
  const out: string[] = [];
  for (let d = fromDay; d <= toDay && out.length < 400; d = addDays(d, 1)) out.push(d);
  return out;
}

/** Hours between two ISO timestamps. */
export function hoursBetween(fromIso: string, toIso: string): number {
  return (new Date(toIso).getTime() - new Date(fromIso).getTime()) / HOUR_MS;
}

export interface DateWindow {
  from_date: string;
  to_date: string;
  /** Inclusive start: `from_date` at 00:00 UTC. */
  fromIso: string;
  /** Exclusive end: the day after `to_date` at 00:00 UTC. */
  toIso: string;
}

/**
 * Resolves optional `from_date` / `to_date` (both inclusive days) into a window. Missing dates default to the
 * `defaultDays` days ending on the reference day. Refuses a reversed window or one longer than `maxDays`.
 */
export function resolveDateWindow(
  now: Date,
  input: { from_date?: string | undefined; to_date?: string | undefined },
  defaultDays = 7,
  maxDays = 366,
): DateWindow {
  const to_date = input.to_date ?? (input.from_date ? minDay(addDays(input.from_date, defaultDays - 1), dayOf(now)) : dayOf(now));
  const from_date = input.from_date ?? addDays(to_date, -(defaultDays - 1));
  if (from_date > to_date) {
    throw new ToolError(
      "invalid_arguments",
      `to_date ${to_date} is before from_date ${from_date}.`,
      "Ask the user for the date range again; to_date must be on or after from_date.",
      "to_date",
    );
  }
  const days = daysBetween(from_date, to_date).length;
  if (days > maxDays) {
    throw new ToolError(
      "invalid_arguments",
      `The window ${from_date}..${to_date} spans ${days} days; at most ${maxDays} are allowed.`,
      `Use a window of at most ${maxDays} days.`,
      "from_date",
    );
  }
  return { from_date, to_date, fromIso: dayStartIso(from_date), toIso: dayStartIso(addDays(to_date, 1)) };
}

function minDay(a: string, b: string): string {
  return a < b ? a : b;
}

/** Rounds to `digits` decimals. */
export function round(value: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
