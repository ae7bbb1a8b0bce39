/**
 * Settings of context management, read from the environment and validated (a bad value is a
 * `ConfigurationError` naming the variable).
 */
import { ConfigurationError, KeelError } from "../errors.js";

export interface ContextSettings {
  /**
   * Most tokens one model call of a task agent may take: system prompt, messages and bound tool schemas together.
   * @example KEEL_CONTEXT_BUDGET_TOKENS=16000
   */
  budgetTokens: number;
  /**
   * Who writes summaries: `model` (the fast tier; the offline stand-in gets the extractive summary) or
   * `extractive` (deterministic, no model call).
   * @example KEEL_CONTEXT_SUMMARIZER=extractive
   */
  summarizer: "model" | "extractive";
}

/** The default budget: fits every model Keel is used with, and leaves room for the answer in 16k-context models. */
export const DEFAULT_BUDGET_TOKENS = 8000;
/** Smallest budget accepted: below it not even a system prompt and a few tools fit. */
export const MIN_BUDGET_TOKENS = 500;

export function contextSettings(env: NodeJS.ProcessEnv = process.env): ContextSettings {
  const rawBudget = env.KEEL_CONTEXT_BUDGET_TOKENS?.trim();
  const budgetTokens = rawBudget ? Number(rawBudget) : DEFAULT_BUDGET_TOKENS;
  if (!Number.isInteger(budgetTokens) || budgetTokens < MIN_BUDGET_TOKENS || budgetTokens > 10_000_000) {
    throw new ConfigurationError(`KEEL_CONTEXT_BUDGET_TOKENS is "${env.KEEL_CONTEXT_BUDGET_TOKENS}".`, `Give a whole number of tokens from ${MIN_BUDGET_TOKENS} to 10000000 (default ${DEFAULT_BUDGET_TOKENS}).`);
  }
  const summarizer = (env.KEEL_CONTEXT_SUMMARIZER ?? "model").trim();
  if (summarizer !== "model" && summarizer !== "extractive") {
    throw new ConfigurationError(`KEEL_CONTEXT_SUMMARIZER is "${summarizer}".`, 'Use "model" (the fast tier writes summaries) or "extractive" (deterministic, no model call).');
  }
  return { budgetTokens, summarizer };
}

/** A model call cannot be made within the budget: the system prompt, bound tools and pinned goal alone exceed it. */
export class ContextBudgetError extends KeelError {}
