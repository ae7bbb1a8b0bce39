/**
 * The scripted model of the `faults` bench, served by the local OpenAI-compatible test server: the router sends
 * credit requests to support; the support agent calls issue_credit with the customer and amount of the request,
 * then reports with task_result (completed when the tool answered ok, failed otherwise). Faults are drawn per
 * request from the current rate (seeded).
 */
import { rateFaultPlan, startOpenAICompatibleServer, type FaultPlan, type OpenAICompatibleServer, type RecordedRequest, type ScriptedReply } from "../tests/support/openai-compatible-server.js";

export const RATES = [0, 0.1, 0.3] as const;

export interface FaultServer extends OpenAICompatibleServer {
  /** Switches the model fault rate (a new seeded sequence). */
  setRate(rate: number, seed: number): void;
}

export async function startFaultServer(seed: number): Promise<FaultServer> {
  let plan: () => FaultPlan | undefined = () => undefined;
  const server = await startOpenAICompatibleServer({ replies: scriptedReply, faults: () => plan() });
  const setRate = (rate: number, scenarioSeed: number) => {
    plan = rateFaultPlan({ seed: scenarioSeed * 7919 + Math.round(rate * 100), rate429: rate / 4, rate500: rate / 4, rateTimeout: rate / 4, rateMalformed: rate / 4, retryAfterSeconds: 1, timeoutDelayMs: 5000 });
  };
  setRate(0, seed);
  return Object.assign(server, { setRate });
}

function text(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) return content.map((p: { text?: unknown }) => (typeof p?.text === "string" ? p.text : "")).join("");
  return "";
}

function scriptedReply(req: RecordedRequest): ScriptedReply {
  const messages = req.body?.messages ?? [];
  const tools = (req.body?.tools ?? []).map((t) => t.function.name);
  if (tools.includes("route")) {
    return { tool_calls: [{ name: "route", arguments: { routes: ["support"], confidence: 0.95, reason: "a credit for a customer" } }] };
  }
  const request = text(messages.find((m) => m.role === "user")?.content);
  const customer = /CUS-\d+/.exec(request)?.[0] ?? "CUS-0000";
  const amount = Number(/\$(\d+(?:\.\d+)?)/.exec(request)?.[1] ?? 0);
  const last = messages[messages.length - 1];
  const lastCall = [...messages].reverse().find((m) => m.role === "assistant")?.tool_calls as { function?: { name?: string } }[] | undefined;
  if (last?.role === "tool" && lastCall?.[0]?.function?.name === "issue_credit") {
    const result = text(last.content);
    const ok = /"ok":\s*true/.test(result);
    return {
      tool_calls: [
        {
          name: "task_result",
          arguments: {
            outcome: ok ? "completed" : "failed",
            answer: ok ? `Issued a $${amount} credit to ${customer}.` : `Could not issue the credit to ${customer}.`,
            evidence: [customer],
            confidence: 0.9,
            needs_human_review: false,
          },
        },
      ],
    };
  }
  if (!tools.includes("issue_credit")) return { tool_calls: [{ name: "search_tools", arguments: { query: "issue a service credit to a customer" } }] };
  return { tool_calls: [{ name: "issue_credit", arguments: { customer_id: customer, amount_usd: amount, reason: `bench credit ${customer} ${amount}` } }] };
}
