/**
 * What the tool retriever knows about a tool: a `ToolDocument`, made from any LangChain tool (Keel, MCP or
 * other), or read from a catalogue file. It also decides what text stands for a tool when ranking:
 * - one dense vector for "name words: description. Parameters: name (description); ...",
 * - one more vector per example request (a Keel tool's `metadata.examples`), so a request phrased like an
 *   example matches it even when the description uses other words,
 * - keyword fields (name, description, parameters, examples) for BM25, each with its own weight.
 */
import type { StructuredToolInterface } from "@langchain/core/tools";
import { toJsonSchema } from "@langchain/core/utils/json_schema";
import { KeelError } from "../errors.js";

/** A JSON schema object (only `properties`, `description`, `enum` and `items` are read). */
export type JsonSchema = Record<string, unknown>;

export interface ToolDocument {
  /** The name the model calls. @example "get_customer" */
  name: string;
  /** What the tool does, written for a model. */
  description: string;
  /** JSON schema of the arguments. */
  parameters?: JsonSchema;
  /** Example requests the tool serves; each becomes its own vector. */
  examples?: string[];
  /** Owning domain (Keel tools). @example "finance" */
  domain?: string;
  /** Scopes a caller must hold. @example ["finance:read"] */
  scopes?: string[];
  /** Side-effect class. @example "destructive" */
  sideEffect?: string;
  /** Where the tool comes from. */
  source?: "keel" | "mcp" | "catalog";
}

/** A catalogue row is unusable (empty or duplicate name, missing description, malformed field). */
export class CatalogError extends KeelError {
  constructor(
    message: string,
    hint: string,
    /** Which row: its position (1-based) or the label given to `validateCatalog`, e.g. "tools.jsonl:12". */
    readonly row: string,
  ) {
    super(message, hint);
  }
}

/**
 * A `ToolDocument` for any LangChain structured tool. Keel metadata (domain, sideEffect, scopes, examples) is
 * used when present: the examples are `metadata.examples` (also read by the router and the offline model) plus
 * `metadata.retrievalExamples`, more example requests that only tool retrieval reads; MCP tool annotations (`readOnlyHint`, `destructiveHint`) give the side-effect class.
 * Takes one argument, so `tools.map(toolDocumentFromTool)` works; override `source` with a spread.
 */
export function toolDocumentFromTool(tool: StructuredToolInterface): ToolDocument {
  const metadata = ((tool as { metadata?: Record<string, unknown> }).metadata ?? {}) as Record<string, unknown>;
  const doc: ToolDocument = { name: tool.name, description: tool.description ?? "" };
  const parameters = jsonSchemaOf(tool.schema);
  if (parameters) doc.parameters = parameters;
  const isKeel = typeof metadata.domain === "string" && typeof metadata.sideEffect === "string";
  if (isKeel) {
    doc.domain = metadata.domain as string;
    doc.sideEffect = metadata.sideEffect as string;
    if (Array.isArray(metadata.scopes)) doc.scopes = metadata.scopes.map(String);
    const examples = [...(Array.isArray(metadata.examples) ? metadata.examples : []), ...(Array.isArray(metadata.retrievalExamples) ? metadata.retrievalExamples : [])].map(String);
    if (examples.length > 0) doc.examples = [...new Set(examples)];
    doc.source = "keel";
    return doc;
  }
  const annotations = metadata.annotations as { readOnlyHint?: boolean; destructiveHint?: boolean } | undefined;
  if (annotations && typeof annotations === "object") {
    doc.source = "mcp";
    if (annotations.readOnlyHint) doc.sideEffect = "read";
    else if (annotations.destructiveHint) doc.sideEffect = "destructive";
  } else doc.source = "catalog";
  if (Array.isArray(metadata.examples)) doc.examples = metadata.examples.map(String);
  if (Array.isArray(metadata.scopes)) doc.scopes = metadata.scopes.map(String);
  return doc;
}

function jsonSchemaOf(schema: unknown): JsonSchema | undefined {
  if (!schema || typeof schema !== "object") return undefined;
  try {
    return toJsonSchema(schema as Parameters<typeof toJsonSchema>[0]) as JsonSchema;
  } catch {
    // A schema toJsonSchema cannot convert: rank on name and description alone.
    return undefined;
  }
}

export interface ValidateOptions {
  /** How to name row `i` (0-based) in an error. @default (i) => `row ${i + 1}` */
  label?: (index: number) => string;
}

/**
 * Checks a catalogue before indexing; throws `CatalogError` naming the first bad row: a missing or empty
 * name, a duplicate name, a missing or empty description, parameters that are not an object, examples that
 * are not strings.
 */
export function validateCatalog(docs: readonly unknown[], options: ValidateOptions = {}): asserts docs is ToolDocument[] {
  const label = options.label ?? ((i: number) => `row ${i + 1}`);
  const seen = new Map<string, number>();
  docs.forEach((raw, i) => {
    const row = label(i);
    if (!raw || typeof raw !== "object" || Array.isArray(raw)) {
      throw new CatalogError(`Tool catalogue ${row} is not an object.`, "Each row must be an object with at least a name and a description.", row);
    }
    const doc = raw as Record<string, unknown>;
    if (typeof doc.name !== "string" || doc.name.trim() === "") {
      throw new CatalogError(`Tool catalogue ${row} has ${doc.name === undefined ? "no name" : "an empty name"}.`, "Give every tool a non-empty name.", row);
    }
    const first = seen.get(doc.name);
    if (first !== undefined) {
      throw new CatalogError(`Tool catalogue ${row} repeats the name "${doc.name}" of ${label(first)}.`, "Tool names must be unique: rename or drop one of them.", row);
    }
    seen.set(doc.name, i);
    if (typeof doc.description !== "string" || doc.description.trim() === "") {
      throw new CatalogError(
        `Tool catalogue ${row} ("${doc.name}") has ${doc.description === undefined ? "no description" : "an empty description"}.`,
        "Describe what the tool does: retrieval ranks tools by their descriptions.",
        row,
      );
    }
    if (doc.parameters !== undefined && (doc.parameters === null || typeof doc.parameters !== "object" || Array.isArray(doc.parameters))) {
      throw new CatalogError(`Tool catalogue ${row} ("${doc.name}") has parameters that are not a JSON schema object.`, "Give parameters as a JSON schema object, or leave them out.", row);
    }
    if (doc.examples !== undefined && (!Array.isArray(doc.examples) || doc.examples.some((e) => typeof e !== "string"))) {
      throw new CatalogError(`Tool catalogue ${row} ("${doc.name}") has examples that are not a list of strings.`, "Give examples as an array of example requests.", row);
    }
  });
}

/** Words of an identifier: `GroupsApi.create_group_mapping` -> "groups api create group mapping". */
export function nameWords(name: string): string {
  return name
    .replace(/([a-z])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .replace(/[_.\-/:]+/g, " ")
    .replace(/\s+/g, " ")
    .trim()
    .toLowerCase();
}

export interface ParameterText {
  name: string;
  description: string;
  /** Allowed values, when the schema lists them. */
  enum: string[];
}

/** Top-level parameters (and the fields of object-valued ones, one level down) with their descriptions. */
export function parameterTexts(schema: JsonSchema | undefined): ParameterText[] {
  const out: ParameterText[] = [];
  const visit = (props: unknown, prefix: string, depth: number) => {
    if (!props || typeof props !== "object") return;
    for (const [name, raw] of Object.entries(props as Record<string, unknown>)) {
      const prop = (raw ?? {}) as Record<string, unknown>;
      const items = (prop.items ?? {}) as Record<string, unknown>;
      const values = Array.isArray(prop.enum) ? prop.enum : Array.isArray(items.enum) ? items.enum : [];
      out.push({
        name: prefix + name,
        description: typeof prop.description === "string" ? prop.description : "",
        enum: values.filter((v) => typeof v === "string" || typeof v === "number").map(String),
      });
      if (depth < 1) visit(prop.properties ?? items.properties, `${prefix}${name}.`, depth + 1);
    }
  };
  visit(schema?.properties, "", 0);
  return out;
}

/** Longest description (characters) that goes into a tool's vector; very long API docs drown the gist. */
const MAX_DESCRIPTION_CHARS = 600;
const MAX_PARAMETER_CHARS = 400;

/**
 * The texts embedded for a tool: "name words: description" first, then each example as its own text.
 * Parameters are not embedded: on the dev splits, adding their names and descriptions to the vector did not
 * improve hybrid recall, while tripling the cold build time (the model's cost grows with text length); they
 * are searched by BM25 instead (`keywordFields`). `mainText` is the variant with parameters.
 */
export function embeddingTexts(doc: ToolDocument): string[] {
  return [shortText(doc), ...(doc.examples ?? []).filter((e) => e.trim() !== "")];
}

/** "name words: description", the description clipped. */
export function shortText(doc: ToolDocument): string {
  return `${nameWords(doc.name)}: ${clip(doc.description.trim(), MAX_DESCRIPTION_CHARS)}`;
}

/** "name words: description. Parameters: name (description); ..." with long parts clipped. */
export function mainText(doc: ToolDocument): string {
  const description = clip(doc.description.trim(), MAX_DESCRIPTION_CHARS);
  const params = parameterTexts(doc.parameters)
    .map((p) => (p.description ? `${nameWords(p.name)} (${clip(p.description.trim(), 120)})` : nameWords(p.name)))
    .join("; ");
  const head = `${nameWords(doc.name)}: ${description}`;
  return params ? `${head}${/[.!?]$/.test(head) ? "" : "."} Parameters: ${clip(params, MAX_PARAMETER_CHARS)}` : head;
}

/** Keyword fields for BM25. */
export function keywordFields(doc: ToolDocument): { name: string; description: string; parameters: string; examples: string } {
  const params = parameterTexts(doc.parameters);
  return {
    name: nameWords(doc.name),
    description: doc.description,
    parameters: params.map((p) => `${nameWords(p.name)} ${p.description} ${p.enum.join(" ")}`).join(" "),
    examples: (doc.examples ?? []).join(" "),
  };
}

function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  const space = cut.lastIndexOf(" ");
  return `${space > max * 0.6 ? cut.slice(0, space) : cut}…`;
}
