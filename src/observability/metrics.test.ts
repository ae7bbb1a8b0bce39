import { describe, it, expect } from "vitest";
import { addCacheSource, metrics, recordApprovalDecision, recordApprovalRequested, recordCacheLookup, recordGuardrailMetric, registry, scrapeMetrics, setBreakerSource } from "./metrics.js";

const line = (body: string, prefix: string) => body.split("\n").find((l) => l.startsWith(prefix));

describe("metrics registry", () => {
  it("adds recorded cache lookups to the totals caches report themselves, at each scrape", async () => {
    let hits = 3;
    addCacheSource("unit_exact", () => ({ hits, misses: 1 }));
    recordCacheLookup("unit_exact", true);
    recordCacheLookup("unit_semantic", false);
    let { body } = await scrapeMetrics();
    expect(line(body, 'keel_cache_lookups_total{cache="unit_exact",result="hit"}')).toMatch(/ 4$/);
    expect(line(body, 'keel_cache_lookups_total{cache="unit_exact",result="miss"}')).toMatch(/ 1$/);
    expect(line(body, 'keel_cache_lookups_total{cache="unit_semantic",result="miss"}')).toMatch(/ 1$/);
    hits = 10;
    ({ body } = await scrapeMetrics());
    expect(line(body, 'keel_cache_lookups_total{cache="unit_exact",result="hit"}')).toMatch(/ 11$/);
  });

  it.each([
    ["closed", 0],
    ["half-open", 1],
    ["open", 2],
  ])("reports a %s breaker as %d", async (state, value) => {
    setBreakerSource(() => ({ "tool:unit": state }));
    const { body } = await scrapeMetrics();
    expect(line(body, 'keel_circuit_breaker_state{breaker="tool:unit"}')).toBe(`keel_circuit_breaker_state{breaker="tool:unit"} ${value}`);
  });

  it("computes the human override rate as edits and rejections over approvals asked", async () => {
    const before = (await metrics.humanOverrideRate.get()).values[0]?.value ?? 0;
    expect(before).toBe(0);
    recordApprovalRequested("action", "cancel_order");
    recordApprovalRequested("action", "cancel_order");
    recordApprovalRequested("review", "review:finance");
    recordApprovalRequested("action", "issue_credit");
    recordApprovalDecision("action", "approve");
    recordApprovalDecision("action", "edit");
    recordApprovalDecision("review", "reject");
    expect((await metrics.humanOverrideRate.get()).values[0]?.value).toBe(0.5);
    expect(await registry.getSingleMetricAsString("keel_escalations_total")).toContain('keel_escalations_total{route="finance"} 1');
  });

  it("counts guardrail blocks apart from flags", async () => {
    recordGuardrailMetric("capability_refused", "finance", true);
    recordGuardrailMetric("injection_detected", "meta", false);
    const { body } = await scrapeMetrics();
    expect(line(body, 'keel_guardrail_blocks_total{kind="capability_refused",agent="finance"}')).toMatch(/ 1$/);
    expect(line(body, 'keel_guardrail_blocks_total{kind="injection_detected"')).toBeUndefined();
    expect(line(body, 'keel_guardrail_events_total{kind="injection_detected",agent="meta"}')).toMatch(/ 1$/);
  });
});
