/** Exactly-once side effects: a write tool call repeated with the same idempotency key acts once. */
import { describe, it, expect } from "vitest";
import { supportTools } from "../support/index.js";
import { companyDb } from "../../src/db/index.js";
import { unspotlight } from "../../src/guardrails/spotlight.js";

const issueCredit = supportTools.find((t) => t.name === "issue_credit")!;
const credits = () => companyDb().sql.prepare("SELECT COUNT(*) FROM credits WHERE customer_id = 'CUS-1042'").pluck().get() as number;
const audits = () => companyDb().sql.prepare("SELECT COUNT(*) FROM audit_log WHERE tool = 'issue_credit'").pluck().get() as number;
const args = { customer_id: "CUS-1042", amount_usd: 12, reason: "goodwill for the outage" };
const call = (id: string, thread?: string) =>
  issueCredit.invoke({ type: "tool_call", id, name: "issue_credit", args }, { configurable: thread ? { thread_id: thread } : {} });

describe("idempotency ledger", () => {
  it("a retried or resumed call (same thread and tool call id) returns the recorded result and acts once", async () => {
    const before = { credits: credits(), audits: audits() };
    const first = await call("call-once", "thread-a");
    const again = await call("call-once", "thread-a");
    expect(unspotlight(String(again.content))).toBe(unspotlight(String(first.content)));
    expect(credits()).toBe(before.credits + 1);
    expect(audits()).toBe(before.audits + 1);
    expect(companyDb().sql.prepare("SELECT COUNT(*) FROM tool_ledger WHERE tool = 'issue_credit'").pluck().get()).toBeGreaterThanOrEqual(1);
  });

  it.each([
    ["another tool call id", "call-two", "thread-a"],
    ["the same id in another thread", "call-once", "thread-b"],
  ])("%s acts again", async (_label, id, thread) => {
    const before = credits();
    await call(id, thread);
    expect(credits()).toBe(before + 1);
  });

  it("a call outside a graph (no thread) is not deduplicated", async () => {
    const before = credits();
    await call("call-direct");
    await call("call-direct");
    expect(credits()).toBe(before + 2);
  });

  it("a failed call records nothing, so a corrected retry acts", async () => {
    const before = credits();
    const failed = await issueCredit.invoke({ type: "tool_call", id: "call-bad", name: "issue_credit", args: { ...args, customer_id: "CUS-9999" } }, { configurable: { thread_id: "thread-c" } });
    expect(String(failed.content)).toContain("not_found");
    expect(companyDb().sql.prepare("SELECT COUNT(*) FROM tool_ledger WHERE tool = 'issue_credit' AND args LIKE '%CUS-9999%'").pluck().get()).toBe(0);
    expect(credits()).toBe(before);
  });
});
