import { describe, it, expect } from "vitest";
import { z } from "zod";
import { AIMessage, HumanMessage, SystemMessage, ToolMessage } from "@langchain/core/messages";
import { OfflineChatModel } from "./offline-chat-model.js";
import { defineTool } from "../../toolkit/define-tool.js";
import { ID_PATTERNS } from "../../db/reference-data.js";

const lookupOrder = defineTool({
  name: "get_order",
  description: "Look up an order by id: status, items, shipping address.",
  schema: z.object({ order_id: z.string().regex(ID_PATTERNS.order_id).describe("Order id, e.g. ORD-10233") }),
  metadata: { domain: "shipping", sideEffect: "read", idempotent: true, scopes: ["shipping:read"], examples: ["where is my order ORD-10233"] },
  run: ({ order_id }) => ({ id: order_id, status: "shipped" }),
});
const cancelOrder = defineTool({
  name: "cancel_order",
  description: "Cancel an order that has not shipped yet.",
  schema: z.object({ order_id: z.string().regex(ID_PATTERNS.order_id).describe("Order id") }),
  metadata: { domain: "shipping", sideEffect: "destructive", idempotent: true, scopes: ["shipping:write"], examples: ["cancel order ORD-10500"] },
  run: ({ order_id }) => ({ id: order_id, status: "cancelled" }),
});
const payInvoice = defineTool({
  name: "get_invoice",
  description: "Look up an invoice and its payments.",
  schema: z.object({ invoice_id: z.string().regex(ID_PATTERNS.invoice_id).describe("Invoice id, e.g. INV-20417") }),
  metadata: { domain: "finance", sideEffect: "read", idempotent: true, scopes: ["finance:read"], examples: ["show invoice INV-20417"] },
  run: ({ invoice_id }) => ({ id: invoice_id }),
});
const tools = [lookupOrder, cancelOrder, payInvoice];
const model = new OfflineChatModel({}).bindTools(tools);

describe("OfflineChatModel", () => {
  it("calls the most relevant tool with arguments from the request, and reports usage", async () => {
    const reply = await model.invoke([new HumanMessage("where is my order ORD-10233?")]);
    expect(reply.tool_calls).toEqual([expect.objectContaining({ name: "get_order", args: { order_id: "ORD-10233" } })]);
    expect(reply.usage_metadata?.input_tokens).toBeGreaterThan(0);
  });

  it("does not take an action the user did not ask for", async () => {
    const reply = await model.invoke([new HumanMessage("order ORD-10500 has not shipped yet, what is in it?")]);
    expect(reply.tool_calls?.[0]?.name).toBe("get_order");
  });

  it("takes an action asked for in words", async () => {
    const reply = await model.invoke([new HumanMessage("please cancel order ORD-10500")]);
    expect(reply.tool_calls?.[0]).toMatchObject({ name: "cancel_order", args: { order_id: "ORD-10500" } });
  });

  it("asks for a missing required field instead of guessing", async () => {
    const reply = await model.invoke([new HumanMessage("where is my order?")]);
    expect(reply.tool_calls ?? []).toHaveLength(0);
    expect(String(reply.content)).toMatch(/order_id/);
  });

  it("answers from the tool result once it has one, citing its ids", async () => {
    const call = { id: "c1", name: "get_order", args: { order_id: "ORD-10233" }, type: "tool_call" as const };
    const reply = await model.invoke([
      new HumanMessage("where is my order ORD-10233?"),
      new AIMessage({ content: "", tool_calls: [call] }),
      new ToolMessage({ content: JSON.stringify({ ok: true, data: { id: "ORD-10233", status: "shipped" } }), tool_call_id: "c1", name: "get_order" }),
    ]);
    expect(reply.tool_calls ?? []).toHaveLength(0);
    expect(String(reply.content)).toContain("ORD-10233");
    expect(String(reply.content)).toContain("shipped");
  });

  it("fills a structured output from option lines in the system prompt", async () => {
    const schema = z.object({ routes: z.array(z.enum(["shipping", "finance"])), confidence: z.number() });
    const router = new OfflineChatModel({}).withStructuredOutput(schema, { name: "route" });
    const system = new SystemMessage("- shipping: orders, deliveries, tracking\n- shipping: where is my package\n- finance: invoices, payments, refunds\n- finance: I was charged twice");
    const decision = await router.invoke([system, new HumanMessage("my package has not arrived and I was charged twice for it")]);
    expect(decision.routes.sort()).toEqual(["finance", "shipping"]);
    expect(decision.confidence).toBeGreaterThan(0);
  });
});
