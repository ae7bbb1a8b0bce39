import { afterAll, describe, expect, it } from "vitest";
import { AIMessage, HumanMessage, ToolMessage } from "@langchain/core/messages";
import { InMemoryStore, type BaseStore } from "@langchain/langgraph";
import { PostgresStore } from "@langchain/langgraph-checkpoint-postgres/store";
import { randomUUID } from "node:crypto";
import { factsFromSteps, memoryNamespace, memoryNote, memoryScopeOf, recallFacts, rememberFact, type Fact } from "./memory.js";
import { countPromptTokens } from "../cost/tokens.js";
import { textOf } from "../models/offline/planner.js";

const pgUrl = process.env.KEEL_TEST_DATABASE_URL;
const stores: [string, () => Promise<BaseStore>][] = [["InMemoryStore", async () => new InMemoryStore()]];
const opened: PostgresStore[] = [];
if (pgUrl) {
  stores.push([
    "PostgresStore",
    async () => {
      const store = PostgresStore.fromConnString(pgUrl);
      await store.setup();
      opened.push(store);
      return store;
    },
  ]);
}
afterAll(async () => {
  for (const store of opened) await store.stop();
});

describe.each(stores)("memory in a %s", (_name, open) => {
  it("keeps thread facts to their thread, and user facts to their user across threads, within the tenant", async () => {
    const store = await open();
    const tenant = `t-${randomUUID()}`;
    const ana = { tenant, userId: "ana@acme.test" };
    await rememberFact(store, { ...ana, threadId: "thread-1" }, "thread", "inv", "INV-21042 is disputed");
    await rememberFact(store, { ...ana, threadId: "thread-1" }, "user", "contact", "Ana prefers email");
    await rememberFact(store, { tenant, userId: "bo", threadId: "thread-3" }, "user", "contact", "Bo prefers phone");
    await rememberFact(store, { tenant: `${tenant}-other`, userId: "ana@acme.test", threadId: "thread-1" }, "thread", "inv", "other tenant's fact");

    const sameThread = await recallFacts(store, { ...ana, threadId: "thread-1" });
    expect(sameThread.map((f) => [f.kind, f.text]).sort()).toEqual([["thread", "INV-21042 is disputed"], ["user", "Ana prefers email"]]);
    const otherThread = await recallFacts(store, { ...ana, threadId: "thread-2" });
    expect(otherThread.map((f) => f.text)).toEqual(["Ana prefers email"]);
    const otherUser = await recallFacts(store, { tenant, userId: "bo", threadId: "thread-1" });
    expect(otherUser.map((f) => f.text).sort()).toEqual(["Bo prefers phone", "INV-21042 is disputed"]);
    const otherTenant = await recallFacts(store, { tenant: `${tenant}-other`, threadId: "thread-1" });
    expect(otherTenant.map((f) => f.text)).toEqual(["other tenant's fact"]);
  });

  it("replaces a fact saved again under the same key", async () => {
    const store = await open();
    const scope = { tenant: `t-${randomUUID()}`, threadId: "t" };
    await rememberFact(store, scope, "thread", "k", "first");
    await rememberFact(store, scope, "thread", "k", "second");
    expect((await recallFacts(store, scope)).map((f) => f.text)).toEqual(["second"]);
  });
});

describe("memory scopes", () => {
  it("reads thread, user and tenant from configurable, and encodes dots store labels may not hold", () => {
    expect(memoryScopeOf({ thread_id: "t1", user_id: "ana@acme.test", tenant_id: "acme" })).toEqual({ tenant: "acme", threadId: "t1", userId: "ana@acme.test" });
    expect(memoryScopeOf(undefined)).toEqual({ tenant: "default" });
    expect(memoryNamespace("user", "acme", "ana@acme.test")).toEqual(["keel-memory", "acme", "user", "ana@acme~2etest"]);
    expect(memoryNamespace("user", "a_b", "50%\\x~")).toEqual(["keel-memory", "a~5fb", "user", "50~25~5cx~7e"]);
  });

  it("refuses a fact with nowhere to go", async () => {
    await expect(rememberFact(new InMemoryStore(), { tenant: "default" }, "user", "k", "v")).rejects.toThrow("user_id");
  });
});

describe("factsFromSteps", () => {
  it("makes one fact per successful tool call, with the call, the ids and the amounts; failures and orphans make none", () => {
    const facts = factsFromSteps([
      new HumanMessage("audit CUS-1042"),
      new AIMessage({ content: "", tool_calls: [{ id: "a", name: "get_invoice", args: { invoice_id: "INV-21042" }, type: "tool_call" }, { id: "b", name: "get_invoice", args: { invoice_id: "INV-404" }, type: "tool_call" }] }),
      new ToolMessage({ tool_call_id: "a", name: "get_invoice", content: JSON.stringify({ ok: true, data: { invoice_id: "INV-21042", amount: "$99.00", customer_id: "CUS-1042" } }) }),
      new ToolMessage({ tool_call_id: "b", name: "get_invoice", content: JSON.stringify({ ok: false, error: { code: "not_found", message: "No invoice", next_step: "ask" } }) }),
      new ToolMessage({ tool_call_id: "nobody", name: "get_invoice", content: '{"ok":true,"data":"INV-1"}' }),
    ]);
    expect(facts).toHaveLength(1);
    expect(facts[0]!.text).toContain("INV-21042");
    expect(facts[0]!.text).toContain("$99.00");
    expect(facts[0]!.source).toBe("get_invoice");
    const again = factsFromSteps([
      new AIMessage({ content: "", tool_calls: [{ id: "z", name: "get_invoice", args: { invoice_id: "INV-21042" }, type: "tool_call" }] }),
      new ToolMessage({ tool_call_id: "z", name: "get_invoice", content: '{"ok":true,"data":{"status":"void"}}' }),
    ]);
    expect(again[0]!.key).toBe(facts[0]!.key);
  });
});

describe("memoryNote", () => {
  const fact = (text: string, kind: Fact["kind"], age: number): Fact => ({ key: text, text, kind, updatedAt: new Date(Date.UTC(2026, 0, 1) - age) });
  const facts = [
    fact("get_invoice({\"invoice_id\":\"INV-11\"}) → amount $5", "thread", 1),
    fact("get_invoice({\"invoice_id\":\"INV-22\"}) → amount $7", "thread", 2),
    fact("Prefers answers in euros", "user", 3),
    ...Array.from({ length: 50 }, (_, i) => fact(`filler fact number ${i} with some words to take space`, "thread", 10 + i)),
  ];

  it("puts user facts first, then facts about ids the request names, within its allowance", () => {
    const note = memoryNote(facts, [new HumanMessage("Why is INV-22 so high?")], 60)!;
    const lines = textOf(note).split("\n").slice(1);
    expect(lines[0]).toContain("Prefers answers in euros");
    expect(lines[1]).toContain("INV-22");
    expect(countPromptTokens([note])).toBeLessThanOrEqual(60);
    expect(lines.length).toBeLessThan(facts.length);
  });

  it("leaves out facts already visible verbatim, and is absent when nothing is left", () => {
    const visible = [new HumanMessage("hi"), new AIMessage(`- ${facts[0]!.text}`)];
    const note = memoryNote(facts.slice(0, 1), visible, 500);
    expect(note).toBeUndefined();
  });
});
