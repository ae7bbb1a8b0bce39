import { describe, expect, it } from "vitest";
import { ConfigurationError } from "../errors.js";
import { contextSettings, DEFAULT_BUDGET_TOKENS } from "./settings.js";

describe("contextSettings", () => {
  it("defaults to an 8000-token budget and model summaries", () => {
    expect(contextSettings({})).toEqual({ budgetTokens: DEFAULT_BUDGET_TOKENS, summarizer: "model" });
  });

  it.each([
    [{ KEEL_CONTEXT_BUDGET_TOKENS: "16000" }, { budgetTokens: 16000, summarizer: "model" }],
    [{ KEEL_CONTEXT_BUDGET_TOKENS: " 500 ", KEEL_CONTEXT_SUMMARIZER: "extractive" }, { budgetTokens: 500, summarizer: "extractive" }],
  ])("reads %j", (env, expected) => {
    expect(contextSettings(env)).toEqual(expected);
  });

  it.each([
    ["KEEL_CONTEXT_BUDGET_TOKENS", "lots"],
    ["KEEL_CONTEXT_BUDGET_TOKENS", "12.5"],
    ["KEEL_CONTEXT_BUDGET_TOKENS", "-8000"],
    ["KEEL_CONTEXT_BUDGET_TOKENS", "100"],
    ["KEEL_CONTEXT_SUMMARIZER", "gpt"],
  ])("refuses %s=%s with an error naming the variable", (name, value) => {
    expect(() => contextSettings({ [name]: value })).toThrow(ConfigurationError);
    expect(() => contextSettings({ [name]: value })).toThrow(name);
  });
});
