import { describe, expect, it } from "vitest";
import { tool } from "@langchain/core/tools";
import { z } from "zod";
import { defineTool } from "../toolkit/define-tool.js";
import { CatalogError, embeddingTexts, keywordFields, mainText, nameWords, parameterTexts, toolDocumentFromTool, validateCatalog } from "./tool-document.js";

const keelTool = defineTool({
  name: "issue_refund",
  description: "Refunds a successful payment to the customer's original payment method.",
  schema: z.object({
    payment_id: z.string().describe("Payment id, e.g. PAY-31043"),
    amount_usd: z.number().optional().describe("Amount to refund; omit for the full amount"),
  }),
  metadata: { domain: "finance", sideEffect: "destructive", idempotent: false, scopes: ["finance:refund"], examples: ["Refund PAY-31043", "Give the money back"] },
  run: () => ({}),
});

describe("toolDocumentFromTool", () => {
  it("reads a Keel tool's metadata and JSON schema", () => {
    const doc = toolDocumentFromTool(keelTool);
    expect(doc).toMatchObject({
      name: "issue_refund",
      domain: "finance",
      sideEffect: "destructive",
      scopes: ["finance:refund"],
      examples: ["Refund PAY-31043", "Give the money back"],
      source: "keel",
    });
    expect(Object.keys((doc.parameters as { properties: object }).properties)).toEqual(["payment_id", "amount_usd"]);
  });

  it("takes any LangChain structured tool (no metadata: a catalogue tool)", () => {
    const plain = tool(async () => "ok", { name: "get_weather", description: "Weather for a city.", schema: z.object({ city: z.string().describe("City name") }) });
    const doc = toolDocumentFromTool(plain);
    expect(doc).toMatchObject({ name: "get_weather", description: "Weather for a city.", source: "catalog" });
    expect(parameterTexts(doc.parameters)).toEqual([{ name: "city", description: "City name", enum: [] }]);
  });

  it.each([
    [{ readOnlyHint: true }, "read"],
    [{ destructiveHint: true }, "destructive"],
    [{}, undefined],
  ])("MCP annotations %j give side effect %s", (annotations, sideEffect) => {
    const mcp = tool(async () => "ok", { name: "fs_delete", description: "Deletes a file.", schema: z.object({ path: z.string() }) });
    (mcp as { metadata?: unknown }).metadata = { annotations };
    const doc = toolDocumentFromTool(mcp);
    expect(doc.source).toBe("mcp");
    expect(doc.sideEffect).toBe(sideEffect);
  });

  it("adds metadata.retrievalExamples to the examples (once each), which only retrieval reads", () => {
    const withMore = defineTool({
      name: "list_refunds",
      description: "Lists the refunds issued to a customer, newest first.",
      schema: z.object({ customer_id: z.string().describe("Customer id") }),
      metadata: {
        domain: "finance",
        sideEffect: "read",
        idempotent: true,
        scopes: ["finance:read"],
        examples: ["List refunds of CUS-1042", "Refunds this month"],
        retrievalExamples: ["Did we already send money back to CUS-1042?", "Refunds this month"],
      },
      run: () => ({}),
    });
    expect(toolDocumentFromTool(withMore).examples).toEqual(["List refunds of CUS-1042", "Refunds this month", "Did we already send money back to CUS-1042?"]);
    expect(withMore.metadata.examples).toHaveLength(2);
  });

  it("works as a map callback", () => {
    expect([keelTool].map(toolDocumentFromTool)[0]!.name).toBe("issue_refund");
  });
});

describe("validateCatalog", () => {
  it.each([
    ["an empty name", [{ name: "", description: "x" }], /row 1 has an empty name/],
    ["a missing name", [{ description: "x" }], /row 1 has no name/],
    ["a duplicate name", [{ name: "a", description: "x" }, { name: "b", description: "y" }, { name: "a", description: "z" }], /row 3 repeats the name "a" of row 1/],
    ["a missing description", [{ name: "a" }], /row 1 \("a"\) has no description/],
    ["a blank description", [{ name: "a", description: "  " }], /row 1 \("a"\) has an empty description/],
    ["parameters that are not an object", [{ name: "a", description: "x", parameters: [1] }], /not a JSON schema object/],
    ["examples that are not strings", [{ name: "a", description: "x", examples: [1] }], /examples that are not a list of strings/],
    ["a row that is not an object", ["a"], /row 1 is not an object/],
  ])("rejects %s", (_label, rows, message) => {
    expect(() => validateCatalog(rows)).toThrow(CatalogError);
    expect(() => validateCatalog(rows)).toThrow(message);
  });

  it("names rows with the given label (file and line)", () => {
    try {
      validateCatalog([{ name: "a", description: "x" }, { name: "a", description: "y" }], { label: (i) => `tools.jsonl:${i + 3}` });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(CatalogError);
      expect((error as CatalogError).row).toBe("tools.jsonl:4");
      expect((error as Error).message).toContain('tools.jsonl:4 repeats the name "a" of tools.jsonl:3');
    }
  });

  it("accepts a valid catalogue", () => {
    expect(() => validateCatalog([{ name: "a", description: "x", parameters: { type: "object" }, examples: ["e"] }])).not.toThrow();
  });
});

describe("texts", () => {
  it.each([
    ["get_customer", "get customer"],
    ["GroupsApi.create_group_mapping", "groups api create group mapping"],
    ["Weather_1_GetWeather", "weather 1 get weather"],
    ["fs/read-file", "fs read file"],
  ])("nameWords(%s) = %s", (name, words) => {
    expect(nameWords(name)).toBe(words);
  });

  it("embeds 'name words: description' as one text and each example as its own", () => {
    const doc = toolDocumentFromTool(keelTool);
    const texts = embeddingTexts(doc);
    expect(texts).toEqual([
      "issue refund: Refunds a successful payment to the customer's original payment method.",
      "Refund PAY-31043",
      "Give the money back",
    ]);
  });

  it("mainText adds parameter names and descriptions", () => {
    const text = mainText(toolDocumentFromTool(keelTool));
    expect(text).toMatch(/^issue refund: Refunds a successful payment/);
    expect(text).toContain("payment id (Payment id, e.g. PAY-31043)");
    expect(text).toContain("amount usd (Amount to refund; omit for the full amount)");
  });

  it("clips very long descriptions in the embedded text", () => {
    expect(mainText({ name: "x", description: "word ".repeat(1000) }).length).toBeLessThan(700);
    expect(embeddingTexts({ name: "x", description: "word ".repeat(1000) })[0]!.length).toBeLessThan(700);
  });

  it("gives BM25 the parameters with their enum values and the examples", () => {
    const fields = keywordFields({
      name: "Events_3_FindEvents",
      description: "Find cultural events.",
      parameters: { type: "object", properties: { event_type: { type: "string", description: "Type of event", enum: ["Music", "Theater"] } } },
      examples: ["concerts in Berlin"],
    });
    expect(fields).toEqual({ name: "events 3 find events", description: "Find cultural events.", parameters: "event type Type of event Music Theater", examples: "concerts in Berlin" });
  });

  it("reads nested object fields one level down", () => {
    const params = parameterTexts({ properties: { filter: { type: "object", description: "Filter", properties: { status: { description: "Status" } } } } });
    expect(params.map((p) => p.name)).toEqual(["filter", "filter.status"]);
  });
});
