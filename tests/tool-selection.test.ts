/**
 * Tool selection inside the task agents: only the retrieved tools are bound to each model call, scope and
 * grants apply before ranking, `search_tools` is never a dead end, and "all" binds everything for comparison.
 */
import { beforeAll, describe, it, expect } from "vitest";
import { HumanMessage } from "@langchain/core/messages";
import { createTaskAgent } from "../graphs/agents/task-agent.js";
import { financeSpec } from "../graphs/agents/finance.js";
import { ScriptedChatModel, type ScriptStep } from "../src/models/scripted-model.js";
import { OfflineChatModel } from "../src/models/offline/offline-chat-model.js";
import { toolSelectionSettings } from "../src/tool-selection/middleware.js";
import { appToolIndex } from "../graphs/agents/tool-index.js";

const FINISH: ScriptStep = {
  toolCalls: [{ name: "task_result", args: { outcome: "completed", answer: "done", evidence: [], confidence: 0.9, needs_human_review: false } }],
};
const financeToolNames = financeSpec.tools.map((t) => t.name);
const boundWorkTools = (names: string[]) => names.filter((n) => n !== "task_result");

class RecordingOfflineModel extends OfflineChatModel {
  readonly bound: string[][] = [];
  override async _generate(messages: Parameters<OfflineChatModel["_generate"]>[0], options: Parameters<OfflineChatModel["_generate"]>[1]) {
    this.bound.push((options.tools ?? []).map((t) => (t as { name?: string }).name ?? (t as { function?: { name: string } }).function?.name ?? ""));
    return super._generate(messages, options);
  }
}

describe("tool selection middleware", () => {
  // The first build embeds every tool text and example request into this file's empty cache (a few seconds on
  // an idle machine, much longer on a busy one); the tests then share the index.
  beforeAll(() => appToolIndex().then(() => undefined), 240_000);

  it("binds only the top k tools plus search_tools, and the right one is among them", async () => {
    const model = new RecordingOfflineModel({});
    const agent = createTaskAgent(financeSpec, { model });
    const out = await agent.invoke({ messages: [new HumanMessage("why was customer CUS-1042 charged twice?")] });
    const first = boundWorkTools(model.bound[0]!);
    expect(first).toContain("find_duplicate_charges");
    expect(first).toContain("search_tools");
    expect(first.length).toBeLessThanOrEqual(toolSelectionSettings().k + 1);
    expect(first.length).toBeLessThan(financeToolNames.length);
    expect(out.structuredResponse?.evidence).toContain("PAY-31043");
  });

  it("binds every tool of the agent when KEEL_TOOL_SELECTION=all", async () => {
    process.env.KEEL_TOOL_SELECTION = "all";
    try {
      const model = new ScriptedChatModel([FINISH]);
      await createTaskAgent(financeSpec, { model }).invoke({ messages: [new HumanMessage("why was customer CUS-1042 charged twice?")] });
      expect(boundWorkTools(model.calls[0]!.toolNames).sort()).toEqual([...financeToolNames, "search_tools"].sort());
    } finally {
      delete process.env.KEEL_TOOL_SELECTION;
    }
  });

  it("never binds a tool outside the tenant's grants, even when it is the best match", async () => {
    const model = new ScriptedChatModel([
      { toolCalls: [{ name: "search_tools", args: { query: "refund a payment" } }] },
      FINISH,
    ]);
    const agent = createTaskAgent(financeSpec, { model });
    const out = await agent.invoke(
      { messages: [new HumanMessage("refund payment PAY-31043 to the customer")] },
      { configurable: { scopes: ["finance:read"] } },
    );
    for (const call of model.calls) expect(call.toolNames).not.toContain("issue_refund");
    const search = out.messages.find((m) => m.getType() === "tool" && m.name === "search_tools");
    expect(String(search?.content)).not.toContain("issue_refund");
  });

  it("binds the tools search_tools found on the next call", async () => {
    const model = new ScriptedChatModel([
      { toolCalls: [{ name: "search_tools", args: { query: "cancel an invoice so it is no longer owed" } }] },
      FINISH,
    ]);
    const agent = createTaskAgent(financeSpec, { model });
    await agent.invoke({ messages: [new HumanMessage("what is our revenue this month?")] });
    expect(model.calls[0]!.toolNames).not.toContain("void_invoice");
    expect(model.calls[1]!.toolNames).toContain("void_invoice");
  });

  it.each([
    [{ KEEL_TOOL_SELECTION: "some" }, "KEEL_TOOL_SELECTION"],
    [{ KEEL_TOOL_SELECTION_K: "0" }, "KEEL_TOOL_SELECTION_K"],
  ])("rejects %j", (env, name) => {
    expect(() => toolSelectionSettings(env)).toThrow(name);
  });
});
