/**
 * Checks the labelled tool-selection dataset (`evals/datasets/tool-selection.jsonl`) against the real tool
 * catalogue: gold tools exist and belong to the row's agent, every tool is covered, queries do not leak the
 * indexed texts (metadata examples, descriptions), and the dev/test split is usable.
 */
import { describe, it, expect } from "vitest";
import fs from "node:fs";
import { z } from "zod";
import { supportTools } from "../tools/support/index.js";
import { financeTools } from "../tools/finance/index.js";
import { incidentTools } from "../tools/incidents/index.js";
import { shippingTools } from "../tools/shipping/index.js";
import { reportTools } from "../tools/reports/index.js";
import { DOMAINS, type KeelTool } from "../src/toolkit/define-tool.js";

const DATASET = "evals/datasets/tool-selection.jsonl";

const Row = z.strictObject({
  id: z.string().min(1),
  query: z.string().trim().min(1),
  gold_tools: z.array(z.string().min(1)).max(2),
  agent: z.enum(DOMAINS),
  split: z.enum(["dev", "test"]),
});
type Row = z.infer<typeof Row>;

function readRows(file: string): Row[] {
  return fs
    .readFileSync(file, "utf8")
    .split("\n")
    .filter((line) => line.trim())
    .map((line, i) => {
      const parsed = Row.safeParse(JSON.parse(line));
      if (!parsed.success) throw new Error(`${file}:${i + 1}: ${parsed.error.issues.map((x) => `${x.path.join(".")}: ${x.message}`).join("; ")}`);
      return parsed.data;
    });
}

const catalogue: KeelTool[] = [...supportTools, ...financeTools, ...incidentTools, ...shippingTools, ...reportTools];
const byName = new Map(catalogue.map((t) => [t.name, t]));
const rows = readRows(DATASET);
const norm = (s: string) => s.trim().replace(/\s+/g, " ").toLowerCase();

describe("tool-selection dataset", () => {
  it("the catalogue is the 54 primitive tools with unique names", () => {
    expect(catalogue).toHaveLength(54);
    expect(byName.size).toBe(catalogue.length);
  });

  it("has at least 240 rows with unique ids", () => {
    expect(rows.length).toBeGreaterThanOrEqual(240);
    const ids = rows.map((r) => r.id);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
  });

  it("every gold tool exists, appears once per row and belongs to the row's agent domain", () => {
    for (const row of rows) {
      expect(new Set(row.gold_tools).size, row.id).toBe(row.gold_tools.length);
      for (const name of row.gold_tools) {
        const tool = byName.get(name);
        expect(tool, `${row.id}: unknown tool ${name}`).toBeDefined();
        expect(tool!.metadata.domain, `${row.id}: ${name} is outside the ${row.agent} agent's scope`).toBe(row.agent);
      }
    }
  });

  it("every tool is the gold tool of at least 4 requests", () => {
    const counts = new Map(catalogue.map((t) => [t.name, 0]));
    for (const row of rows) for (const name of row.gold_tools) counts.set(name, (counts.get(name) ?? 0) + 1);
    const thin = [...counts].filter(([, n]) => n < 4);
    expect(thin).toEqual([]);
  });

  it("no query repeats another or copies a tool's example (metadata.examples, retrievalExamples) or description", () => {
    const indexed = new Map<string, string>();
    for (const tool of catalogue) {
      indexed.set(norm(tool.description), `${tool.name} description`);
      const retrievalExamples = Array.isArray(tool.metadata.retrievalExamples) ? (tool.metadata.retrievalExamples as string[]) : [];
      for (const example of [...(tool.metadata.examples ?? []), ...retrievalExamples]) indexed.set(norm(example), `${tool.name} example`);
    }
    const leaks = rows.filter((r) => indexed.has(norm(r.query))).map((r) => `${r.id} = ${indexed.get(norm(r.query))}`);
    expect(leaks).toEqual([]);
    const queries = rows.map((r) => norm(r.query));
    expect(rows.filter((r, i) => queries.indexOf(norm(r.query)) !== i).map((r) => r.id)).toEqual([]);
  });

  it("has enough two-tool and no-tool rows, and covers every agent", () => {
    expect(rows.filter((r) => r.gold_tools.length === 2).length).toBeGreaterThanOrEqual(25);
    expect(rows.filter((r) => r.gold_tools.length === 0).length).toBeGreaterThanOrEqual(12);
    for (const domain of DOMAINS) expect(rows.some((r) => r.agent === domain && r.gold_tools.length > 0), domain).toBe(true);
  });

  it("has both splits, with dev about a quarter of the rows", () => {
    const dev = rows.filter((r) => r.split === "dev").length;
    const test = rows.filter((r) => r.split === "test").length;
    expect(dev).toBeGreaterThan(0);
    expect(test).toBeGreaterThan(0);
    expect(dev / rows.length).toBeGreaterThanOrEqual(0.2);
    expect(dev / rows.length).toBeLessThanOrEqual(0.3);
  });
});
