/**
 * USD prices per million tokens, by model name. Override or extend with `KEEL_PRICES` as JSON.
 * @example KEEL_PRICES='{"llama3.1:8b":{"input":0,"output":0}}'
 */
import { ConfigurationError } from "../errors.js";

export interface Price {
  input: number;
  output: number;
}

const DEFAULT_PRICES: Record<string, Price> = {
  "keel-offline": { input: 0, output: 0 },
  "gpt-4o-mini": { input: 0.15, output: 0.6 },
  "gpt-4o": { input: 2.5, output: 10 },
  "gpt-4.1-mini": { input: 0.4, output: 1.6 },
  "gpt-4.1": { input: 2, output: 8 },
};

export function priceTable(env: NodeJS.ProcessEnv = process.env): Record<string, Price> {
  if (!env.KEEL_PRICES) return DEFAULT_PRICES;
  let extra: unknown;
  try {
    extra = JSON.parse(env.KEEL_PRICES);
  } catch {
    throw new ConfigurationError("KEEL_PRICES is not valid JSON.", 'Write it like {"model":{"input":0.15,"output":0.6}} (USD per million tokens).');
  }
  for (const [model, price] of Object.entries(extra as Record<string, Price>)) {
    if (typeof price?.input !== "number" || typeof price?.output !== "number") {
      throw new ConfigurationError(`KEEL_PRICES entry "${model}" lacks numeric input and output prices.`, "Give both, in USD per million tokens.");
    }
  }
  return { ...DEFAULT_PRICES, ...(extra as Record<string, Price>) };
}

/** Cost in USD, or `undefined` when the model has no price (shown as unknown rather than as free). */
export function costUsd(model: string, inputTokens: number, outputTokens: number, table = priceTable()): number | undefined {
  const price = table[model] ?? table[model.replace(/-\d{4}-\d{2}-\d{2}$/, "")];
  return price ? (inputTokens * price.input + outputTokens * price.output) / 1_000_000 : undefined;
}
