/**
 * Fills a tool's arguments from the user's words, guided only by the tool's JSON schema: a field with a
 * `pattern` takes the first matching token, an `enum` field takes the option the request names, and well-known
 * field names (email, amount_usd, dates, periods, free text) have their own extractors. A required field with no
 * value in the request stays missing: the offline model then asks the user instead of guessing.
 */
import { contentWords } from "./relevance.js";

export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  enum?: unknown[];
  pattern?: string;
  items?: JsonSchema;
  description?: string;
  minimum?: number;
  maximum?: number;
  anyOf?: JsonSchema[];
  default?: unknown;
}

export interface FilledArguments {
  args: Record<string, unknown>;
  /** Required fields the request gave no value for. */
  missing: string[];
  /** Fields whose value came from earlier tool results rather than from the request. */
  fromContext: string[];
}

const MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];

/**
 * @param request the user's objective
 * @param context earlier tool results, searched for ids the request does not contain
 */
export function fillArguments(schema: JsonSchema, request: string, context: string[] = []): FilledArguments {
  const args: Record<string, unknown> = {};
  const missing: string[] = [];
  const fromContext: string[] = [];
  const required = new Set(schema.required ?? []);
  for (const [name, rawField] of Object.entries(schema.properties ?? {})) {
    const field = unwrapOptional(rawField);
    let value = extract(name, field, request);
    if (value === undefined && field.pattern) {
      for (const text of context) {
        value = matchPattern(field.pattern, text);
        if (value !== undefined) {
          fromContext.push(name);
          break;
        }
      }
    }
    if (value !== undefined) args[name] = value;
    // A field with a default is optional to the caller, even where the JSON schema lists it as required.
    else if (required.has(name) && field.default === undefined && rawField.default === undefined) missing.push(name);
  }
  return { args, missing, fromContext };
}

function unwrapOptional(field: JsonSchema): JsonSchema {
  if (field.anyOf) return field.anyOf.find((f) => f.type !== "null") ?? field;
  return field;
}

function extract(name: string, field: JsonSchema, request: string): unknown {
  const lname = name.toLowerCase();
  // Dates come before patterns: a date pattern alone would give from_date and to_date the same first date.
  if (lname.endsWith("date") || lname === "date") return extractDate(lname, request);
  if (field.pattern) return matchPattern(field.pattern, request);
  if (field.enum) return matchEnum(field.enum, request, lname);
  if (field.type === "array" && field.items?.enum) {
    const found = field.items.enum.filter((option) => mentions(request, String(option)));
    return found.length > 0 ? found : undefined;
  }
  if (lname === "email" || lname.endsWith("_email")) return request.match(/[\w.+-]+@[\w-]+(\.[\w-]+)+/)?.[0];
  if (lname.includes("amount") || lname.endsWith("_usd")) return extractAmount(request);
  if (lname.includes("period")) return extractPeriod(request);
  if (lname === "hours" || lname.endsWith("_hours")) return extractHours(request);
  if (lname === "address" || lname.endsWith("_address")) return extractAddress(request);
  if (field.type === "string") {
    if (["query", "text", "search", "keywords", "topic"].includes(lname)) return keywords(request);
    if (["message", "reason", "note", "body", "summary", "update", "comment", "title"].some((k) => lname.includes(k))) return request.trim();
    if (lname === "name" || lname.endsWith("_name")) return extractQuoted(request);
  }
  return undefined;
}

function matchPattern(pattern: string, text: string): string | undefined {
  const body = pattern.replace(/^\^/, "").replace(/\$$/, "");
  try {
    return text.match(new RegExp(`(?<![A-Za-z0-9])${body}(?![A-Za-z0-9])`, "i"))?.[0]?.toUpperCase();
  } catch {
    return undefined;
  }
}

/**
 * Options named in the request win; "payments api" also names "payments-api". For a `from`/`to` pair of the
 * same enum, `from` takes the first option named and `to` the last ("99 USD to EUR").
 */
function matchEnum(options: unknown[], request: string, name: string): unknown {
  const named = options.filter((option) => mentions(request, String(option)));
  if (named.length > 1 && (name.startsWith("from") || name.startsWith("to"))) {
    const byPosition = named.sort((a, b) => mentionIndex(request, String(a)) - mentionIndex(request, String(b)));
    return name.startsWith("from") ? byPosition[0] : byPosition[byPosition.length - 1];
  }
  // The longest name wins, so "partial_outage" beats "outage"-like shorter options.
  return named.sort((a, b) => String(b).length - String(a).length)[0];
}

function mentionIndex(request: string, option: string): number {
  return normalize(request).indexOf(` ${option.toLowerCase().replace(/[-_]/g, " ")}`);
}

function normalize(request: string): string {
  return ` ${request.toLowerCase().replace(/[-_]/g, " ").replace(/[^a-z0-9 ]/g, " ")} `;
}

function mentions(request: string, option: string): boolean {
  const spaced = option.toLowerCase().replace(/[-_]/g, " ");
  const text = normalize(request);
  return text.includes(` ${spaced} `) || (spaced.length > 3 && text.includes(` ${spaced}`));
}

function extractAmount(request: string): number | undefined {
  const match =
    request.match(/\$\s?(\d+(?:,\d{3})*(?:\.\d{1,2})?)/) ??
    request.match(/(\d+(?:,\d{3})*(?:\.\d{1,2})?)\s?(?:usd|dollars?)\b/i);
  return match ? Number(match[1]!.replace(/,/g, "")) : undefined;
}

function extractDate(name: string, request: string): string | undefined {
  const dates = request.match(/\b\d{4}-\d{2}-\d{2}\b/g) ?? [];
  if (dates.length === 0) return undefined;
  const isEnd = name.startsWith("to") || name.startsWith("end") || name.includes("until");
  return isEnd ? dates[dates.length - 1] : dates[0];
}

function extractPeriod(request: string): string | undefined {
  const iso = request.match(/\b(\d{4})-(\d{2})\b(?!-\d)/);
  if (iso) return `${iso[1]}-${iso[2]}`;
  const lower = request.toLowerCase();
  const month = MONTHS.findIndex((m) => lower.includes(m));
  const year = lower.match(/\b(20\d{2})\b/)?.[1];
  return month >= 0 && year ? `${year}-${String(month + 1).padStart(2, "0")}` : undefined;
}

function extractHours(request: string): number | undefined {
  const hours = request.match(/(\d+)\s*(?:h\b|hours?)/i);
  if (hours) return Number(hours[1]);
  const days = request.match(/(\d+)\s*days?/i);
  return days ? Number(days[1]) * 24 : undefined;
}

function extractAddress(request: string): string | undefined {
  const match = request.match(/\bto\s+(\d+[^.;\n]*)/i);
  return match?.[1]?.trim();
}

function extractQuoted(request: string): string | undefined {
  return request.match(/"([^"]+)"/)?.[1] ?? request.match(/'([^']+)'/)?.[1];
}

/** Content words without ids, for keyword-search fields. */
function keywords(request: string): string | undefined {
  const words = contentWords(request.replace(/\b[A-Z]{2,4}-\d+\b/g, " ")).filter((w) => !/^\d+$/.test(w));
  return words.length > 0 ? words.join(" ") : undefined;
}
