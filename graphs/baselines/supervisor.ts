/**
 * The comparison baseline for the cost bench: the same task agents (same prompts, same tools, every tool of the
 * agent bound on every call, no tool retrieval) under `@langchain/langgraph-supervisor`'s supervisor, which
 * routes with a model call through handoff tools and takes control back after each agent (one more call). No
 * fast routing, no caches. The supervisor is told what each agent covers, with the same route directory the
 * meta agent's router model reads.
 */
import { createSupervisor } from "@langchain/langgraph-supervisor";
import { createAgent } from "langchain";
import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { MemorySaver } from "@langchain/langgraph";
import { TASK_AGENT_SPECS } from "../agents/index.js";
import { TASK_AGENTS, ROUTE_DIRECTORY, routerPrompt } from "../meta/directory.js";

/** Handoff tool names with what they cover, for models that read tool metadata (the offline model). */
export function handoffHints(): Record<string, { description: string; examples: string[] }> {
  return Object.fromEntries(
    TASK_AGENTS.map((name) => [`transfer_to_${name}`, { description: `Hand the request to the ${name} agent. ${ROUTE_DIRECTORY[name].summary}`, examples: ROUTE_DIRECTORY[name].examples }]),
  );
}

/** The supervisor over the four task agents, compiled with an in-memory checkpointer. */
export function buildSupervisorBaseline(model: BaseChatModel) {
  const agents = TASK_AGENTS.map((name) => {
    const spec = TASK_AGENT_SPECS[name];
    return createAgent({ name, model, tools: spec.tools, systemPrompt: spec.instructions.trim() }).graph;
  });
  const prompt = [
    routerPrompt(),
    "Hand the request to the agent that can handle it with its transfer tool; when an agent has answered, reply to the user with its answer.",
  ].join("\n");
  return createSupervisor({ agents: agents as never, llm: model, prompt, outputMode: "last_message" }).compile({ checkpointer: new MemorySaver(), name: "supervisor_baseline" });
}
