import { describe, it, expect } from "vitest";
import { z } from "zod";
import { toJsonSchema } from "@langchain/core/utils/json_schema";
import { fillArguments, type JsonSchema } from "./argument-filler.js";
import { ID_PATTERNS, SERVICE_IDS } from "../../db/reference-data.js";

const schema = (shape: z.ZodRawShape) => toJsonSchema(z.object(shape)) as JsonSchema;

describe("fillArguments", () => {
  it.each([
    ["an id by its pattern", { customer_id: z.string().regex(ID_PATTERNS.customer_id) }, "why was cus-1042 charged twice", { customer_id: "CUS-1042" }],
    ["an enum option named with spaces", { service_id: z.enum(SERVICE_IDS) }, "is the payments api down?", { service_id: "payments-api" }],
    ["an email", { email: z.string() }, "find jane.doe+x@example.co.uk please", { email: "jane.doe+x@example.co.uk" }],
    ["a dollar amount", { amount_usd: z.number() }, "give them a $1,250.50 credit", { amount_usd: 1250.5 }],
    ["an amount in words", { amount_usd: z.number() }, "refund 40 dollars", { amount_usd: 40 }],
    ["a month period", { period: z.string() }, "revenue for November 2026", { period: "2026-11" }],
    ["date range ends", { from_date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/), to_date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/) }, "between 2026-11-01 and 2026-11-08", { from_date: "2026-11-01", to_date: "2026-11-08" }],
    ["an address after 'to'", { address: z.string() }, "change the address of ORD-10500 to 12 Harbor Road, Leeds", { address: "12 Harbor Road, Leeds" }],
    ["a from/to pair of one enum by position", { amount: z.number(), from: z.enum(["USD", "EUR"]), to: z.enum(["USD", "EUR"]) }, "convert 99 USD to EUR", { amount: 99, from: "USD", to: "EUR" }],
    ["an hour window", { hours: z.number().int() }, "errors in the last 6 hours", { hours: 6 }],
  ])("fills %s", (_label, shape, request, expected) => {
    const filled = fillArguments(schema(shape), request);
    expect(filled.args).toEqual(expected);
    expect(filled.missing).toEqual([]);
  });

  it("reports a required field it cannot fill instead of inventing it", () => {
    const filled = fillArguments(schema({ order_id: z.string().regex(ID_PATTERNS.order_id), reason: z.string() }), "cancel my order please");
    expect(filled.missing).toEqual(["order_id"]);
    expect(filled.args.order_id).toBeUndefined();
  });

  it("treats fields with defaults as optional", () => {
    const filled = fillArguments(schema({ limit: z.number().int().default(10) }), "list them");
    expect(filled.missing).toEqual([]);
  });

  it("takes an id from earlier tool results only when the request has none, and says so", () => {
    const shape = schema({ payment_id: z.string().regex(ID_PATTERNS.payment_id) });
    const fromContext = fillArguments(shape, "refund the duplicate", ['{"ok":true,"data":{"duplicate_payment_id":"PAY-31043"}}']);
    expect(fromContext).toMatchObject({ args: { payment_id: "PAY-31043" }, fromContext: ["payment_id"] });
    const fromRequest = fillArguments(shape, "refund PAY-30001", ['{"id":"PAY-31043"}']);
    expect(fromRequest).toMatchObject({ args: { payment_id: "PAY-30001" }, fromContext: [] });
  });

  it("does not match an id embedded in a longer token", () => {
    const filled = fillArguments(schema({ order_id: z.string().regex(ID_PATTERNS.order_id) }), "see XORD-102339");
    expect(filled.missing).toEqual(["order_id"]);
  });
});
