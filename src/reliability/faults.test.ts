/** KEEL_FAULTS parsing and the seeded fault sequence. */
import { afterEach, describe, expect, it } from "vitest";
import { drawToolFault, faultSettings, resetFaultInjection, seededRandom } from "./faults.js";
import { ConfigurationError } from "../errors.js";

afterEach(() => resetFaultInjection());

describe("KEEL_FAULTS", () => {
  it.each([
    { value: undefined, expected: undefined },
    { value: "tool_error=0.1", expected: { rates: { tool_error: 0.1, tool_lost_reply: 0, tool_timeout: 0 }, seed: 1 } },
    { value: "tool_error=0.1, tool_lost_reply=0.2,tool_timeout=0.05,seed=42", expected: { rates: { tool_error: 0.1, tool_lost_reply: 0.2, tool_timeout: 0.05 }, seed: 42 } },
  ])("$value parses", ({ value, expected }) => {
    expect(faultSettings({ KEEL_FAULTS: value })).toEqual(expected);
  });

  it.each(["tool_error=2", "tool_eror=0.1", "tool_error", "seed=x", "tool_error=0.6,tool_timeout=0.6"])("%s is refused naming KEEL_FAULTS", (value) => {
    expect(() => faultSettings({ KEEL_FAULTS: value })).toThrow(ConfigurationError);
    expect(() => faultSettings({ KEEL_FAULTS: value })).toThrow(/KEEL_FAULTS/);
  });

  it("the same seed gives the same sequence; the observed rates follow the configured ones", () => {
    const env = { KEEL_FAULTS: "tool_error=0.2,tool_lost_reply=0.1,seed=9" };
    const draw = () => Array.from({ length: 2000 }, () => drawToolFault(env));
    const first = draw();
    resetFaultInjection();
    expect(draw()).toEqual(first);
    const share = (kind: string) => first.filter((k) => k === kind).length / first.length;
    expect(share("tool_error")).toBeCloseTo(0.2, 1);
    expect(share("tool_lost_reply")).toBeCloseTo(0.1, 1);
    expect(share("tool_timeout")).toBe(0);
  });

  it("is off without KEEL_FAULTS", () => {
    expect(Array.from({ length: 100 }, () => drawToolFault({}))).toEqual(Array(100).fill(undefined));
  });

  it("seededRandom differs by seed and stays in [0, 1)", () => {
    const a = seededRandom(1), b = seededRandom(2);
    const xs = Array.from({ length: 50 }, () => a());
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(xs).not.toEqual(Array.from({ length: 50 }, () => b()));
  });
});
