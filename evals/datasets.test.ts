/**
 * The eval datasets against the seeded data and the app: every row parses, every record a request names exists,
 * every tool a trajectory names is a real tool, every expected change names a real table, column and row, and
 * the suites hold at least 300 examples together.
 */
import { describe, it, expect } from "vitest";
import fs from "node:fs";
import { companyDb } from "../src/db/index.js";
import { supportTools } from "../tools/support/index.js";
import { financeTools } from "../tools/finance/index.js";
import { incidentTools } from "../tools/incidents/index.js";
import { shippingTools } from "../tools/shipping/index.js";
import { reportTools } from "../tools/reports/index.js";
import { loadDataset } from "./lib/dataset.js";
import { EndStateRow, GroundingRow, PromotedRow, RoutingRow, SafetyRow, ToolSelectionRow, TrajectoryRow } from "./lib/rows.js";
import { datasetFile } from "./suites/paths.js";

const sets = {
  routing: loadDataset(datasetFile("routing.jsonl"), RoutingRow),
  tool_selection: loadDataset(datasetFile("tool-selection.jsonl"), ToolSelectionRow),
  trajectory: loadDataset(datasetFile("trajectories.jsonl"), TrajectoryRow),
  end_state: loadDataset(datasetFile("end-state.jsonl"), EndStateRow),
  grounding: loadDataset(datasetFile("grounding.jsonl"), GroundingRow),
  safety: loadDataset(datasetFile("safety.jsonl"), SafetyRow),
};
const tools = new Set([...supportTools, ...financeTools, ...incidentTools, ...shippingTools, ...reportTools].map((t) => t.name));
const sql = () => companyDb().sql;

/** Table of each id prefix the requests use. */
const ID_TABLES: [RegExp, string][] = [
  [/\bCUS-\d{4}\b/g, "customers"],
  [/\bORD-\d{5}\b/g, "orders"],
  [/\bTCK-\d{4}\b/g, "tickets"],
  [/\bINV-\d{5}\b/g, "invoices"],
  [/\bPAY-\d{5}\b/g, "payments"],
  [/\bINC-\d{3}\b/g, "incidents"],
  [/\bSHP-\d{5}\b/g, "shipments"],
  [/\bKB-\d{3}\b/g, "kb_articles"],
];

function unknownIds(text: string): string[] {
  return ID_TABLES.flatMap(([pattern, table]) => (text.match(pattern) ?? []).filter((id) => !sql().prepare(`SELECT 1 FROM ${table} WHERE id = ?`).get(id)));
}

describe("eval datasets", () => {
  it.each(Object.entries(sets))("%s: every row parses (no row skipped)", (_name, set) => {
    expect(set.skipped).toEqual([]);
    expect(set.rows.length).toBeGreaterThan(0);
  });

  it("hold at least 300 examples across the suites", () => {
    const total = Object.values(sets).reduce((n, s) => n + s.rows.length, 0);
    expect(total).toBeGreaterThanOrEqual(300);
    expect(sets.trajectory.rows.length + sets.end_state.rows.length + sets.grounding.rows.length + sets.safety.rows.length).toBeGreaterThanOrEqual(150);
  });

  it.each(["trajectory", "end_state", "grounding", "safety"] as const)("%s: every record a request names exists in the seeded data", (name) => {
    const missing = sets[name].rows.flatMap((r) => unknownIds(r.request).map((id) => `${r.id}: ${id}`));
    expect(missing).toEqual([]);
  });

  it("trajectories name real tools, with arguments that name existing records", () => {
    const bad = sets.trajectory.rows.flatMap((r) => r.trajectory.flatMap((s) => [...(tools.has(s.tool) ? [] : [`${r.id}: ${s.tool}`]), ...unknownIds(JSON.stringify(s.args ?? {})).map((id) => `${r.id}: ${id}`)]));
    expect(bad).toEqual([]);
  });

  it("expected changes name real tables, columns and rows", () => {
    const bad: string[] = [];
    for (const row of sets.end_state.rows) {
      for (const change of row.expected) {
        const columns = (sql().prepare(`PRAGMA table_info("${change.table}")`).all() as { name: string }[]).map((c) => c.name);
        if (columns.length === 0) bad.push(`${row.id}: no table ${change.table}`);
        for (const column of Object.keys(change.values ?? {})) if (!columns.includes(column)) bad.push(`${row.id}: no column ${change.table}.${column}`);
        if (change.key && change.op !== "insert" && !sql().prepare(`SELECT 1 FROM "${change.table}" WHERE id = ?`).get(change.key)) bad.push(`${row.id}: no row ${change.table} ${change.key}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it("grounding rows expect articles that exist", () => {
    const bad = sets.grounding.rows.flatMap((r) => r.expected_articles.filter((id) => !sql().prepare("SELECT 1 FROM kb_articles WHERE id = ?").get(id)).map((id) => `${r.id}: ${id}`));
    expect(bad).toEqual([]);
  });

  it("ids are unique within each suite and requests do not repeat within a suite", () => {
    for (const [name, set] of Object.entries(sets)) {
      expect(new Set(set.rows.map((r) => r.id)).size, name).toBe(set.rows.length);
    }
    for (const name of ["trajectory", "grounding", "safety"] as const) {
      const requests = sets[name].rows.map((r) => r.request.toLowerCase().trim());
      expect(requests.filter((q, i) => requests.indexOf(q) !== i), name).toEqual([]);
    }
  });

  it("promoted examples, when there are any, parse and name real tools", () => {
    const file = datasetFile("promoted.jsonl");
    if (!fs.existsSync(file)) return;
    const { rows, skipped } = loadDataset(file, PromotedRow);
    expect(skipped).toEqual([]);
    for (const r of rows) for (const call of [r.expected_call, r.rejected_call]) if (call) expect(tools.has(call.tool), `${r.id}: ${call.tool}`).toBe(true);
  });
});
