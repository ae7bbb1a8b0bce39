import { describe, it, expect } from "vitest";
import { approvalReason, CREDIT_APPROVAL_THRESHOLD_USD } from "./policy.js";
import { TASK_AGENT_GRAPHS } from "../../graphs/agents/index.js";
import { isKeelTool, type KeelTool } from "../toolkit/define-tool.js";

const catalog = Object.values(TASK_AGENT_GRAPHS)
  .flatMap((agent) => (agent.options.tools ?? []) as unknown[])
  .filter(isKeelTool)
  .filter((t) => t.name !== "search_tools") as KeelTool[];
const byName = (name: string) => catalog.find((t) => t.name === name)!;

describe("approval policy", () => {
  it("the task agents together hold at least 40 primitive tools with complete metadata", () => {
    expect(new Set(catalog.map((t) => t.name)).size).toBeGreaterThanOrEqual(40);
    for (const tool of catalog) {
      expect(tool.metadata.scopes.length, tool.name).toBeGreaterThan(0);
      expect(["read", "write", "destructive", "egress"]).toContain(tool.metadata.sideEffect);
    }
  });

  it("every destructive or egress tool needs approval whatever its arguments; read tools never do", () => {
    for (const tool of catalog) {
      const reason = approvalReason(tool, {});
      if (["destructive", "egress"].includes(tool.metadata.sideEffect)) expect(reason, tool.name).toBeDefined();
      if (tool.metadata.sideEffect === "read") expect(reason, tool.name).toBeUndefined();
    }
  });

  it.each([
    [CREDIT_APPROVAL_THRESHOLD_USD - 0.01, false],
    [CREDIT_APPROVAL_THRESHOLD_USD, false],
    [CREDIT_APPROVAL_THRESHOLD_USD + 0.01, true],
    [400, true],
  ])("a credit of $%d needs approval: %s", (amount, expected) => {
    expect(approvalReason(byName("issue_credit"), { customer_id: "CUS-1042", amount_usd: amount, reason: "x" }) !== undefined).toBe(expected);
  });
});
