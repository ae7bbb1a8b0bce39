/**
 * Fault injection end to end: the seeded rate-based faults of the test server, and the real app (router, support
 * agent, issue_credit) under model faults (429 + Retry-After, 500, timeouts, malformed tool-call JSON) and tool
 * faults (errors, lost replies, hangs) through the `faults` bench at a few tasks per rate.
 */
import { describe, expect, it } from "vitest";
import { rateFaultPlan } from "./support/openai-compatible-server.js";
import { run } from "../bench/faults.js";

describe("rate-based fault plans of the test server", () => {
  it("are reproducible from the seed and follow the configured rates", () => {
    const rates = { seed: 17, rate429: 0.1, rate500: 0.05, rateTimeout: 0.05, rateMalformed: 0.1 };
    const draw = () => {
      const plan = rateFaultPlan(rates);
      return Array.from({ length: 4000 }, () => plan());
    };
    const first = draw();
    expect(draw()).toEqual(first);
    const share = (match: (p: ReturnType<ReturnType<typeof rateFaultPlan>>) => boolean) => first.filter(match).length / first.length;
    expect(share((p) => p?.status === 429)).toBeCloseTo(0.1, 1);
    expect(share((p) => p?.status === 500)).toBeCloseTo(0.05, 1);
    expect(share((p) => p?.delayMs !== undefined)).toBeCloseTo(0.05, 1);
    expect(share((p) => p?.malformedToolCallJson === true)).toBeCloseTo(0.1, 1);
    expect(first.filter((p) => p?.status === 429).every((p) => p?.retryAfterSeconds === 1)).toBe(true);
  });

  it("refuses rates that add up to more than 1", () => {
    expect(() => rateFaultPlan({ seed: 1, rate429: 0.6, rate500: 0.6 })).toThrow(/more than 1/);
  });
});

describe("the app under injected faults (faults bench, 4 tasks per rate)", () => {
  it("completes every task at 0% and 10%, nearly all at 30%, and never duplicates a side effect", async () => {
    const report = await run(["--tasks", "4", "--seed", "2"]);
    expect(Object.keys(report.groups)).toEqual(["0%", "10%", "30%"]);
    for (const group of Object.values(report.groups)) expect(group["duplicated side effects"]).toBe(0);
    // No injected faults at 0% (a retry there can only be a real timeout on a loaded machine).
    expect(report.groups["0%"]).toMatchObject({ "task success": 1, "injected model faults": 0, "injected tool faults": 0 });
    expect(report.groups["10%"]!["task success"]).toBe(1);
    expect(report.groups["30%"]!["task success"]).toBeGreaterThanOrEqual(0.75);
    // The faults really happened and were handled by retries, not by luck.
    expect(report.groups["30%"]!["injected model faults"]! + report.groups["30%"]!["injected tool faults"]!).toBeGreaterThan(0);
    expect(report.groups["30%"]!.retries).toBeGreaterThan(0);
    expect(report.metrics["duplicated side effects"]).toBe(0);
  }, 600_000);
});
