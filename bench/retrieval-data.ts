/**
 * Datasets of the retrieval bench: a catalogue of tools and labelled queries, from files given on the command
 * line or from the built-in loaders (BFCL, MetaTool, the app's own tools, and a 2,000-tool latency catalogue).
 *
 * External data is read in place from `--data-dir`, `KEEL_BENCHMARKS_DIR`, or `../shared/benchmarks` next to
 * the repository; it is never copied into the repository.
 *
 * Splits: queries are divided once and for all into `dev` (about 20%, by a hash of the query id) and `test`;
 * the app's dataset carries its own `split` field. Retrieval settings were tuned on dev only
 * (`bench/retrieval-tune.ts`); reported figures are on test unless `--split` says otherwise.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { validateCatalog, type ToolDocument } from "../src/retrieval/tool-document.js";
import { BenchInputError } from "./report.js";

export type Split = "dev" | "test";

export interface BenchQuery {
  id: string;
  query: string;
  /** Tool names that answer the query; empty when no tool applies. */
  gold: string[];
  group: string;
  split: Split;
  /** The agent the query is addressed to (app dataset): its tools are the allowed scope. */
  agent?: string;
}

export interface BenchDataset {
  name: string;
  catalog: ToolDocument[];
  queries: BenchQuery[];
  notes: string[];
  /** Maps a catalogue name to the name gold labels use (the latency catalogue renames padded variants). */
  canonical?: (name: string) => string;
}

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** Where the shared benchmark data lives. */
export function benchmarksDir(flag?: string, env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(flag ?? env.KEEL_BENCHMARKS_DIR ?? path.join(repoRoot, "..", "shared", "benchmarks"));
}

/** dev for about one query id in five, test otherwise; stable across runs and machines. */
export function splitOf(id: string): Split {
  return createHash("sha1").update(id).digest()[0]! % 5 === 0 ? "dev" : "test";
}

/** A deterministic pseudo-random order (by hash), for fixed samples. */
export function hashOrder<T>(items: T[], key: (item: T) => string, salt = "sample"): T[] {
  const h = (s: string) => createHash("sha1").update(`${salt}:${s}`).digest("hex");
  return items.map((item) => ({ item, k: h(key(item)) })).sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0)).map((x) => x.item);
}

function readText(file: string, what: string): string {
  try {
    return fs.readFileSync(file, "utf8");
  } catch (error) {
    throw new BenchInputError(`Cannot read the ${what} ${file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`);
  }
}

/** Rows of a JSONL file with their line numbers; a malformed line names the file and line. */
export function readJsonl(file: string, what: string): { line: number; row: unknown }[] {
  const out: { line: number; row: unknown }[] = [];
  readText(file, what)
    .split("\n")
    .forEach((text, i) => {
      if (!text.trim()) return;
      try {
        out.push({ line: i + 1, row: JSON.parse(text) });
      } catch (error) {
        throw new BenchInputError(`${file}:${i + 1}: malformed JSON (${(error as Error).message}).`);
      }
    });
  return out;
}

function readJson(file: string, what: string): unknown {
  try {
    return JSON.parse(readText(file, what));
  } catch (error) {
    if (error instanceof BenchInputError) throw error;
    throw new BenchInputError(`${file}: malformed JSON (${(error as Error).message}).`);
  }
}

/** Catalogue rows `{name, description, parameters?, examples?}` checked with `validateCatalog` (file:line). */
export function loadCatalog(file: string): ToolDocument[] {
  const rows = readJsonl(file, "tool catalogue");
  if (rows.length === 0) throw new BenchInputError(`The tool catalogue ${file} has no rows.`);
  validateCatalog(
    rows.map((r) => r.row),
    { label: (i) => `${file}:${rows[i]!.line}` },
  );
  return rows.map(({ row }) => toDocument(row as Record<string, unknown>));
}

function toDocument(row: Record<string, unknown>): ToolDocument {
  const doc: ToolDocument = { name: String(row.name), description: String(row.description), source: "catalog" };
  if (row.parameters) doc.parameters = row.parameters as Record<string, unknown>;
  if (Array.isArray(row.examples)) doc.examples = row.examples as string[];
  if (typeof row.domain === "string") doc.domain = row.domain;
  if (Array.isArray(row.scopes)) doc.scopes = row.scopes.map(String);
  return doc;
}

/** Query rows `{id, query, gold_tools[], group?, split?, agent?}`; every gold name must be in the catalogue. */
export function loadQueries(file: string, catalog: ToolDocument[]): BenchQuery[] {
  const names = new Set(catalog.map((d) => d.name));
  const rows = readJsonl(file, "query file");
  if (rows.length === 0) throw new BenchInputError(`The query file ${file} has no rows.`);
  const seen = new Set<string>();
  return rows.map(({ line, row }) => {
    const where = `${file}:${line}`;
    const r = row as Record<string, unknown>;
    if (!r || typeof r !== "object" || Array.isArray(r)) throw new BenchInputError(`${where}: a query row must be an object.`);
    if ((typeof r.id !== "string" && typeof r.id !== "number") || String(r.id).trim() === "") throw new BenchInputError(`${where}: missing id.`);
    const id = String(r.id);
    if (seen.has(id)) throw new BenchInputError(`${where}: duplicate id "${id}".`);
    seen.add(id);
    if (typeof r.query !== "string" || r.query.trim() === "") throw new BenchInputError(`${where}: missing or empty query.`);
    if (!Array.isArray(r.gold_tools) || r.gold_tools.some((g) => typeof g !== "string")) {
      throw new BenchInputError(`${where}: gold_tools must be a list of tool names ([] when no tool applies).`);
    }
    const unknown = (r.gold_tools as string[]).find((g) => !names.has(g));
    if (unknown) throw new BenchInputError(`${where}: gold tool "${unknown}" is not in the catalogue.`);
    if (r.split !== undefined && r.split !== "dev" && r.split !== "test") throw new BenchInputError(`${where}: split must be "dev" or "test".`);
    const gold = r.gold_tools as string[];
    return {
      id,
      query: r.query,
      gold,
      group: typeof r.group === "string" && r.group ? r.group : gold.length === 0 ? "no-tool" : "all",
      split: (r.split as Split | undefined) ?? splitOf(id),
      ...(typeof r.agent === "string" ? { agent: r.agent } : {}),
    };
  });
}

export function fileDataset(catalogFile: string, queriesFile: string): BenchDataset {
  const catalog = loadCatalog(catalogFile);
  return { name: path.basename(catalogFile), catalog, queries: loadQueries(queriesFile, catalog), notes: [] };
}

const BFCL_GROUPS: Record<string, string> = {
  multiple: "multiple+parallel_multiple",
  parallel_multiple: "multiple+parallel_multiple",
  live_multiple: "live_multiple+live_parallel_multiple",
  live_parallel_multiple: "live_multiple+live_parallel_multiple",
  simple_python: "simple",
  live_simple: "simple",
  parallel: "parallel",
  live_parallel: "parallel",
  irrelevance: "irrelevance",
  live_irrelevance: "irrelevance",
};

/** BFCL v4 over its global catalogue (tools_by_name.jsonl, 1,703 names), scored on gold names. */
export function bfclDataset(dir: string): BenchDataset {
  const catalog = loadCatalog(path.join(dir, "bfcl", "tools_by_name.jsonl"));
  const queries: BenchQuery[] = [];
  for (const { line, row } of readJsonl(path.join(dir, "bfcl", "queries.jsonl"), "BFCL query file")) {
    const r = row as { id: string; category: string; query: string; gold_tool_names?: string[]; expect_no_tool?: boolean };
    const group = BFCL_GROUPS[r.category];
    if (!group) continue; // live_relevance: no answer file upstream
    if (typeof r.query !== "string" || !r.query.trim()) throw new BenchInputError(`bfcl/queries.jsonl:${line}: missing query.`);
    queries.push({ id: r.id, query: r.query, gold: r.expect_no_tool ? [] : (r.gold_tool_names ?? []), group, split: splitOf(r.id) });
  }
  return {
    name: "bfcl",
    catalog,
    queries,
    notes: [
      "BFCL v4, global catalogue of 1,703 tool names; gold scored by name. simple = simple_python + live_simple; parallel = parallel + live_parallel; irrelevance = irrelevance + live_irrelevance (no tool applies in BFCL's own candidate set; some still match a tool of the global catalogue).",
    ],
  };
}

/** MetaTool: 199 tools; a fixed sample of single-tool queries (default 2,000 test, 1,000 dev) and the two-tool set. */
export function metatoolDataset(dir: string, sample = 2000): BenchDataset {
  const raw = readJson(path.join(dir, "metatool", "tools.json"), "MetaTool tool file");
  if (!Array.isArray(raw)) throw new BenchInputError(`${path.join(dir, "metatool", "tools.json")}: expected a JSON array of tools.`);
  validateCatalog(raw, { label: (i) => `metatool/tools.json[${i}]` });
  const catalog = raw.map((r) => toDocument(r as unknown as Record<string, unknown>));
  const single = loadQueries(path.join(dir, "metatool", "queries_single_tool.jsonl"), catalog);
  const multi = loadQueries(path.join(dir, "metatool", "queries_multi_tool.jsonl"), catalog);
  const sampled = [
    ...hashOrder(single.filter((q) => q.split === "test"), (q) => q.id).slice(0, sample),
    ...hashOrder(single.filter((q) => q.split === "dev"), (q) => q.id).slice(0, Math.ceil(sample / 2)),
  ];
  return {
    name: "metatool",
    catalog,
    queries: [...sampled.map((q) => ({ ...q, group: "single-tool" })), ...multi.map((q) => ({ ...q, group: "multi-tool" }))],
    notes: [`MetaTool single-tool: a fixed sample (by hash of the id) of ${sample} test and ${Math.ceil(sample / 2)} dev queries out of 20,614, for speed; multi-tool: all 497.`],
  };
}

/** The app's own tools (from code) and `evals/datasets/tool-selection.jsonl`. */
export async function appDataset(queriesFile = path.join(repoRoot, "evals", "datasets", "tool-selection.jsonl")): Promise<BenchDataset> {
  const { appToolDocuments } = await import("./retrieval-app.js");
  const catalog = await appToolDocuments();
  if (!fs.existsSync(queriesFile)) {
    throw new BenchInputError(`The app's tool-selection dataset ${queriesFile} does not exist yet; pass --queries FILE.`);
  }
  const queries = loadQueries(queriesFile, catalog).map((q) => ({ ...q, group: q.gold.length === 0 ? "no-tool" : q.gold.length > 1 ? "multi-tool" : "single-tool" }));
  return {
    name: "app",
    catalog,
    queries,
    notes: [`The app's ${catalog.length} tools (tools/*/index.ts) with their metadata examples; queries from ${path.relative(repoRoot, queriesFile)} (its own dev/test split).`],
  };
}

const VARIANT = /__v(\d+)$/;

/**
 * The latency scenario's catalogue: BFCL's 1,703 names + MetaTool's 199 tools, padded to `size` with BFCL's
 * other documented variants of the same functions (renamed `<name>__v2`, ...; scored as their base name).
 * Queries: a fixed sample of `queries` test queries, half BFCL (with a gold tool), half MetaTool.
 */
export function latencyDataset(dir: string, size = 2000, queries = 1000): BenchDataset {
  const bfcl = bfclDataset(dir);
  const meta = metatoolDataset(dir, 1000);
  const names = new Set(bfcl.catalog.map((d) => d.name));
  const catalog = [...bfcl.catalog, ...meta.catalog.filter((d) => !names.has(d.name))];
  for (const d of catalog) names.add(d.name);
  const variants = readJsonl(path.join(dir, "bfcl", "tools.jsonl"), "BFCL tool file").map(({ row }) => row as Record<string, unknown>);
  const count = new Map<string, number>();
  for (const v of hashOrder(variants, (r) => String(r.id))) {
    if (catalog.length >= size) break;
    const base = String(v.name);
    if (!names.has(base) || typeof v.description !== "string" || !v.description.trim()) continue;
    const n = (count.get(base) ?? 1) + 1;
    count.set(base, n);
    const doc = toDocument({ ...v, name: `${base}__v${n}` });
    if (bfcl.catalog.some((d) => d.name === base && d.description === doc.description && JSON.stringify(d.parameters) === JSON.stringify(doc.parameters))) continue;
    catalog.push(doc);
  }
  const half = (qs: BenchQuery[], group: string) => hashOrder(qs.filter((q) => q.split === "test" && q.gold.length > 0), (q) => q.id).slice(0, queries / 2).map((q) => ({ ...q, group }));
  return {
    name: `latency-${catalog.length}`,
    catalog,
    queries: [...half(bfcl.queries, "bfcl"), ...half(meta.queries, "metatool")],
    canonical: (name) => name.replace(VARIANT, ""),
    notes: [`Latency scenario: ${catalog.length} tools (BFCL 1,703 + MetaTool 199 + BFCL doc variants renamed <name>__vN, scored as <name>); ${queries} fixed test queries, half from each.`],
  };
}
