import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { companyDb, dataDir } from "../../src/db/index.js";
import { STORY } from "../../src/db/seed.js";
import type { KeelTool, SideEffect } from "../../src/toolkit/define-tool.js";
import { incidentFigures, shippingFigures } from "./figures.js";
import { reportTools } from "./index.js";
import { slugify } from "./report-tools.js";
import { ONE_AUDIT_ROW, callTool, expectCompleteTool, expectLastAudit, expectRefused, withChanges } from "../shared/tool-testing.js";
import { parseXml } from "./xml-check.js";

const tool = (name: string) => {
  const t = reportTools.find((x) => x.name === name);
  if (!t) throw new Error(`no tool ${name}`);
  return t as KeelTool<any>;
};
const db = () => companyDb();
const count = (sql: string, ...args: unknown[]) => db().sql.prepare(sql).pluck().get(...args) as number;

// The week before the reference time (2026-11-16T09:00Z): every story record falls in it.
const FROM = "2026-11-09T00:00:00.000Z";
const TO = "2026-11-16T00:00:00.000Z";
const LAST_7_DAYS = { from: "2026-11-09T09:00:00.000Z", to: "2026-11-16T09:00:00.000Z" };

describe("report tools: metadata", () => {
  it.each<[string, SideEffect, string[]]>([
    ["get_incident_figures", "read", ["reports:read"]],
    ["get_shipping_figures", "read", ["reports:read"]],
    ["render_chart_svg", "write", ["reports:write"]],
  ])("%s is a complete %s tool", (name, sideEffect, scopes) => {
    const t = tool(name);
    expectCompleteTool(t, "reports", sideEffect);
    expect(t.metadata).toMatchObject({ scopes, idempotent: true });
  });

  it("has unique names", () => {
    expect(new Set(reportTools.map((t) => t.name)).size).toBe(reportTools.length);
  });
});

describe("incidentFigures", () => {
  it.each([
    ["the calendar week", FROM, TO],
    ["the last 7 days", LAST_7_DAYS.from, LAST_7_DAYS.to],
    ["a quarter", "2026-08-01T00:00:00.000Z", "2026-11-01T00:00:00.000Z"],
  ])("matches direct SQL over %s", (_label, from, to) => {
    const f = incidentFigures(db(), from, to);
    expect(f.started).toBe(count("SELECT COUNT(*) FROM incidents WHERE started_at >= ? AND started_at < ?", from, to));
    for (const sev of ["sev1", "sev2", "sev3", "sev4"] as const) {
      expect(f.by_severity[sev]).toBe(count("SELECT COUNT(*) FROM incidents WHERE severity = ? AND started_at >= ? AND started_at < ?", sev, from, to));
    }
    expect(Object.values(f.by_status).reduce((a, b) => a + b, 0)).toBe(f.started);
    expect(f.resolved).toBe(count("SELECT COUNT(*) FROM incidents WHERE resolved_at >= ? AND resolved_at < ?", from, to));
    const mttr = db()
      .sql.prepare("SELECT AVG((julianday(resolved_at) - julianday(started_at)) * 1440) FROM incidents WHERE resolved_at >= ? AND resolved_at < ?")
      .pluck()
      .get(from, to) as number | null;
    if (mttr === null) expect(f.mttr_minutes).toBeNull();
    else {
      expect(f.mttr_minutes).toBeCloseTo(mttr, 0);
      expect(f.mttr_hours).toBeCloseTo(mttr / 60, 1);
    }
    expect(f.open_at_end).toBe(count("SELECT COUNT(*) FROM incidents WHERE started_at < ? AND (resolved_at IS NULL OR resolved_at >= ?)", to, to));
    expect(f.by_day.reduce((s, d) => s + d.started, 0)).toBe(f.started);
    expect(f.by_day.reduce((s, d) => s + d.resolved, 0)).toBe(f.resolved);
  });

  it("shows the open payments incident in the last 7 days", () => {
    const f = incidentFigures(db(), LAST_7_DAYS.from, LAST_7_DAYS.to);
    expect(f.incidents.map((i) => i.id)).toContain(STORY.paymentsIncident.incidentId);
    expect(f.open_at_end_ids).toContain(STORY.paymentsIncident.incidentId);
    expect(f.by_severity.sev2).toBeGreaterThanOrEqual(1);
    expect(f.by_day).toHaveLength(8); // a window not aligned to midnight touches 8 calendar days
  });

  it("filters by service", () => {
    const f = incidentFigures(db(), "2026-01-01T00:00:00.000Z", "2026-12-01T00:00:00.000Z", "payments-api");
    expect(f.started).toBe(count("SELECT COUNT(*) FROM incidents WHERE service_id = 'payments-api' AND started_at >= '2026-01-01' AND started_at < '2026-12-01'"));
    expect(Object.keys(f.by_service)).toEqual(["payments-api"]);
  });
});

describe("shippingFigures", () => {
  it.each([
    ["the calendar week", FROM, TO],
    ["the last 7 days", LAST_7_DAYS.from, LAST_7_DAYS.to],
    ["October", "2026-10-01T00:00:00.000Z", "2026-11-01T00:00:00.000Z"],
  ])("matches direct SQL over %s", (_label, from, to) => {
    const f = shippingFigures(db(), from, to);
    expect(f.orders.created).toBe(count("SELECT COUNT(*) FROM orders WHERE created_at >= ? AND created_at < ?", from, to));
    expect(f.orders.revenue_cents).toBe(
      count("SELECT COALESCE(SUM(total_cents), 0) FROM orders WHERE status != 'cancelled' AND created_at >= ? AND created_at < ?", from, to),
    );
    expect(f.shipments.shipped).toBe(count("SELECT COUNT(*) FROM shipments WHERE shipped_at >= ? AND shipped_at < ?", from, to));
    expect(f.shipments.delivered_in_window).toBe(count("SELECT COUNT(*) FROM shipments WHERE delivered_at >= ? AND delivered_at < ?", from, to));
    const due = count("SELECT COUNT(*) FROM shipments WHERE eta >= ? AND eta < ?", from, to);
    expect(f.on_time.shipments).toBe(due);
    const asOf = to < db().referenceNow.toISOString() ? to : db().referenceNow.toISOString();
    expect(f.on_time.on_time).toBe(count("SELECT COUNT(*) FROM shipments WHERE eta >= ? AND eta < ? AND delivered_at < ? AND delivered_at <= eta", from, to, asOf));
    const decided = f.on_time.on_time + f.on_time.late + f.on_time.overdue;
    expect(f.on_time.on_time_rate).toBeCloseTo(f.on_time.on_time / decided, 3);
    expect(f.on_time.on_time_rate).toBeGreaterThan(0.5);
    expect(f.on_time.on_time_rate).toBeLessThanOrEqual(1);
    const carrierTotal = Object.values(f.by_carrier).reduce((s, c) => s + c.shipments, 0);
    expect(carrierTotal).toBe(due);
    expect(f.by_day.reduce((s, d) => s + d.orders, 0)).toBe(f.orders.created);
    expect(f.by_day.reduce((s, d) => s + d.shipped, 0)).toBe(f.shipments.shipped);
  });

  it("counts the stuck UPS shipment among the exceptions of the last 7 days", () => {
    const f = shippingFigures(db(), LAST_7_DAYS.from, LAST_7_DAYS.to);
    expect(f.exception_ids).toContain(STORY.stuckShipment.shipmentId);
    expect(f.exceptions).toBeGreaterThanOrEqual(count("SELECT COUNT(*) FROM shipments WHERE status = 'exception' AND shipped_at < ?", LAST_7_DAYS.to));
  });
});

describe("figure tools", () => {
  it("get_incident_figures defaults to the 7 days ending on the reference day", async () => {
    const r = await callTool(tool("get_incident_figures"), {});
    expect(r.ok).toBe(true);
    expect(r.data).toMatchObject({ from_date: "2026-11-10", to_date: "2026-11-16" });
    const f = incidentFigures(db(), "2026-11-10T00:00:00.000Z", "2026-11-17T00:00:00.000Z");
    expect(r.data.started).toBe(f.started);
    expect(r.data.open_at_end_ids).toEqual(f.open_at_end_ids);
  });

  it("get_shipping_figures covers from_date..to_date inclusive", async () => {
    const r = await callTool(tool("get_shipping_figures"), { from_date: "2026-11-09", to_date: "2026-11-15" });
    expect(r.ok).toBe(true);
    expect(r.data.orders.created).toBe(shippingFigures(db(), FROM, TO).orders.created);
    expect(r.data.by_day.map((d: any) => d.date)).toEqual(["2026-11-09", "2026-11-10", "2026-11-11", "2026-11-12", "2026-11-13", "2026-11-14", "2026-11-15"]);
  });

  it.each<[string, Record<string, unknown>, string]>([
    ["get_incident_figures", { from_date: "2026-13-01" }, "from_date"],
    ["get_incident_figures", { from_date: "2026-02-29" }, "from_date"],
    ["get_incident_figures", { from_date: "2026-11-10", to_date: "2026-11-01" }, "to_date"],
    ["get_shipping_figures", { to_date: "yesterday" }, "to_date"],
    ["get_shipping_figures", { from_date: "2025-01-01", to_date: "2026-11-01" }, "from_date"],
  ])("%s %j -> invalid_arguments on %s, nothing changed", async (name, args, field) => {
    await expectRefused(db(), tool(name), args, "invalid_arguments", field);
  });
});

describe("render_chart_svg", () => {
  const spec = {
    title: "Incidents & orders <week 46>",
    kind: "bar",
    series: [
      { label: "Incidents", points: [{ x: "11-09", y: 1 }, { x: "11-10", y: 0 }, { x: "11-11", y: 2 }] },
      { label: "Orders / 100", points: [{ x: "11-09", y: 1.2 }, { x: "11-10", y: 1.1 }, { x: "11-11", y: 1.3 }] },
    ],
  };

  it("writes a well-formed SVG under <dataDir>/reports, named slug-hash, and one audit row", async () => {
    const { result, changes } = await withChanges(db(), () => callTool(tool("render_chart_svg"), spec));
    expect(result.ok).toBe(true);
    const file = result.data.path as string;
    expect(path.dirname(file)).toBe(path.join(dataDir(), "reports"));
    expect(path.basename(file)).toMatch(/^incidents-orders-week-46-[0-9a-f]{12}\.svg$/);
    const svg = fs.readFileSync(file, "utf8");
    expect(result.data.bytes).toBe(Buffer.byteLength(svg));
    const { root, elements } = parseXml(svg);
    expect(root.name).toBe("svg");
    expect(elements.filter((e) => e.name === "rect")).toHaveLength(6);
    expect(elements.find((e) => e.name === "title")?.text).toBe(spec.title);
    expect(fs.readdirSync(path.dirname(file)).filter((f) => f.endsWith(".tmp"))).toEqual([]);
    expect(changes).toEqual(ONE_AUDIT_ROW);
    expectLastAudit(db(), "render_chart_svg", { args: { title: spec.title, kind: "bar", series: 2 }, result: result.data });
  });

  it("is idempotent: the same spec gives the same file", async () => {
    const a = await callTool(tool("render_chart_svg"), spec);
    const b = await callTool(tool("render_chart_svg"), spec);
    expect(a.data.path).toBe(b.data.path);
    const other = await callTool(tool("render_chart_svg"), { ...spec, kind: "line" });
    expect(other.data.path).not.toBe(a.data.path);
    const svg = fs.readFileSync(other.data.path, "utf8");
    expect(parseXml(svg).elements.filter((e) => e.name === "polyline")).toHaveLength(2);
  });

  it.each<[string, Record<string, unknown>, string]>([
    ["no series", { title: "t", kind: "bar", series: [] }, "series"],
    ["a bad kind", { title: "t", kind: "pie", series: spec.series }, "kind"],
    ["a missing title", { kind: "bar", series: spec.series }, "title"],
    ["a non-numeric y", { title: "t", kind: "bar", series: [{ label: "s", points: [{ x: "a", y: "3" }] }] }, "series.0.points.0.y"],
    ["an empty series", { title: "t", kind: "bar", series: [{ label: "s", points: [] }] }, "series.0.points"],
    ["a duplicate x", { title: "t", kind: "bar", series: [{ label: "s", points: [{ x: "a", y: 1 }, { x: "a", y: 2 }] }] }, "series.0.points.1.x"],
  ])("rejects %s with invalid_arguments, writing nothing", async (_label, args, field) => {
    const dir = path.join(dataDir(), "reports");
    const filesBefore = fs.existsSync(dir) ? fs.readdirSync(dir).sort() : [];
    await expectRefused(db(), tool("render_chart_svg"), args, "invalid_arguments", field);
    expect(fs.existsSync(dir) ? fs.readdirSync(dir).sort() : []).toEqual(filesBefore);
  });

  it.each([
    ["Incidents / day", "incidents-day"],
    ["Émissions — Q4 2026!", "emissions-q4-2026"],
    ["***", "chart"],
    ["a".repeat(80), "a".repeat(48)],
  ])("slugify(%j) = %j", (title, slug) => {
    expect(slugify(title)).toBe(slug);
  });
});
