import { describe, expect, it } from "vitest";
import { budgetConfig, limitsFor, parseBudgets, tenantWindowKey, tenantWindowStart } from "./budgets.js";
import { costUsd, priceTable, requirePrices } from "./prices.js";
import { ConfigurationError } from "../errors.js";

describe("KEEL_BUDGETS", () => {
  it.each([
    ['{"default":{"request":-1}}', "KEEL_BUDGETS.default.request: must not be negative"],
    ['{"default":{"thread":"ten"}}', "KEEL_BUDGETS.default.thread: must be a number of USD"],
    ['{"tenants":{"acme":{"tenant":null}}}', "KEEL_BUDGETS.tenants.acme.tenant: must be a number of USD"],
    ['{"default":{"request":1},"onExceeded":"pray"}', "KEEL_BUDGETS.onExceeded"],
    ['{"default":{"requests":1}}', "KEEL_BUDGETS.default"],
    ["{}", "KEEL_BUDGETS sets no budget"],
    ["{not json", "KEEL_BUDGETS is not valid JSON"],
    ["/no/such/budgets.json", "KEEL_BUDGETS is neither JSON nor a readable file: /no/such/budgets.json"],
  ])("refuses %s naming the field", (value, named) => {
    expect(() => budgetConfig({ KEEL_BUDGETS: value })).toThrow(ConfigurationError);
    expect(() => budgetConfig({ KEEL_BUDGETS: value })).toThrow(named);
  });

  it("is off when unset, and a tenant's entry overrides the defaults field by field", () => {
    expect(budgetConfig({})).toBeUndefined();
    const config = parseBudgets({ default: { request: 0.05, thread: 0.5, tenant: 100 }, tenants: { acme: { tenant: 500 } } });
    expect(limitsFor(config, "acme")).toEqual({ request: 0.05, thread: 0.5, tenant: 500 });
    expect(limitsFor(config, "other")).toEqual({ request: 0.05, thread: 0.5, tenant: 100 });
    expect(config).toMatchObject({ onExceeded: "stop", expectedOutputTokens: 512, tenantPeriod: "month" });
  });

  it("tenant windows start at the UTC month or day", () => {
    const now = new Date("2026-11-21T08:30:00Z");
    expect(tenantWindowStart("month", now)).toBe("2026-11-01T00:00:00.000Z");
    expect(tenantWindowStart("day", now)).toBe("2026-11-21T00:00:00.000Z");
    expect(tenantWindowStart("total", now)).toBeUndefined();
    expect([tenantWindowKey("month", now), tenantWindowKey("day", now), tenantWindowKey("total", now)]).toEqual(["m:2026-11", "d:2026-11-21", ""]);
  });
});

describe("KEEL_PRICES", () => {
  it.each([
    ['{"m":{"input":-0.1,"output":1}}', "KEEL_PRICES.m.input: must not be negative"],
    ['{"m":{"input":1}}', "KEEL_PRICES.m.output"],
    ['{"m":{"input":"1","output":1}}', "KEEL_PRICES.m.input: must be a number"],
    ['{"m":{"input":1,"output":1,"cached":0}}', "KEEL_PRICES.m"],
    ['{"m":', "KEEL_PRICES is not valid JSON"],
  ])("refuses %s naming the field", (value, named) => {
    expect(() => priceTable({ KEEL_PRICES: value })).toThrow(named);
  });

  it("extends the built-in table, and prices dated model names as their base model", () => {
    const table = priceTable({ KEEL_PRICES: '{"llama3.1:8b":{"input":0.5,"output":1}}' });
    expect(costUsd("llama3.1:8b", 2_000_000, 1_000_000, table)).toBeCloseTo(2, 10);
    expect(costUsd("gpt-4o-2024-08-06", 1_000_000, 0, table)).toBeCloseTo(2.5, 10);
    expect(costUsd("unknown-model", 10, 10, table)).toBeUndefined();
  });

  it("with budgets, a configured model without a price is refused, naming the setting", () => {
    expect(() => requirePrices({ KEEL_MODEL_STRONG: "qwen2.5:32b" }, priceTable({}))).toThrow(/"qwen2\.5:32b" \(KEEL_MODEL_STRONG\)/);
    expect(() => requirePrices({ KEEL_MODEL_FAST: "gpt-4o-mini" }, priceTable({}))).not.toThrow();
  });
});
