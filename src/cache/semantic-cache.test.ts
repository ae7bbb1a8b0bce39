import { describe, it, expect } from "vitest";
import { SemanticCache, cacheable, semanticCacheSettings } from "./semantic-cache.js";
import { requestSignature, signatureKey } from "./semantic-signature.js";
import { auditedWrite, recordVersions } from "../../tools/shared/db-helpers.js";
import { companyDb } from "../db/index.js";
import { ConfigurationError } from "../errors.js";

const same = (a: string, b: string) => signatureKey(requestSignature(a)) === signatureKey(requestSignature(b));

describe("request signature", () => {
  it.each([
    ["why was customer CUS-1042 charged twice?", "Why did CUS-1042 get charged two times?"],
    ["Which invoices are overdue right now?", "Show me the invoices that are past due"],
    ["Has ticket TCK-5100 breached its SLA?", "Is TCK-5100 past its SLA?"],
    ["How much does CUS-1300 still owe us?", "What is CUS-1300's outstanding balance?"],
    ["What plan is CUS-1100 on?", "Tell me which plan CUS-1100 is on"],
  ])("paraphrases keep it: %j ~ %j", (a, b) => expect(same(a, b)).toBe(true));

  it.each([
    ["why was customer CUS-1042 charged twice?", "why was customer CUS-1043 charged twice?"],
    ["why was customer CUS-1042 charged twice?", "why was customer CUS-1042 charged three times?"],
    ["What was our revenue in October 2026?", "What was our revenue in September 2026?"],
    ["Show the error logs of checkout-web in the last 2 hours", "Show the error logs of checkout-web in the last 6 hours"],
    ["Is payments-api down?", "Is checkout-web down?"],
    ["Show the unpaid invoices of CUS-1300", "Show the paid invoices of CUS-1300"],
    ["Which invoices are overdue?", "Which invoices were overdue last month?"],
    ["Which invoices of CUS-1100 are over $100?", "Which invoices of CUS-1100 are over $500.00?"],
  ])("a changed number or entity changes it: %j vs %j", (a, b) => expect(same(a, b)).toBe(false));

  it("actions make a request uncacheable; asking to be told does not", () => {
    expect(cacheable("Refund payment PAY-31043")).toBe(false);
    expect(cacheable("Please cancel order ORD-10500")).toBe(false);
    expect(cacheable("Tell me the status of ORD-10500")).toBe(true);
    expect(cacheable("What was the refund on RFD-0001 for?")).toBe(true);
  });
});

describe("semantic cache", () => {
  const settings = { enabled: true, minSimilarity: 0.55 };

  it("serves a paraphrase, refuses a near miss, keeps tenants apart", async () => {
    const cache = new SemanticCache({ settings, versions: () => ({}) });
    await cache.remember({ tenant: "acme", request: "why was customer CUS-1042 charged twice?", answer: "Duplicate PAY-31043.", routes: ["finance"], evidence: ["PAY-31043"] });
    expect(await cache.lookup("acme", "Why did CUS-1042 get charged two times?")).toMatchObject({ answer: "Duplicate PAY-31043." });
    expect(await cache.lookup("acme", "why was customer CUS-1043 charged twice?")).toBeUndefined();
    expect(await cache.lookup("globex", "why was customer CUS-1042 charged twice?")).toBeUndefined();
    expect(cache.stats).toMatchObject({ hits: 1, stores: 1 });
    expect(cache.stats.signatureRejects).toBeGreaterThanOrEqual(1);
  });

  it("a request with the same signature but little in common is not served (the bench's one false hit)", async () => {
    const cache = new SemanticCache({ settings, versions: () => ({}) });
    await cache.remember({ tenant: "acme", request: "How long does ground shipping usually take with UPS?", answer: "5 days.", routes: ["shipping"], evidence: [] });
    expect(await cache.lookup("acme", "How is UPS performing on time?")).toBeUndefined();
    expect(await cache.lookup("acme", "How long does UPS ground shipping usually take?")).toBeDefined();
  });

  it("an audited write to a record the answer read invalidates it", async () => {
    const cache = new SemanticCache({ settings });
    const db = companyDb();
    const order = db.sql.prepare("SELECT id, status FROM orders LIMIT 1").get() as { id: string; status: string };
    const request = `What's the status of order ${order.id}?`;
    await cache.remember({ tenant: "default", request, answer: `Order ${order.id} is ${order.status}.`, routes: ["shipping"], evidence: [order.id] });
    expect(await cache.lookup("default", request)).toBeDefined();
    const before = recordVersions(db, [order.id])[order.id]!;
    auditedWrite({ db, actor: "test", toolName: "update_order_status" }, { order_id: order.id, status: "processing" }, (d) => {
      d.sql.prepare("UPDATE orders SET status = ? WHERE id = ?").run("processing", order.id);
      return { order_id: order.id, status: "processing" };
    });
    expect(recordVersions(db, [order.id])[order.id]).toBe(before + 1);
    expect(await cache.lookup("default", request)).toBeUndefined();
    expect(cache.stats.stale).toBe(1);
  });

  it("a list answer depends on every record of its kinds", async () => {
    const cache = new SemanticCache({ settings });
    const db = companyDb();
    await cache.remember({ tenant: "default", request: "Which invoices are overdue right now?", answer: "INV-20001 is overdue.", routes: ["finance"], evidence: ["INV-20001"] });
    expect(await cache.lookup("default", "List overdue invoices right now")).toBeDefined();
    auditedWrite({ db, actor: "test", toolName: "void_invoice" }, { invoice_id: "INV-29999" }, () => ({ invoice_id: "INV-29999", status: "void" }));
    expect(await cache.lookup("default", "Which invoices are overdue right now?")).toBeUndefined();
  });

  it("never stores or serves a request asking for an action, and does nothing when off", async () => {
    const cache = new SemanticCache({ settings, versions: () => ({}) });
    await cache.remember({ tenant: "default", request: "Refund payment PAY-31043", answer: "Refunded.", routes: ["finance"], evidence: [] });
    expect(await cache.lookup("default", "Refund payment PAY-31043")).toBeUndefined();
    const off = new SemanticCache({ settings: { ...settings, enabled: false }, versions: () => ({}) });
    await off.remember({ tenant: "default", request: "Show invoice INV-21042", answer: "x", routes: ["finance"], evidence: [] });
    expect(await off.lookup("default", "Show invoice INV-21042")).toBeUndefined();
    expect(cache.stats.stores + off.stats.stores).toBe(0);
  });

  it("settings: malformed values are refused naming the variable", () => {
    expect(semanticCacheSettings({ KEEL_SEMANTIC_CACHE: "off" }).enabled).toBe(false);
    expect(() => semanticCacheSettings({ KEEL_SEMANTIC_CACHE: "yes" })).toThrow(ConfigurationError);
    expect(() => semanticCacheSettings({ KEEL_SEMANTIC_CACHE_MIN_SIMILARITY: "1.5" })).toThrow(/KEEL_SEMANTIC_CACHE_MIN_SIMILARITY/);
  });
});
