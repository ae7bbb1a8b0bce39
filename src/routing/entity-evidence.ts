/**
 * Record evidence for routing, read off the task agents' own tool schemas: a request that names a value only one
 * route's tools accept (an id matching a parameter's `pattern`, such as TCK-5088, or one of a parameter's `enum`
 * values, such as the service `support-portal` or the carrier DHL) is evidence for that route, whatever its other
 * words say ("did anything break on support-portal?" is about the service, not about support).
 *
 * Nothing is listed by hand: new tools bring their ids and enums with them. A value that several routes' tools
 * accept (a customer id) is evidence for none of them.
 */
import type { StructuredToolInterface } from "@langchain/core/tools";
import { toolDocumentFromTool } from "../retrieval/tool-document.js";
import type { JsonSchema } from "../models/offline/argument-filler.js";

/** One kind of value a route's tools take: a regular expression that finds it in free text. */
interface ValueMatcher {
  route: string;
  /** For messages and tests: the pattern or enum value it came from. */
  source: string;
  find: RegExp;
}

export class EntityEvidence {
  private constructor(private readonly matchers: ValueMatcher[]) {}

  /**
   * Collects the id patterns and enum values of every route's tools and keeps those of exactly one route.
   * @example EntityEvidence.fromTools({ incidents: incidentTools, shipping: shippingTools })
   */
  static fromTools(toolsByRoute: Record<string, readonly StructuredToolInterface[]>): EntityEvidence {
    const byKey = new Map<string, ValueMatcher[]>();
    for (const [route, tools] of Object.entries(toolsByRoute)) {
      for (const tool of tools) {
        for (const matcher of valueMatchers(route, toolDocumentFromTool(tool).parameters as JsonSchema | undefined)) {
          const list = byKey.get(matcher.source) ?? [];
          list.push(matcher);
          byKey.set(matcher.source, list);
        }
      }
    }
    const owned = [...byKey.values()].filter((list) => new Set(list.map((m) => m.route)).size === 1).map((list) => list[0]!);
    return new EntityEvidence(owned);
  }

  /** The routes whose tools alone accept a value named in `text`. */
  routesNamedIn(text: string): Set<string> {
    const routes = new Set<string>();
    for (const m of this.matchers) if (m.find.test(text)) routes.add(m.route);
    return routes;
  }

  /** How many distinct values are known (for tests and diagnostics). */
  get size(): number {
    return this.matchers.length;
  }
}

/** Id-like patterns only (a fixed prefix such as "TCK-" then digits): "YYYY-MM" formats say nothing about a route. */
const ID_PREFIX = /^\^([A-Z]{2,5})-\\d/;

function valueMatchers(route: string, schema: JsonSchema | undefined, depth = 0): ValueMatcher[] {
  if (!schema || depth > 3) return [];
  const out: ValueMatcher[] = [];
  const visit = (node: JsonSchema | undefined) => out.push(...valueMatchers(route, node, depth + 1));
  if (typeof schema.pattern === "string") {
    const prefix = ID_PREFIX.exec(schema.pattern)?.[1];
    if (prefix) out.push({ route, source: `${prefix}-`, find: new RegExp(`\\b${prefix}-\\d+\\b`, "i") });
  }
  if (Array.isArray(schema.enum)) out.push(...enumMatchers(route, schema.enum.map(String)));
  for (const child of Object.values(schema.properties ?? {})) visit(child);
  if (schema.items) visit(schema.items);
  for (const variant of schema.anyOf ?? []) visit(variant);
  return out;
}

/**
 * Enum values that name things (service ids, carrier ids), matched by their distinctive part: a prefix that every
 * value of the enum shares ("CAR-" of CAR-UPS, CAR-DHL) is dropped, so "DHL" in a request finds CAR-DHL. Short,
 * lower-case vocabulary enums (statuses such as "open" or "resolved", severities) say nothing about the route.
 */
function enumMatchers(route: string, values: string[]): ValueMatcher[] {
  if (values.length < 2) return [];
  const common = commonPrefix(values).replace(/[^-_]*$/, "");
  return values
    .map((value) => ({ value, core: value.slice(common.length) }))
    .filter(({ value, core }) => isNameLike(value, core))
    // Codes ("UPS") only as written in capitals, so "ups and downs" names no carrier; names with a separator in any case.
    .map(({ value, core }) => ({ route, source: value, find: new RegExp(`(?<![\\w-])${escape(core)}(?![\\w-])`, /[-_]/.test(core) ? "i" : "") }));
}

/** A named thing: has a separator ("support-portal") or is an upper-case code ("DHL"); not a plain word. */
function isNameLike(value: string, core: string): boolean {
  if (core.length < 3) return false;
  return /[a-z0-9][-_][a-z0-9]/i.test(core) || (core === core.toUpperCase() && /[A-Z]/.test(core) && value !== value.toLowerCase());
}

function commonPrefix(values: string[]): string {
  let prefix = values[0] ?? "";
  for (const v of values) while (!v.startsWith(prefix)) prefix = prefix.slice(0, -1);
  return prefix;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
