import { describe, it, expect } from "vitest";
import { argumentDiff } from "./feedback.js";
import { tracingSettings } from "./tracing-settings.js";
import { maskValue } from "./mask.js";
import { ConfigurationError } from "../errors.js";

describe("argumentDiff", () => {
  it.each([
    [{ a: 1 }, { a: 1 }, []],
    [{ amount: 80, id: "C-1" }, { amount: 40, id: "C-1" }, [{ path: "amount", op: "changed", before: 80, after: 40 }]],
    [{ a: 1 }, { a: 1, b: 2 }, [{ path: "b", op: "added", after: 2 }]],
    [{ a: 1, b: 2 }, {}, [{ path: "a", op: "removed", before: 1 }, { path: "b", op: "removed", before: 2 }]],
    [{ addr: { city: "Oslo", zip: "1" } }, { addr: { city: "Bergen", zip: "1" } }, [{ path: "addr.city", op: "changed", before: "Oslo", after: "Bergen" }]],
    [{ tags: ["a"] }, { tags: ["a", "b"] }, [{ path: "tags", op: "changed", before: ["a"], after: ["a", "b"] }]],
  ])("diff %j -> %j", (before, after, expected) => {
    expect(argumentDiff(before, after)).toEqual(expected);
  });
});

describe("tracingSettings", () => {
  it("is off unless LANGSMITH_TRACING is true", () => {
    expect(tracingSettings({}).langsmith).toBe(false);
    expect(tracingSettings({ LANGSMITH_TRACING: "true", LANGSMITH_API_KEY: "k", LANGSMITH_PROJECT: "p" })).toMatchObject({ langsmith: true, project: "p", endpoint: "https://api.smith.langchain.com" });
  });
  it.each([
    [{ LANGSMITH_TRACING: "yes" }, /LANGSMITH_TRACING is "yes"/],
    [{ LANGSMITH_TRACING: "true" }, /LANGSMITH_API_KEY is not set/],
    [{ LANGSMITH_TRACING: "true", LANGSMITH_ENDPOINT: "ftp://x" }, /LANGSMITH_ENDPOINT is "ftp:\/\/x"/],
    [{ KEEL_LANGSMITH_TIMEOUT_MS: "5" }, /KEEL_LANGSMITH_TIMEOUT_MS is "5"/],
  ])("refuses %j naming the variable", (env, message) => {
    expect(() => tracingSettings(env)).toThrow(ConfigurationError);
    expect(() => tracingSettings(env)).toThrow(message);
  });
});

describe("maskValue", () => {
  it("masks personal data in every string of a nested value and keeps record ids", () => {
    const masked = maskValue({ input: { email: "jane.doe@example.com", customer_id: "CUS-1042" }, notes: ["call +1 415 555 0134"] });
    expect(JSON.stringify(masked)).not.toContain("jane.doe@example.com");
    expect(masked.input.email).toBe("[EMAIL_ADDRESS]");
    expect(masked.input.customer_id).toBe("CUS-1042");
    expect(masked.notes[0]).toContain("[PHONE_NUMBER]");
  });
});
