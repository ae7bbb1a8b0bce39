import { describe, it, expect } from "vitest";
import { companyDb } from "../../src/db/index.js";
import { STORY } from "../../src/db/seed.js";
import type { KeelTool, SideEffect } from "../../src/toolkit/define-tool.js";
import { ONE_AUDIT_ROW, callOk, expectCompleteTool, expectLastAudit, expectRefused, withChanges } from "../shared/tool-testing.js";
import { supportTools } from "./index.js";

const db = companyDb();
const tool = (name: string): KeelTool => {
  const found = supportTools.find((t) => t.name === name);
  if (!found) throw new Error(`no support tool ${name}`);
  return found as unknown as KeelTool;
};
const one = <T>(sql: string, ...params: unknown[]) => db.sql.prepare(sql).get(...params) as T;
const pluck = <T>(sql: string, ...params: unknown[]) => db.sql.prepare(sql).pluck().get(...params) as T;
const column = <T>(sql: string, ...params: unknown[]) => db.sql.prepare(sql).pluck().all(...params) as T[];

const billingTicket = STORY.duplicateCharge.ticketId;
const urgentTicket = STORY.slaBreach.ticketId;
const cus1042 = one<{ email: string; company: string; credit_balance_cents: number }>("SELECT * FROM customers WHERE id = 'CUS-1042'");
const churned = pluck<string>("SELECT id FROM customers WHERE status = 'churned' ORDER BY id");
const closedTicket = pluck<string>("SELECT id FROM tickets WHERE status = 'closed' ORDER BY id");
const resolvedTicket = pluck<string>("SELECT id FROM tickets WHERE status = 'resolved' ORDER BY id");
const otherCustomersTicket = pluck<string>("SELECT id FROM tickets WHERE customer_id <> 'CUS-1042' ORDER BY id");

describe("support tools: catalogue", () => {
  it("has at least 11 tools with unique snake_case names", () => {
    const names = supportTools.map((t) => t.name);
    expect(names.length).toBeGreaterThanOrEqual(11);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name).toMatch(/^[a-z]+(_[a-z]+)*$/);
  });

  it.each<[string, SideEffect]>([
    ["find_customer", "read"],
    ["get_customer", "read"],
    ["get_plan_sla", "read"],
    ["list_customer_tickets", "read"],
    ["get_ticket", "read"],
    ["check_ticket_sla", "read"],
    ["search_policies", "read"],
    ["get_kb_article", "read"],
    ["list_customer_credits", "read"],
    ["issue_credit", "write"],
    ["escalate_ticket", "write"],
    ["update_ticket_status", "write"],
    ["reply_to_ticket", "egress"],
  ])("%s has complete metadata, side effect %s and a described schema", (name, sideEffect) => {
    const t = tool(name);
    expectCompleteTool(t, "support", sideEffect);
    for (const scope of t.metadata.scopes) expect(scope).toMatch(/^(support|comms):[a-z]+$/);
    expect(t.metadata.scopes.some((s) => s !== "support:read")).toBe(sideEffect !== "read");
  });

  it("covers every support tool in the side-effect table", () => {
    expect(supportTools.filter((t) => t.metadata.sideEffect !== "read").map((t) => t.name).sort()).toEqual(
      ["escalate_ticket", "issue_credit", "reply_to_ticket", "update_ticket_status"],
    );
  });
});

describe("support tools: reads", () => {
  it("the story tickets are where the tests expect them", () => {
    expect(one("SELECT customer_id, category, status FROM tickets WHERE id = ?", billingTicket)).toEqual({ customer_id: "CUS-1042", category: "billing", status: "open" });
    expect(one("SELECT customer_id, priority, status, escalated_to FROM tickets WHERE id = ?", urgentTicket)).toEqual({
      customer_id: "CUS-1100",
      priority: "urgent",
      status: "escalated",
      escalated_to: "engineering",
    });
  });

  it.each<[string, () => Record<string, unknown>, (data: any) => void]>([
    ["find_customer", () => ({ email: cus1042.email.toUpperCase() }), (d) => expect(d.customers.map((c: any) => c.customer_id)).toEqual(["CUS-1042"])],
    ["find_customer", () => ({ query: cus1042.company.slice(0, 6) }), (d) => expect(d.customers.map((c: any) => c.customer_id)).toContain("CUS-1042")],
    [
      "get_customer",
      () => ({ customer_id: "CUS-1100" }),
      (d) => {
        const c = one<any>("SELECT c.*, p.sla_first_response_h FROM customers c JOIN plans p ON p.id = c.plan_id WHERE c.id = 'CUS-1100'");
        expect(d).toMatchObject({ customer_id: "CUS-1100", email: c.email, plan_id: "PLAN-ENTERPRISE", credit_balance_cents: c.credit_balance_cents });
        expect(d.plan.sla_first_response_hours).toBe(c.sla_first_response_h);
        expect(d.open_ticket_ids).toContain(urgentTicket);
      },
    ],
    [
      "get_plan_sla",
      () => ({ customer_id: "CUS-1100" }),
      (d) => {
        const p = one<any>("SELECT * FROM plans WHERE id = 'PLAN-ENTERPRISE'");
        expect(d).toMatchObject({ customer_id: "CUS-1100", plan_id: p.id, sla_first_response_hours: p.sla_first_response_h, sla_resolution_hours: p.sla_resolution_h });
      },
    ],
    ["get_plan_sla", () => ({ plan_id: "PLAN-PRO" }), (d) => expect(d).toMatchObject({ plan_id: "PLAN-PRO", sla_first_response_hours: pluck("SELECT sla_first_response_h FROM plans WHERE id = 'PLAN-PRO'") })],
    [
      "list_customer_tickets",
      () => ({ customer_id: "CUS-1042", limit: 50 }),
      (d) => {
        expect(d.tickets.map((t: any) => t.ticket_id)).toEqual(column("SELECT id FROM tickets WHERE customer_id = 'CUS-1042' ORDER BY created_at DESC, id DESC"));
        expect(d.tickets.map((t: any) => t.ticket_id)).toContain(billingTicket);
      },
    ],
    [
      "list_customer_tickets",
      () => ({ customer_id: "CUS-1100", status: "closed", limit: 1 }),
      (d) => {
        expect(d.total).toBe(pluck("SELECT COUNT(*) FROM tickets WHERE customer_id = 'CUS-1100' AND status = 'closed'"));
        expect(d.tickets.length).toBe(Math.min(1, d.total));
      },
    ],
    [
      "get_ticket",
      () => ({ ticket_id: billingTicket }),
      (d) => {
        expect(d).toMatchObject({ ticket_id: billingTicket, customer_id: "CUS-1042", category: "billing" });
        expect(d.message_count).toBe(pluck("SELECT COUNT(*) FROM ticket_messages WHERE ticket_id = ?", billingTicket));
        expect(d.messages.map((m: any) => m.message_id)).toEqual(column("SELECT id FROM ticket_messages WHERE ticket_id = ? ORDER BY created_at, id", billingTicket).slice(-20));
      },
    ],
    [
      "check_ticket_sla",
      () => ({ ticket_id: urgentTicket }),
      (d) => {
        expect(d).toMatchObject({ ticket_id: urgentTicket, customer_id: "CUS-1100", plan_id: "PLAN-ENTERPRISE", breached: true });
        const t = one<{ created_at: string; first_response_at: string }>("SELECT * FROM tickets WHERE id = ?", urgentTicket);
        const hours = (Date.parse(t.first_response_at) - Date.parse(t.created_at)) / 3_600_000;
        expect(d.first_response).toMatchObject({ target_hours: 1, responded_at: t.first_response_at, state: "breached", breached: true });
        expect(d.first_response.elapsed_hours).toBeCloseTo(hours, 2);
        expect(d.first_response.overdue_hours).toBeCloseTo(hours - 1, 2);
        expect(d.resolution).toMatchObject({ target_hours: 24, resolved_at: null, state: "running", breached: false });
      },
    ],
    [
      "search_policies",
      () => ({ query: "refund a duplicate charge" }),
      (d) => {
        expect(d.results.map((r: any) => r.article_id)).toContain("KB-001");
        for (const r of d.results) expect(["policy", "faq"]).toContain(r.kind);
      },
    ],
    ["search_policies", () => ({ query: "service credit approval" }), (d) => expect(d.results[0].article_id).toBe("KB-002")],
    ["search_policies", () => ({ query: "escalation" }), (d) => expect(d.results.map((r: any) => r.article_id)).toContain("KB-005")],
    [
      "get_kb_article",
      () => ({ article_id: "KB-002" }),
      (d) => expect(d).toMatchObject({ article_id: "KB-002", body: pluck("SELECT body FROM kb_articles WHERE id = 'KB-002'"), title: pluck("SELECT title FROM kb_articles WHERE id = 'KB-002'") }),
    ],
    [
      "list_customer_credits",
      () => ({ customer_id: "CUS-1042" }),
      (d) => {
        expect(d.total).toBe(pluck("SELECT COUNT(*) FROM credits WHERE customer_id = 'CUS-1042'"));
        expect(d.credit_balance_cents).toBe(cus1042.credit_balance_cents);
      },
    ],
  ])("%s returns the right records (%#)", async (name, args, check) => {
    const { result, changes } = await withChanges(db, () => callOk(tool(name), args()));
    check(result);
    expect(changes).toEqual({});
  });

  it("check_ticket_sla measures a running clock from the company's now", async () => {
    const open = pluck<string>("SELECT id FROM tickets WHERE first_response_at IS NULL ORDER BY id");
    if (!open) return;
    const d = await callOk(tool("check_ticket_sla"), { ticket_id: open });
    const created = Date.parse(pluck<string>("SELECT created_at FROM tickets WHERE id = ?", open));
    expect(d.measured_at).toBe(db.referenceNow.toISOString());
    expect(d.first_response.elapsed_hours).toBeCloseTo((db.referenceNow.getTime() - created) / 3_600_000, 0);
  });

  it("search_policies caps its results and never returns runbooks", async () => {
    const d = await callOk(tool("search_policies"), { query: "payments-api runbook error rate", limit: 2 });
    expect(d.results.length).toBeLessThanOrEqual(2);
    for (const r of d.results) expect(pluck("SELECT kind FROM kb_articles WHERE id = ?", r.article_id)).not.toBe("runbook");
  });
});

describe("support tools: bad arguments and unknown ids", () => {
  it.each<[string, Record<string, unknown>, string]>([
    ["get_customer", { customer_id: "1042" }, "customer_id"],
    ["get_customer", {}, "customer_id"],
    ["find_customer", {}, "query"],
    ["find_customer", { email: "not-an-email" }, "email"],
    ["get_plan_sla", { plan_id: "PLAN-GOLD" }, "plan_id"],
    ["list_customer_tickets", { customer_id: "CUS-1042", status: "lost" }, "status"],
    ["list_customer_tickets", { customer_id: "CUS-1042", limit: 0 }, "limit"],
    ["get_ticket", { ticket_id: "5000" }, "ticket_id"],
    ["check_ticket_sla", {}, "ticket_id"],
    ["search_policies", { query: "" }, "query"],
    ["get_kb_article", { article_id: "KB-1" }, "article_id"],
    ["issue_credit", { customer_id: "CUS-1042", amount_usd: -5, reason: "Goodwill credit" }, "amount_usd"],
    ["issue_credit", { customer_id: "CUS-1042", amount_usd: 0, reason: "Goodwill credit" }, "amount_usd"],
    ["issue_credit", { customer_id: "CUS-1042", amount_usd: 501, reason: "Goodwill credit" }, "amount_usd"],
    ["issue_credit", { customer_id: "CUS-1042", amount_usd: "20", reason: "Goodwill credit" }, "amount_usd"],
    ["issue_credit", { customer_id: "CUS-1042", amount_usd: 20 }, "reason"],
    ["issue_credit", { customer_id: "CUS-1042", amount_usd: 20, reason: "Goodwill", ticket_id: "T-1" }, "ticket_id"],
    ["escalate_ticket", { ticket_id: billingTicket, reason: "SLA breach", team: "legal" }, "team"],
    ["escalate_ticket", { ticket_id: billingTicket }, "reason"],
    ["update_ticket_status", { ticket_id: billingTicket, status: "escalated" }, "status"],
    ["reply_to_ticket", { ticket_id: billingTicket }, "message"],
    ["reply_to_ticket", { ticket_id: billingTicket, message: "   " }, "message"],
  ])("%s %j -> invalid_arguments on %s, nothing changes", async (name, args, field) => {
    await expectRefused(db, tool(name), args, "invalid_arguments", field);
  });

  it("plain invoke returns the JSON string", async () => {
    const text = await tool("get_customer").invoke({ customer_id: "bad" });
    expect(JSON.parse(text as string)).toMatchObject({ ok: false, error: { code: "invalid_arguments", field: "customer_id" } });
  });

  it.each<[string, Record<string, unknown>, string]>([
    ["get_customer", { customer_id: "CUS-9999" }, "customer_id"],
    ["get_plan_sla", { customer_id: "CUS-9999" }, "customer_id"],
    ["list_customer_tickets", { customer_id: "CUS-9999" }, "customer_id"],
    ["list_customer_credits", { customer_id: "CUS-9999" }, "customer_id"],
    ["get_ticket", { ticket_id: "TCK-99999" }, "ticket_id"],
    ["check_ticket_sla", { ticket_id: "TCK-99999" }, "ticket_id"],
    ["get_kb_article", { article_id: "KB-999" }, "article_id"],
    ["issue_credit", { customer_id: "CUS-9999", amount_usd: 10, reason: "Goodwill credit" }, "customer_id"],
    ["issue_credit", { customer_id: "CUS-1042", amount_usd: 10, reason: "Goodwill credit", ticket_id: "TCK-99999" }, "ticket_id"],
    ["escalate_ticket", { ticket_id: "TCK-99999", reason: "SLA breach" }, "ticket_id"],
    ["update_ticket_status", { ticket_id: "TCK-99999", status: "resolved" }, "ticket_id"],
    ["reply_to_ticket", { ticket_id: "TCK-99999", message: "Hello" }, "ticket_id"],
  ])("%s %j -> not_found on %s, nothing changes", async (name, args, field) => {
    await expectRefused(db, tool(name), args, "not_found", field);
  });

  it("find_customer answers an empty list, not an error, when nothing matches", async () => {
    expect(await callOk(tool("find_customer"), { query: "zzzz-no-such-customer" })).toEqual({ count: 0, customers: [] });
  });
});

describe("support tools: writes", () => {
  const auditRows = () => pluck<number>("SELECT COUNT(*) FROM audit_log");

  it("issue_credit adds one credit, raises the balance and writes one audit row", async () => {
    const balance = pluck<number>("SELECT credit_balance_cents FROM customers WHERE id = 'CUS-1042'");
    const audits = auditRows();
    const args = { customer_id: "CUS-1042", amount_usd: 25.5, reason: "Goodwill for the double charge", ticket_id: billingTicket };
    const { result, changes } = await withChanges(db, () => callOk(tool("issue_credit"), args));
    expect(changes).toEqual({ credits: { inserted: [result.credit_id] }, customers: { updated: ["CUS-1042"] }, audit_log: { inserted: [String(audits + 1)] } });
    expect(result.credit_id).toMatch(/^CRD-\d+$/);
    expect(one("SELECT customer_id, amount_cents, ticket_id, reason FROM credits WHERE id = ?", result.credit_id)).toEqual({
      customer_id: "CUS-1042",
      amount_cents: 2550,
      ticket_id: billingTicket,
      reason: args.reason,
    });
    expect(pluck("SELECT credit_balance_cents FROM customers WHERE id = 'CUS-1042'")).toBe(balance + 2550);
    expect(result).toMatchObject({ amount: "$25.50", credit_balance_cents: balance + 2550 });
    expectLastAudit(db, "issue_credit", { args, result });
  });

  it("issue_credit ids are sequential", async () => {
    const a = await callOk(tool("issue_credit"), { customer_id: "CUS-1100", amount_usd: 10, reason: "SLA breach compensation" });
    const b = await callOk(tool("issue_credit"), { customer_id: "CUS-1100", amount_usd: 10, reason: "SLA breach compensation" });
    expect(Number(b.credit_id.slice(4))).toBe(Number(a.credit_id.slice(4)) + 1);
  });

  it("escalate_ticket sets status and team, adds a system note and one audit row", async () => {
    const { result, changes } = await withChanges(db, () => callOk(tool("escalate_ticket"), { ticket_id: billingTicket, reason: "Duplicate charge needs a refund" }));
    expect(changes).toEqual({ tickets: { updated: [billingTicket] }, ticket_messages: { inserted: [result.message_id] }, ...ONE_AUDIT_ROW });
    expect(one("SELECT status, escalated_to FROM tickets WHERE id = ?", billingTicket)).toEqual({ status: "escalated", escalated_to: "billing-ops" });
    expect(one("SELECT author, ticket_id FROM ticket_messages WHERE id = ?", result.message_id)).toEqual({ author: "system", ticket_id: billingTicket });
    expect(result.message_id).toMatch(/^MSG-\d+$/);
    expectLastAudit(db, "escalate_ticket");
  });

  it("update_ticket_status resolves a ticket and records the resolution time", async () => {
    const { result, changes } = await withChanges(db, () => callOk(tool("update_ticket_status"), { ticket_id: billingTicket, status: "resolved", reason: "Refund confirmed" }));
    expect(changes).toEqual({ tickets: { updated: [billingTicket] }, ...ONE_AUDIT_ROW });
    expect(one("SELECT status, resolved_at FROM tickets WHERE id = ?", billingTicket)).toEqual({ status: "resolved", resolved_at: result.resolved_at });
    expect(result.resolved_at).toBeTruthy();
    // and reopen it for the tests below
    await callOk(tool("update_ticket_status"), { ticket_id: billingTicket, status: "open" });
    expect(one("SELECT status, resolved_at FROM tickets WHERE id = ?", billingTicket)).toEqual({ status: "open", resolved_at: null });
  });

  it("reply_to_ticket adds one agent message and one audit row", async () => {
    const { result, changes } = await withChanges(db, () => callOk(tool("reply_to_ticket"), { ticket_id: billingTicket, message: "We refunded the duplicate charge." }));
    const firstResponse = result.first_response as boolean;
    expect(changes).toEqual({
      ticket_messages: { inserted: [result.message_id] },
      ...(firstResponse ? { tickets: { updated: [billingTicket] } } : {}),
      ...ONE_AUDIT_ROW,
    });
    expect(one("SELECT ticket_id, author, body FROM ticket_messages WHERE id = ?", result.message_id)).toEqual({
      ticket_id: billingTicket,
      author: "agent",
      body: "We refunded the duplicate charge.",
    });
    expect(result.sent_to).toBe(cus1042.email);
    expectLastAudit(db, "reply_to_ticket");
  });

  it.each<[string, () => Record<string, unknown>, string]>([
    ["issue_credit", () => ({ customer_id: churned, amount_usd: 10, reason: "Goodwill credit" }), "customer_id"],
    ["issue_credit", () => ({ customer_id: "CUS-1042", amount_usd: 10, reason: "Goodwill credit", ticket_id: otherCustomersTicket }), "ticket_id"],
    ["escalate_ticket", () => ({ ticket_id: closedTicket, reason: "Customer unhappy" }), "ticket_id"],
    ["escalate_ticket", () => ({ ticket_id: resolvedTicket, reason: "Customer unhappy" }), "ticket_id"],
    ["escalate_ticket", () => ({ ticket_id: urgentTicket, reason: "Again", team: "engineering" }), "ticket_id"],
    ["update_ticket_status", () => ({ ticket_id: closedTicket, status: "open" }), "ticket_id"],
    ["update_ticket_status", () => ({ ticket_id: billingTicket, status: "open" }), "status"],
    ["reply_to_ticket", () => ({ ticket_id: closedTicket, message: "Hello again" }), "ticket_id"],
  ])("%s in an invalid state -> invalid_state on %s, nothing changes (%#)", async (name, args, field) => {
    await expectRefused(db, tool(name), args(), "invalid_state", field);
  });
});
