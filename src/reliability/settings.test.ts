/** Reliability settings: defaults, overrides, and a malformed value refused naming the variable. */
import { describe, expect, it } from "vitest";
import { reliabilitySettings } from "./settings.js";
import { checkpointDurability } from "../persistence/durability.js";
import { ConfigurationError } from "../errors.js";

describe("reliabilitySettings", () => {
  it("defaults", () => {
    expect(reliabilitySettings({})).toEqual({
      retryAttempts: 5, retryBaseMs: 500, retryMaxMs: 20_000, retryAfterMaxMs: 60_000,
      breakerFailures: 5, breakerWindowMs: 30_000, breakerCooldownMs: 15_000, toolTimeoutMs: 30_000,
    });
  });

  it.each([
    ["KEEL_RETRY_ATTEMPTS", "3", "retryAttempts", 3],
    ["KEEL_BREAKER_COOLDOWN_MS", "250", "breakerCooldownMs", 250],
    ["KEEL_RETRY_BASE_MS", "0", "retryBaseMs", 0],
  ] as const)("%s=%s", (variable, value, key, expected) => {
    expect(reliabilitySettings({ [variable]: value })[key]).toBe(expected);
  });

  it.each([
    ["KEEL_RETRY_ATTEMPTS", "0"],
    ["KEEL_RETRY_ATTEMPTS", "two"],
    ["KEEL_BREAKER_FAILURES", "1.5"],
    ["KEEL_TOOL_TIMEOUT_MS", "-1"],
    ["KEEL_BREAKER_WINDOW_MS", "0"],
  ])("%s=%s is refused naming it", (variable, value) => {
    expect(() => reliabilitySettings({ [variable]: value })).toThrow(ConfigurationError);
    expect(() => reliabilitySettings({ [variable]: value })).toThrow(new RegExp(variable));
  });
});

describe("KEEL_DURABILITY", () => {
  it.each([[undefined, "sync"], ["async", "async"], ["exit", "exit"]])("%s -> %s", (value, expected) => {
    expect(checkpointDurability({ KEEL_DURABILITY: value })).toBe(expected);
  });

  it("an unknown value is refused naming it", () => {
    expect(() => checkpointDurability({ KEEL_DURABILITY: "eventually" })).toThrow(/KEEL_DURABILITY/);
  });
});
