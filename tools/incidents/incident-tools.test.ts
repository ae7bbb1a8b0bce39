import { describe, expect, it } from "vitest";
import { companyDb } from "../../src/db/index.js";
import { ID_PATTERNS, SERVICES } from "../../src/db/reference-data.js";
import { STORY } from "../../src/db/seed.js";
import { SIDE_EFFECTS, type KeelTool } from "../../src/toolkit/define-tool.js";
import { ONE_AUDIT_ROW, SNAKE_CASE, callTool, expectCompleteTool, expectLastAudit, expectRefused, withChanges } from "../shared/tool-testing.js";
import { incidentTools } from "./index.js";

const tool = (name: string) => {
  const t = incidentTools.find((x) => x.name === name);
  if (!t) throw new Error(`no tool ${name}`);
  return t as KeelTool<any>;
};
const db = () => companyDb();
const nowIso = () => db().referenceNow.toISOString();
const hoursAgo = (h: number) => new Date(db().referenceNow.getTime() - h * 3_600_000).toISOString();
const { serviceId: PAYMENTS, incidentId: PAYMENTS_INC, channel: PAYMENTS_CHANNEL } = STORY.paymentsIncident;

describe("incident tools: metadata", () => {
  const expected: Record<string, (typeof SIDE_EFFECTS)[number]> = {
    list_services: "read",
    get_service_status: "read",
    get_service_metrics: "read",
    search_logs: "read",
    get_channel_messages: "read",
    search_runbooks: "read",
    get_runbook: "read",
    get_incident: "read",
    list_open_incidents: "read",
    list_incidents: "read",
    get_incident_stats: "read",
    create_incident: "write",
    update_incident: "write",
    set_service_status: "write",
    page_oncall: "egress",
    post_status_update: "egress",
  };

  it("has at least 12 tools with unique snake_case names", () => {
    expect(incidentTools.length).toBeGreaterThanOrEqual(12);
    const names = incidentTools.map((t) => t.name);
    expect(new Set(names).size).toBe(names.length);
    for (const n of names) expect(n).toMatch(SNAKE_CASE);
    expect(names.sort()).toEqual(Object.keys(expected).sort());
  });

  it.each(Object.entries(expected))("%s is a complete %s tool", (name, sideEffect) => {
    const t = tool(name);
    expectCompleteTool(t, "incidents", sideEffect);
    if (sideEffect === "read") expect(t.metadata.scopes).toEqual(["incidents:read"]);
    if (name === "page_oncall") expect(t.metadata.scopes).toContain("incidents:page");
  });
});

describe("incident tools: reads", () => {
  it("list_services returns every service with its status, and filters by status", async () => {
    const all = await callTool(tool("list_services"), {});
    expect(all.ok).toBe(true);
    expect(all.data.services.map((s: any) => s.id).sort()).toEqual(SERVICES.map((s) => s.id).sort());
    const degraded = await callTool(tool("list_services"), { status: "degraded" });
    const sqlDegraded = db().sql.prepare("SELECT id FROM services WHERE status = 'degraded' ORDER BY id").pluck().all();
    expect(degraded.data.services.map((s: any) => s.id).sort()).toEqual(sqlDegraded);
    expect(sqlDegraded).toContain(PAYMENTS);
    const payments = degraded.data.services.find((s: any) => s.id === PAYMENTS);
    expect(payments.open_incidents).toBe(
      db().sql.prepare("SELECT COUNT(*) FROM incidents WHERE service_id = ? AND status != 'resolved'").pluck().get(PAYMENTS),
    );
  });

  it("get_service_status shows the degraded payments-api with its open incident and latest metrics", async () => {
    const r = await callTool(tool("get_service_status"), { service_id: PAYMENTS });
    expect(r.ok).toBe(true);
    const row = db().sql.prepare("SELECT * FROM services WHERE id = ?").get(PAYMENTS) as any;
    expect(r.data).toMatchObject({ id: PAYMENTS, status: row.status, oncall: row.oncall, owner_team: row.owner_team });
    expect(r.data.status).toBe("degraded");
    expect(r.data.open_incidents.map((i: any) => i.id)).toContain(PAYMENTS_INC);
    const latest = db().sql.prepare("SELECT ts FROM metrics WHERE service_id = ? AND ts <= ? ORDER BY ts DESC LIMIT 1").pluck().get(PAYMENTS, nowIso());
    expect(r.data.latest_metrics.ts).toBe(latest);
  });

  it("get_service_metrics finds the payments-api spike in the hour of the open incident", async () => {
    const r = await callTool(tool("get_service_metrics"), { service_id: PAYMENTS, hours: 24 });
    expect(r.ok).toBe(true);
    const rows = db()
      .sql.prepare("SELECT ts, error_rate, requests FROM metrics WHERE service_id = ? AND ts >= ? AND ts < ? ORDER BY error_rate DESC")
      .all(PAYMENTS, hoursAgo(24), nowIso()) as { ts: string; error_rate: number; requests: number }[];
    expect(r.data.samples).toBe(rows.length);
    expect(r.data.requests_total).toBe(rows.reduce((s, x) => s + x.requests, 0));
    expect(r.data.peak_hour.ts).toBe(rows[0]!.ts);
    expect(r.data.error_rate_pct.max).toBeCloseTo(rows[0]!.error_rate * 100, 1);
    expect(r.data.spike_detected).toBe(true);
    expect(r.data.spike_kind).toMatch(/errors/);
    const incidentStart = db().sql.prepare("SELECT started_at FROM incidents WHERE id = ?").pluck().get(PAYMENTS_INC) as string;
    expect(r.data.peak_hour.ts >= incidentStart.slice(0, 13)).toBe(true);
    expect(r.data.error_rate_pct.max).toBeGreaterThan(5 * r.data.error_rate_pct.baseline);
  });

  it("get_service_metrics reports no spike for a quiet service", async () => {
    const quiet = db()
      .sql.prepare(
        `SELECT id FROM services s WHERE status = 'operational' AND NOT EXISTS (
           SELECT 1 FROM incidents i WHERE i.service_id = s.id AND (i.resolved_at IS NULL OR i.resolved_at >= ?)) ORDER BY id LIMIT 1`,
      )
      .pluck()
      .get(hoursAgo(48)) as string;
    const r = await callTool(tool("get_service_metrics"), { service_id: quiet, hours: 24 });
    expect(r.ok).toBe(true);
    expect(r.data.spike_detected).toBe(false);
  });

  it.each([
    [{ service_id: PAYMENTS, level: "error" }, "service_id = 'payments-api' AND level = 'error'"],
    [{ query: "card-processor" }, "message LIKE '%card-processor%'"],
    [{ service_id: "checkout-web", query: "503", hours: 6 }, "service_id = 'checkout-web' AND message LIKE '%503%'"],
  ])("search_logs %j matches direct SQL", async (args, where) => {
    const hours = (args as { hours?: number }).hours ?? 24;
    const r = await callTool(tool("search_logs"), { ...args, limit: 5 });
    expect(r.ok).toBe(true);
    const sql = `SELECT id FROM logs WHERE ${where} AND ts > ? AND ts <= ? ORDER BY ts DESC, id DESC`;
    const ids = db().sql.prepare(sql).pluck().all(hoursAgo(hours), nowIso());
    expect(r.data.total_matched).toBe(ids.length);
    expect(r.data.total_matched).toBeGreaterThan(0);
    expect(r.data.logs.map((l: any) => l.id)).toEqual(ids.slice(0, 5));
  });

  it("get_channel_messages returns the latest #inc-payments messages, oldest first, and filters by text", async () => {
    const r = await callTool(tool("get_channel_messages"), { channel: PAYMENTS_CHANNEL, limit: 5 });
    expect(r.ok).toBe(true);
    const ids = db()
      .sql.prepare("SELECT id FROM channel_messages WHERE channel = ? AND created_at <= ? ORDER BY created_at DESC, id DESC LIMIT 5")
      .pluck()
      .all(PAYMENTS_CHANNEL, nowIso());
    expect(r.data.messages.map((m: any) => m.id)).toEqual([...ids].reverse());
    const filtered = await callTool(tool("get_channel_messages"), { channel: "#INC-Payments", query: "card processor" });
    expect(filtered.ok).toBe(true);
    expect(filtered.data.channel).toBe(PAYMENTS_CHANNEL);
    expect(filtered.data.messages.length).toBeGreaterThan(0);
    expect(filtered.data.query_match).toBe("all");
    for (const m of filtered.data.messages) {
      expect(m.body.toLowerCase()).toContain("card");
      expect(m.body.toLowerCase()).toContain("processor");
    }
  });

  it("keyword queries fall back from all terms to any term, and to no text filter (flagged) when nothing matches", async () => {
    const any = await callTool(tool("get_channel_messages"), { channel: PAYMENTS_CHANNEL, query: "rollback processor" });
    expect(any.data.query_match).toBe("any");
    expect(any.data.total_matched).toBe(
      db().sql.prepare("SELECT COUNT(*) FROM channel_messages WHERE channel = ? AND (body LIKE '%rollback%' OR body LIKE '%processor%')").pluck().get(PAYMENTS_CHANNEL),
    );
    const none = await callTool(tool("search_logs"), { service_id: PAYMENTS, level: "error", query: "show me the latest zebra giraffe", limit: 3 });
    expect(none.ok).toBe(true);
    expect(none.data).toMatchObject({ query_match: "none", query_terms: ["zebra", "giraffe"] });
    expect(none.data.note).toMatch(/not matches/);
    const unfiltered = await callTool(tool("search_logs"), { service_id: PAYMENTS, level: "error", limit: 3 });
    expect(none.data.logs).toEqual(unfiltered.data.logs);
    const bare = await callTool(tool("search_logs"), { query: "zebra giraffe" });
    expect(bare.data).toMatchObject({ total_matched: 0, logs: [] });
  });

  it.each([
    [{ service_id: PAYMENTS }, PAYMENTS],
    [{ query: "payments-api elevated 5xx errors" }, PAYMENTS],
    [{ query: "card processor timeout circuit breaker" }, PAYMENTS],
    [{ query: "spot capacity reclaimed executors" }, "analytics-pipeline"],
  ])("search_runbooks %j ranks the %s runbook first and returns article ids", async (args, serviceId) => {
    const r = await callTool(tool("search_runbooks"), args);
    expect(r.ok).toBe(true);
    const expectedId = db().sql.prepare("SELECT id FROM kb_articles WHERE kind = 'runbook' AND service_id = ?").pluck().get(serviceId);
    expect(r.data.runbooks[0].id).toBe(expectedId);
    for (const rb of r.data.runbooks) expect(rb.id).toMatch(ID_PATTERNS.article_id);
    expect(r.data.runbooks.length).toBeLessThanOrEqual(5);
  });

  it("get_runbook returns the full runbook text", async () => {
    const [id, body] = db().sql.prepare("SELECT id, body FROM kb_articles WHERE kind = 'runbook' AND service_id = ?").raw().get(PAYMENTS) as [string, string];
    const r = await callTool(tool("get_runbook"), { article_id: id });
    expect(r.ok).toBe(true);
    expect(r.data).toMatchObject({ id, service_id: PAYMENTS, body });
  });

  it("get_incident returns the payments incident with all its updates", async () => {
    const r = await callTool(tool("get_incident"), { incident_id: PAYMENTS_INC });
    expect(r.ok).toBe(true);
    const row = db().sql.prepare("SELECT * FROM incidents WHERE id = ?").get(PAYMENTS_INC) as any;
    expect(r.data).toMatchObject({ id: PAYMENTS_INC, service_id: PAYMENTS, severity: "sev2", status: "investigating", title: row.title });
    expect(r.data.title).toMatch(/5xx/);
    const updates = db().sql.prepare("SELECT id FROM incident_updates WHERE incident_id = ? ORDER BY created_at, id").pluck().all(PAYMENTS_INC);
    expect(r.data.updates.map((u: any) => u.id)).toEqual(updates);
    expect(r.data.updates.some((u: any) => u.public === true)).toBe(true);
  });

  it("list_open_incidents lists exactly the unresolved incidents, most severe first", async () => {
    const r = await callTool(tool("list_open_incidents"), {});
    const open = db().sql.prepare("SELECT id FROM incidents WHERE status != 'resolved'").pluck().all() as string[];
    expect(r.data.total_open).toBe(open.length);
    expect(r.data.incidents.map((i: any) => i.id).sort()).toEqual([...open].sort());
    const sev = r.data.incidents.map((i: any) => i.severity);
    expect([...sev].sort()).toEqual(sev);
    const payments = await callTool(tool("list_open_incidents"), { service_id: PAYMENTS });
    expect(payments.data.incidents.map((i: any) => i.id)).toEqual([PAYMENTS_INC]);
  });

  it("list_incidents returns incidents started in the window, matching SQL", async () => {
    const r = await callTool(tool("list_incidents"), { from_date: "2026-10-01", to_date: "2026-11-16", limit: 50 });
    expect(r.ok).toBe(true);
    const ids = db()
      .sql.prepare("SELECT id FROM incidents WHERE started_at >= '2026-10-01T00:00:00.000Z' AND started_at < '2026-11-17T00:00:00.000Z' ORDER BY started_at DESC, id DESC")
      .pluck()
      .all();
    expect(r.data.total_matched).toBe(ids.length);
    expect(r.data.incidents.map((i: any) => i.id)).toEqual(ids.slice(0, 50));
  });

  it("get_incident_stats counts incidents and MTTR like direct SQL", async () => {
    const r = await callTool(tool("get_incident_stats"), { hours: 24 * 30 });
    expect(r.ok).toBe(true);
    const from = hoursAgo(24 * 30);
    const started = db().sql.prepare("SELECT COUNT(*) FROM incidents WHERE started_at >= ? AND started_at <= ?").pluck().get(from, nowIso());
    expect(r.data.started).toBe(started);
    const mttr = db()
      .sql.prepare("SELECT AVG((julianday(resolved_at) - julianday(started_at)) * 1440) FROM incidents WHERE resolved_at >= ? AND resolved_at <= ?")
      .pluck()
      .get(from, nowIso()) as number;
    expect(r.data.mttr_minutes).toBeCloseTo(mttr, 0);
    expect(r.data.open_ids).toContain(PAYMENTS_INC);
    expect(Object.values(r.data.by_severity as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(started);
  });
});

describe("incident tools: bad arguments and unknown ids", () => {
  it.each<[string, Record<string, unknown>, string]>([
    ["get_service_status", { service_id: "payments" }, "service_id"],
    ["get_service_metrics", { service_id: PAYMENTS, hours: 0 }, "hours"],
    ["get_service_metrics", { service_id: PAYMENTS, hours: 2.5 }, "hours"],
    ["search_logs", { service_id: PAYMENTS, level: "fatal" }, "level"],
    ["search_logs", {}, "service_id"],
    ["get_channel_messages", { channel: "inc payments!" }, "channel"],
    ["get_channel_messages", { channel: "inc-payments" }, "channel"],
    ["search_runbooks", {}, "query"],
    ["get_runbook", { article_id: "KB101" }, "article_id"],
    ["get_incident", { incident_id: "759" }, "incident_id"],
    ["list_incidents", { from_date: "2026-02-30" }, "from_date"],
    ["list_incidents", { from_date: "2026-11-10", to_date: "2026-11-01" }, "to_date"],
    ["create_incident", { service_id: PAYMENTS, severity: "critical", title: "Something broke", summary: "details here" }, "severity"],
    ["create_incident", { service_id: PAYMENTS, severity: "sev2", summary: "details here" }, "title"],
    ["update_incident", { incident_id: PAYMENTS_INC, status: "fixed" }, "status"],
    ["update_incident", { incident_id: PAYMENTS_INC }, "status"],
    ["set_service_status", { service_id: PAYMENTS, status: "down", reason: "because" }, "status"],
    ["page_oncall", { service_id: PAYMENTS }, "message"],
    ["page_oncall", { message: "help needed now" }, "service_id"],
    ["post_status_update", { incident_id: PAYMENTS_INC, message: "short" }, "message"],
  ])("%s %j -> invalid_arguments on %s, nothing changed", async (name, args, field) => {
    await expectRefused(db(), tool(name), args, "invalid_arguments", field);
  });

  it.each<[string, Record<string, unknown>, string]>([
    ["get_incident", { incident_id: "INC-999" }, "incident_id"],
    ["get_runbook", { article_id: "KB-999" }, "article_id"],
    ["get_runbook", { article_id: "KB-001" }, "article_id"],
    ["get_channel_messages", { channel: "#no-such-channel" }, "channel"],
    ["update_incident", { incident_id: "INC-999", status: "resolved" }, "incident_id"],
    ["page_oncall", { incident_id: "INC-999", message: "is anyone there?" }, "incident_id"],
    ["post_status_update", { incident_id: "INC-999", message: "All systems are operational again." }, "incident_id"],
  ])("%s %j -> not_found on %s, nothing changed", async (name, args, field) => {
    await expectRefused(db(), tool(name), args, "not_found", field);
  });
});

describe("incident tools: writes", () => {
  const resolvedIncident = () => db().sql.prepare("SELECT id FROM incidents WHERE status = 'resolved' ORDER BY id LIMIT 1").pluck().get() as string;

  it("create_incident inserts one incident and one audit row", async () => {
    const args = { service_id: "search-api", severity: "sev3", title: "Search suggestions time out", summary: "GET /v1/suggest p95 above 2 s since 08:40" };
    const { result, changes } = await withChanges(db(), () => callTool(tool("create_incident"), args));
    expect(result.ok).toBe(true);
    const id = result.data.incident_id as string;
    expect(id).toMatch(ID_PATTERNS.incident_id);
    expect(changes).toEqual({ incidents: { inserted: [id] }, ...ONE_AUDIT_ROW });
    const row = db().sql.prepare("SELECT * FROM incidents WHERE id = ?").get(id) as any;
    expect(row).toMatchObject({ service_id: "search-api", severity: "sev3", status: "investigating", started_at: nowIso(), resolved_at: null });
    expectLastAudit(db(), "create_incident", { args });
    const fetched = await callTool(tool("get_incident"), { incident_id: id });
    expect(fetched.data.title).toBe(args.title);
  });

  it("create_incident refuses a duplicate of an open incident", async () => {
    const title = db().sql.prepare("SELECT title FROM incidents WHERE id = ?").pluck().get(PAYMENTS_INC) as string;
    await expectRefused(db(), tool("create_incident"), { service_id: PAYMENTS, severity: "sev2", title, summary: "same thing again" }, "invalid_state", "title");
  });

  it("update_incident changes status, adds an internal note and one audit row", async () => {
    const { result, changes } = await withChanges(db(), () =>
      callTool(tool("update_incident"), { incident_id: PAYMENTS_INC, status: "identified", message: "Card processor upstream timeouts confirmed." }),
    );
    expect(result.ok).toBe(true);
    expect(changes).toEqual({
      incidents: { updated: [PAYMENTS_INC] },
      incident_updates: { inserted: [String(result.data.update_id)] },
      ...ONE_AUDIT_ROW,
    });
    const row = db().sql.prepare("SELECT status, severity, resolved_at FROM incidents WHERE id = ?").get(PAYMENTS_INC);
    expect(row).toEqual({ status: "identified", severity: "sev2", resolved_at: null });
    const update = db().sql.prepare("SELECT body, public FROM incident_updates WHERE id = ?").get(result.data.update_id) as any;
    expect(update.public).toBe(0);
    expect(update.body).toContain("investigating -> identified");
    expectLastAudit(db(), "update_incident");
  });

  it("update_incident with only a note adds the note without touching the incident", async () => {
    const { result, changes } = await withChanges(db(), () => callTool(tool("update_incident"), { incident_id: PAYMENTS_INC, message: "Processor case #4411 opened." }));
    expect(result.ok).toBe(true);
    expect(changes).toEqual({ incident_updates: { inserted: [String(result.data.update_id)] }, ...ONE_AUDIT_ROW });
  });

  it.each<[string, () => Record<string, unknown>, string]>([
    ["update_incident on a resolved incident", () => ({ incident_id: resolvedIncident(), status: "monitoring" }), "update_incident"],
    ["update_incident with no change", () => ({ incident_id: PAYMENTS_INC, status: "identified", severity: "sev2" }), "update_incident"],
    ["page_oncall for a resolved incident", () => ({ incident_id: resolvedIncident(), message: "please look at this" }), "page_oncall"],
  ])("%s -> invalid_state, nothing changed", async (_label, args, name) => {
    await expectRefused(db(), tool(name), args(), "invalid_state");
  });

  it("set_service_status updates one service and audits it; setting the same status again changes nothing", async () => {
    const args = { service_id: "search-api", status: "partial_outage", reason: "suggest endpoint timing out" };
    const { result, changes } = await withChanges(db(), () => callTool(tool("set_service_status"), args));
    expect(result.ok).toBe(true);
    expect(changes).toEqual({ services: { updated: ["search-api"] }, ...ONE_AUDIT_ROW });
    expect(db().sql.prepare("SELECT status FROM services WHERE id = 'search-api'").pluck().get()).toBe("partial_outage");
    const again = await withChanges(db(), () => callTool(tool("set_service_status"), args));
    expect(again.result.data.changed).toBe(false);
    expect(again.changes).toEqual({});
  });

  it("page_oncall inserts one page to the service's on-call and one audit row", async () => {
    const { result, changes } = await withChanges(db(), () =>
      callTool(tool("page_oncall"), { incident_id: PAYMENTS_INC, message: "payments-api 5xx at 9%, INC sev2, please join #inc-payments" }),
    );
    expect(result.ok).toBe(true);
    const oncall = db().sql.prepare("SELECT oncall FROM services WHERE id = ?").pluck().get(PAYMENTS);
    expect(result.data).toMatchObject({ oncall, service_id: PAYMENTS, incident_id: PAYMENTS_INC });
    expect(changes).toEqual({ pages: { inserted: [result.data.page_id] }, ...ONE_AUDIT_ROW });
    const page = db().sql.prepare("SELECT * FROM pages WHERE id = ?").get(result.data.page_id) as any;
    expect(page).toMatchObject({ oncall, service_id: PAYMENTS, incident_id: PAYMENTS_INC, created_at: nowIso() });
  });

  it("page_oncall by service alone pages that service's on-call", async () => {
    const { result, changes } = await withChanges(db(), () => callTool(tool("page_oncall"), { service_id: "cdn-edge", message: "edge 5xx rising in eu-west" }));
    expect(result.ok).toBe(true);
    expect(result.data.oncall).toBe(SERVICES.find((s) => s.id === "cdn-edge")!.oncall);
    expect(result.data.incident_id).toBeNull();
    expect(Object.keys(changes).sort()).toEqual(["audit_log", "pages"]);
  });

  it("post_status_update inserts one public update and one audit row", async () => {
    const message = "We have identified the cause of failing card payments and are applying a fix.";
    const { result, changes } = await withChanges(db(), () => callTool(tool("post_status_update"), { incident_id: PAYMENTS_INC, message }));
    expect(result.ok).toBe(true);
    expect(changes).toEqual({ incident_updates: { inserted: [String(result.data.update_id)] }, ...ONE_AUDIT_ROW });
    expect(db().sql.prepare("SELECT body, public FROM incident_updates WHERE id = ?").get(result.data.update_id)).toEqual({ body: message, public: 1 });
  });

  it("update_incident resolving sets resolved_at to the reference time", async () => {
    const { result } = await withChanges(db(), () => callTool(tool("update_incident"), { incident_id: PAYMENTS_INC, status: "resolved", message: "Processor recovered." }));
    expect(result.ok).toBe(true);
    expect(db().sql.prepare("SELECT status, resolved_at FROM incidents WHERE id = ?").get(PAYMENTS_INC)).toEqual({ status: "resolved", resolved_at: nowIso() });
    const open = await callTool(tool("list_open_incidents"), { service_id: PAYMENTS });
    expect(open.data.incidents).toEqual([]);
  });
});
