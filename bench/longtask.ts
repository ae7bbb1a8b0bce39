/**
 * `npm run bench -- longtask [--steps 200] [--budgets 4000,8000] [--out report.json]`: a long synthetic task through
 * the real finance agent (all its middleware, the real tools over the seeded database). A scripted model calls
 * lookup tools `--steps` times (lists and single invoices, a few hundred to a thousand tokens each) and then
 * finishes; each model call is measured as the provider receives it (system message, messages, the bound tools'
 * schemas in OpenAI's serialization).
 *
 * Metrics per budget: the largest call and its share of the budget, calls over the budget, calls without the goal,
 * calls holding an orphaned tool message, compactions, restarts, the raw size of all tool results, the summary's
 * size at the end, thread facts remembered, and the time per step.
 */
import { performance } from "node:perf_hooks";
import { HumanMessage, type BaseMessage } from "@langchain/core/messages";
import { InMemoryStore, MemorySaver } from "@langchain/langgraph";
import { convertToOpenAITool } from "@langchain/core/utils/function_calling";
import type { BindToolsInput } from "@langchain/core/language_models/chat_models";
import { createTaskAgent } from "../graphs/agents/task-agent.js";
import { financeSpec } from "../graphs/agents/finance.js";
import { ScriptedChatModel, type ScriptStep } from "../src/models/scripted-model.js";
import { countPromptTokens } from "../src/cost/tokens.js";
import { textOf } from "../src/models/offline/planner.js";
import { orphanedToolMessages } from "../src/context/steps.js";
import { isSummaryMessage } from "../src/context/summarizer.js";
import { recallFacts } from "../src/context/memory.js";
import { companyDb } from "../src/db/index.js";
import { BenchInputError, quantile, type BenchReport } from "./report.js";

export const usage = "npm run bench -- longtask [--steps 200] [--budgets 4000,8000] [--out report.json]";

const GOAL = "Audit every invoice of customer CUS-1042 one at a time and list any that look wrong. Constraint: never void an invoice or issue a refund; report only.";

class TimedModel extends ScriptedChatModel {
  readonly boundTools: BindToolsInput[][] = [];
  readonly at: number[] = [];
  override async _generate(messages: BaseMessage[], options: this["ParsedCallOptions"]) {
    this.at.push(performance.now());
    this.boundTools.push(options.tools ?? []);
    return super._generate(messages, options);
  }
}

function option(argv: string[], name: string, fallback: string): string {
  const at = argv.indexOf(name);
  return at >= 0 ? (argv[at + 1] ?? "") : fallback;
}

async function runOnce(steps: number, budget: number, invoiceIds: string[]): Promise<Record<string, number>> {
  const script: ScriptStep[] = Array.from({ length: steps }, (_, i) =>
    i % 2 === 0
      ? { toolCalls: [{ name: "list_invoices", args: { customer_id: "CUS-1042" } }] }
      : { toolCalls: [{ name: "get_invoice", args: { invoice_id: invoiceIds[i % invoiceIds.length]! } }] },
  );
  script.push({ toolCalls: [{ name: "task_result", args: { outcome: "completed", answer: "audited", evidence: ["CUS-1042"], confidence: 0.8, needs_human_review: false } }] });
  const saved = process.env.KEEL_CONTEXT_BUDGET_TOKENS;
  process.env.KEEL_CONTEXT_BUDGET_TOKENS = String(budget);
  try {
    const model = new TimedModel(script);
    const store = new InMemoryStore();
    const agent = createTaskAgent(financeSpec, { model, checkpointer: new MemorySaver() });
    const threadId = `bench-${budget}-${Date.now()}`;
    const config = { configurable: { thread_id: threadId }, store, recursionLimit: 4 * steps + 50 };
    await agent.invoke({ messages: [new HumanMessage(GOAL)] }, config);
    const tokens = model.calls.map((call, i) =>
      countPromptTokens(
        call.messages,
        model.boundTools[i]!.map((tool) => {
          const fn = convertToOpenAITool(tool as never).function;
          return { name: fn.name, description: fn.description ?? "", parameters: fn.parameters ?? {} };
        }),
      ),
    );
    const rawResults = model.calls.slice(1).reduce((n, call) => n + countPromptTokens([call.messages[call.messages.length - 1]!]), 0);
    const state = (await agent.getState(config)) as unknown as { values: { messages: BaseMessage[]; keelContext?: { compactions: number; restarts: number } } };
    const summary = state.values.messages.find(isSummaryMessage);
    const stepMs = model.at.slice(1).map((t, i) => t - model.at[i]!);
    const facts = await recallFacts(store, { tenant: "default", threadId });
    return {
      model_calls: model.calls.length,
      max_call_tokens: Math.max(...tokens),
      max_call_share: Math.max(...tokens) / budget,
      mean_call_tokens: tokens.reduce((a, b) => a + b, 0) / tokens.length,
      calls_over_budget: tokens.filter((t) => t > budget).length,
      calls_without_goal: model.calls.filter((c) => !c.messages.some((m) => m.getType() === "human" && textOf(m).includes(GOAL))).length,
      calls_with_orphans: model.calls.filter((c) => orphanedToolMessages(c.messages).length > 0).length,
      compactions: state.values.keelContext?.compactions ?? 0,
      restarts: state.values.keelContext?.restarts ?? 0,
      raw_result_tokens: rawResults,
      final_summary_tokens: summary ? countPromptTokens([summary]) : 0,
      facts_remembered: facts.length,
      step_ms_p50: quantile(stepMs, 0.5),
      step_ms_p95: quantile(stepMs, 0.95),
    };
  } finally {
    if (saved === undefined) delete process.env.KEEL_CONTEXT_BUDGET_TOKENS;
    else process.env.KEEL_CONTEXT_BUDGET_TOKENS = saved;
  }
}

export async function run(argv: string[]): Promise<BenchReport> {
  const steps = Number(option(argv, "--steps", "200"));
  if (!Number.isInteger(steps) || steps < 1 || steps > 5000) throw new BenchInputError("--steps needs a whole number from 1 to 5000.");
  const budgets = option(argv, "--budgets", "4000,8000").split(",").map(Number);
  if (budgets.some((b) => !Number.isInteger(b) || b < 500)) throw new BenchInputError("--budgets needs whole numbers of tokens, each at least 500, separated by commas.");
  const invoiceIds = (companyDb().sql.prepare("SELECT id FROM invoices ORDER BY id LIMIT 40").all() as { id: string }[]).map((r) => r.id);
  const groups: Record<string, Record<string, number>> = {};
  for (const budget of budgets) groups[`budget ${budget}`] = await runOnce(steps, budget, invoiceIds);
  const all = Object.values(groups);
  return {
    bench: "longtask",
    dataset: `synthetic ${steps}-step audit (finance agent)`,
    metrics: {
      steps,
      calls_over_budget: all.reduce((n, g) => n + g.calls_over_budget!, 0),
      calls_without_goal: all.reduce((n, g) => n + g.calls_without_goal!, 0),
      calls_with_orphans: all.reduce((n, g) => n + g.calls_with_orphans!, 0),
      max_call_share: Math.max(...all.map((g) => g.max_call_share!)),
    },
    groups,
    notes: [
      "Tokens: cl100k_base over the system message, messages and the bound tools' OpenAI function schemas, as sent.",
      `Tool selection: ${process.env.KEEL_TOOL_SELECTION ?? "retrieval"}; summarizer: ${process.env.KEEL_CONTEXT_SUMMARIZER ?? "model"} (the scripted model's fast tier is the offline model, so extractive).`,
    ],
  };
}
