import { describe, it, expect } from "vitest";
import { ChatOpenAI } from "@langchain/openai";
import { chatModel, modelSettings, tierFor } from "./provider.js";
import { OfflineChatModel } from "./offline/offline-chat-model.js";
import { ConfigurationError } from "../errors.js";

describe("modelSettings", () => {
  it("uses the offline model when nothing is configured", () => {
    const settings = modelSettings({});
    expect(settings.provider).toBe("offline");
    expect(chatModel("fast", settings)).toBeInstanceOf(OfflineChatModel);
  });

  it("uses an OpenAI-compatible server given only a base URL, with per-tier model names", () => {
    const settings = modelSettings({ OPENAI_BASE_URL: "http://127.0.0.1:11434/v1", KEEL_MODEL_FAST: "llama3.1:8b" });
    const model = chatModel("fast", settings) as ChatOpenAI;
    expect(model).toBeInstanceOf(ChatOpenAI);
    expect(model.model).toBe("llama3.1:8b");
    expect(chatModel("strong", settings)).toHaveProperty("model", "gpt-4o");
  });

  it("chooses the tier per agent from KEEL_AGENT_TIERS", () => {
    const settings = modelSettings({ KEEL_AGENT_TIERS: "meta=strong, finance=fast" });
    expect(tierFor("meta", "fast", settings)).toBe("strong");
    expect(tierFor("finance", "strong", settings)).toBe("fast");
    expect(tierFor("shipping", "fast", settings)).toBe("fast");
  });

  it.each([
    [{ KEEL_MODEL_PROVIDER: "bogus" }, "KEEL_MODEL_PROVIDER"],
    [{ OPENAI_BASE_URL: "not a url" }, "OPENAI_BASE_URL"],
    [{ KEEL_AGENT_TIERS: "meta=huge" }, "KEEL_AGENT_TIERS"],
    [{ KEEL_MODEL_TIMEOUT_MS: "-5" }, "KEEL_MODEL_TIMEOUT_MS"],
    [{ KEEL_MODEL_PROVIDER: "openai" }, "OPENAI_API_KEY"],
  ])("rejects %j naming %s", (env, name) => {
    expect(() => modelSettings(env)).toThrow(ConfigurationError);
    expect(() => modelSettings(env)).toThrow(name);
  });
});
