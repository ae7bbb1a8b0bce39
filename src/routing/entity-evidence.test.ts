import { describe, it, expect } from "vitest";
import { z } from "zod";
import { tool } from "@langchain/core/tools";
import { EntityEvidence } from "./entity-evidence.js";
import { DOMAIN_TOOLS } from "../../graphs/agents/tool-index.js";

describe("EntityEvidence from the app's tools", () => {
  const evidence = EntityEvidence.fromTools(DOMAIN_TOOLS);

  it.each([
    ["Did anything break on support-portal overnight?", ["incidents"]],
    ["Declare a sev2 for ORDERS-API", ["incidents"]],
    ["How reliable has DHL been this month?", ["shipping"]],
    ["Void INV-20500 and tell me the new balance", ["finance"]],
    ["reply on tck-5001 please", ["support"]],
    ["Reply to TCK-7122 explaining INV-25561", ["finance", "support"]],
    // A customer id is taken by every agent's tools: evidence for none.
    ["Who is the account behind CUS-1888?", []],
    // Codes only in capitals: "ups" the word names no carrier; dates are not ids.
    ["ups and downs of revenue since 2026-10", []],
  ])("%j names records of %j", (text, routes) => {
    expect([...evidence.routesNamedIn(text)].sort()).toEqual(routes);
  });

  it("keeps only values one route's tools take", () => {
    const take = (name: string, schema: z.ZodObject) => tool(async () => "", { name, description: name, schema });
    const shared = z.object({ id: z.string().regex(/^ACC-\d{3}$/), region: z.enum(["eu-west", "us-east"]) });
    const own = z.object({ id: z.string().regex(/^BOX-\d{3}$/) });
    const built = EntityEvidence.fromTools({ a: [take("a1", shared)], b: [take("b1", shared), take("b2", own)] });
    expect([...built.routesNamedIn("ACC-123 in eu-west")]).toEqual([]);
    expect([...built.routesNamedIn("where is BOX-001")]).toEqual(["b"]);
    expect(built.size).toBe(1);
  });
});
