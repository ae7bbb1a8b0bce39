/** Breakers open within their threshold and window, refuse calls while open, and close after the cool-down. */
import { afterEach, describe, expect, it } from "vitest";
import { BrokenCircuitError, CircuitState } from "cockatiel";
import { WindowBreaker, breakerFor, breakerStates, resetBreakers } from "./breaker.js";
import { reliabilitySettings } from "./settings.js";
import { reliabilityStats, resetReliabilityStats } from "./stats.js";

const transient = () => Object.assign(new Error("503"), { status: 503 });
const fail = (key: string, settings: ReturnType<typeof reliabilitySettings>) =>
  breakerFor(key, settings).execute(() => Promise.reject(transient())).catch((e: unknown) => e);

afterEach(() => {
  resetBreakers();
  resetReliabilityStats();
});

describe("WindowBreaker (fake clock)", () => {
  it.each([
    { threshold: 3, windowMs: 1000, gapsMs: [0, 100, 100], opensAt: 3 },
    { threshold: 3, windowMs: 1000, gapsMs: [0, 600, 600, 100], opensAt: 4 }, // the first failure left the window
    { threshold: 1, windowMs: 10, gapsMs: [0], opensAt: 1 },
    { threshold: 2, windowMs: 100, gapsMs: [0, 150, 150, 150], opensAt: undefined },
  ])("threshold $threshold in $windowMs ms, failures after $gapsMs ms: opens at failure $opensAt", ({ threshold, windowMs, gapsMs, opensAt }) => {
    let now = 0;
    const breaker = new WindowBreaker(threshold, windowMs, () => now);
    const opened = gapsMs.map((gap) => {
      now += gap;
      return breaker.failure(CircuitState.Closed);
    });
    const first = opened.indexOf(true);
    expect(first === -1 ? undefined : first + 1).toBe(opensAt);
  });

  it("a failed half-open probe opens again; a successful one starts a clean window", () => {
    const breaker = new WindowBreaker(2, 1000, () => 0);
    expect(breaker.failure(CircuitState.HalfOpen)).toBe(true);
    breaker.failure(CircuitState.Closed);
    breaker.success(CircuitState.HalfOpen);
    expect(breaker.failure(CircuitState.Closed)).toBe(false);
  });
});

describe("breakerFor (cockatiel circuit breaker, short cool-down)", () => {
  it.each([1, 3, 5])("opens at exactly %i failures, refuses while open, probes after the cool-down and closes on success", async (failures) => {
    const settings = { ...reliabilitySettings({}), breakerFailures: failures, breakerWindowMs: 10_000, breakerCooldownMs: 80 };
    for (let i = 1; i < failures; i++) await fail("tool:x", settings);
    expect(breakerStates()["tool:x"] ?? "closed").toBe("closed");
    await fail("tool:x", settings);
    expect(breakerStates()["tool:x"]).toBe("open");
    expect(reliabilityStats().openingsByKey).toEqual({ "tool:x": 1 });

    let ran = false;
    const refused = await breakerFor("tool:x", settings).execute(() => (ran = true)).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(BrokenCircuitError);
    expect(ran).toBe(false);

    await new Promise((r) => setTimeout(r, 100));
    await expect(breakerFor("tool:x", settings).execute(() => "probe ok")).resolves.toBe("probe ok");
    expect(breakerStates()["tool:x"]).toBe("closed");
    expect(reliabilityStats()).toMatchObject({ breakerOpenings: 1, breakerClosings: 1 });
  });

  it("a failed probe re-opens it; non-transient errors never count", async () => {
    const settings = { ...reliabilitySettings({}), breakerFailures: 2, breakerWindowMs: 10_000, breakerCooldownMs: 50 };
    const breaker = breakerFor("model:p#m", settings);
    for (let i = 0; i < 5; i++) await breaker.execute(() => Promise.reject(Object.assign(new Error("bad request"), { status: 400 }))).catch(() => undefined);
    expect(breakerStates()["model:p#m"]).toBe("closed");
    await fail("model:p#m", settings);
    await fail("model:p#m", settings);
    expect(breakerStates()["model:p#m"]).toBe("open");
    await new Promise((r) => setTimeout(r, 70));
    await fail("model:p#m", settings);
    expect(breakerStates()["model:p#m"]).toBe("open");
    expect(reliabilityStats().breakerOpenings).toBe(2);
  });
});
