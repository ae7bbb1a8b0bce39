/**
 * `search_tools`: lets the model ask for more tools than retrieval bound. It searches the same index, only
 * within the agent's own tools, and answers with names and descriptions; the selection middleware binds the
 * tools it found from the next model call on (read back from this tool's messages, so no extra state).
 */
import { z } from "zod";
import type { BaseMessage } from "@langchain/core/messages";
import { defineTool, type Domain } from "../toolkit/define-tool.js";
import type { ToolIndex } from "../retrieval/tool-index.js";
import { grantedScopes, isGranted } from "./grants.js";
import { unspotlight } from "../guardrails/spotlight.js";

export const SEARCH_TOOLS_NAME = "search_tools";

export function searchToolsTool(domain: Domain, scope: string[], index: () => Promise<ToolIndex>) {
  const inScope = new Set(scope);
  return defineTool({
    name: SEARCH_TOOLS_NAME,
    description:
      "Find more of your tools when none of the tools you have fits the task. Describe what you need to do; returns matching tool names and descriptions, which become callable on your next step.",
    schema: z.object({ query: z.string().min(3).describe("What you need a tool for, e.g. 'refund a payment'") }),
    metadata: { domain, sideEffect: "read", idempotent: true, scopes: [], examples: ["I need a tool for something else"] },
    run: async ({ query }, ctx) => {
      const grants = grantedScopes(ctx.config.configurable);
      const toolIndex = await index();
      const found = await toolIndex.search(query, {
        k: 5,
        allowed: (doc) => inScope.has(doc.name) && doc.name !== SEARCH_TOOLS_NAME && isGranted(doc.scopes, grants),
      });
      const docs = toolIndex.documents();
      return {
        tools: found.tools.map((t) => ({ name: t.name, description: docs.find((d) => d.name === t.name)?.description ?? "" })),
      };
    },
  });
}

/** Names of tools returned by earlier `search_tools` calls in this conversation. */
export function toolsFoundBySearch(messages: BaseMessage[]): string[] {
  const names: string[] = [];
  for (const message of messages) {
    if (message.getType() !== "tool" || message.name !== SEARCH_TOOLS_NAME) continue;
    try {
      const parsed = JSON.parse(unspotlight(String(message.content))) as { ok?: boolean; data?: { tools?: { name: string }[] } };
      for (const tool of parsed.data?.tools ?? []) names.push(tool.name);
    } catch {
      // Not our JSON: nothing to bind.
    }
  }
  return names;
}
