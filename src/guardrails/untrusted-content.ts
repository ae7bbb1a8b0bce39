/**
 * The untrusted-content layer of a task agent: each tool output is screened for prompt injection (and, per
 * `KEEL_INJECTION_POLICY`, flagged, stripped or blocked), marked as data (spotlighting), and tagged with its
 * provenance and the screening decision before it reaches the model. Decisions also go to the audit log.
 */
import { createMiddleware } from "langchain";
import { ToolMessage } from "@langchain/core/messages";
import { spotlight } from "./spotlight.js";
import { applyPolicy, createInjectionDetector, type InjectionDetector, type Policy } from "./injection/detector.js";
import { recordGuardrailEvent } from "./events.js";
import { ConfigurationError } from "../errors.js";

let detector: Promise<InjectionDetector> | undefined;

/** The process's injection detector (rules + offline embeddings), created on first use. */
export function injectionDetector(): Promise<InjectionDetector> {
  detector ??= createInjectionDetector();
  return detector;
}

/** What to do with a tool output the detector calls injected. @example KEEL_INJECTION_POLICY=block */
export function injectionPolicy(env: NodeJS.ProcessEnv = process.env): Policy {
  const value = (env.KEEL_INJECTION_POLICY ?? "strip").trim();
  if (value !== "flag" && value !== "strip" && value !== "block") {
    throw new ConfigurationError(`KEEL_INJECTION_POLICY is "${value}".`, "Use flag, strip or block.");
  }
  return value;
}

export function untrustedContentMiddleware(agent: string) {
  const policy = injectionPolicy();
  return createMiddleware({
    name: "KeelUntrustedContent",
    async wrapToolCall(request, handler) {
      const result = await handler(request);
      if (!(result instanceof ToolMessage) || typeof result.content !== "string") return result;
      const scan = await (await injectionDetector()).scan(result.content, { source: "tool" });
      const outcome = applyPolicy(result.content, scan, policy);
      if (outcome.action !== "none") {
        recordGuardrailEvent({ kind: "injection_detected", agent, tool: request.toolCall.name, args: request.toolCall.args, reason: `${outcome.action}: ${scan.reasons.slice(0, 3).join("; ")}` });
      }
      const content = outcome.notice && outcome.action !== "strip" ? `${outcome.notice}\n${outcome.text}` : outcome.text;
      return new ToolMessage({
        content: spotlight(content),
        tool_call_id: result.tool_call_id,
        name: result.name,
        status: result.status,
        artifact: result.artifact,
        additional_kwargs: {
          ...result.additional_kwargs,
          keel_untrusted: { source: `tool:${request.toolCall.name}`, call_id: request.toolCall.id },
          keel_injection: { verdict: scan.verdict, score: Number(scan.score.toFixed(3)), action: outcome.action },
        },
      });
    },
  });
}
