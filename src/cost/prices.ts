/**
 * USD prices per million tokens, by model name. `KEEL_PRICES` overrides or extends the built-in table: JSON, or
 * the path of a JSON file. A malformed, negative or missing price is refused with the field named.
 * @example KEEL_PRICES='{"llama3.1:8b":{"input":0,"output":0}}'
 * @example KEEL_PRICES=config/prices.json
 */
import fs from "node:fs";
import { z } from "zod";
import { ConfigurationError } from "../errors.js";

export interface Price {
  /** USD per million input (prompt) tokens. */
  input: number;
  /** USD per million output (completion) tokens. */
  output: number;
}

const DEFAULT_PRICES: Record<string, Price> = {
  "keel-offline": { input: 0, output: 0 },
  "gpt-4o-mini": { input: 0.15, output: 0.6 },
  "gpt-4o": { input: 2.5, output: 10 },
  "gpt-4.1-mini": { input: 0.4, output: 1.6 },
  "gpt-4.1-nano": { input: 0.1, output: 0.4 },
  "gpt-4.1": { input: 2, output: 8 },
};

const usdPerMillion = z.number({ error: "must be a number (USD per million tokens)" }).finite().nonnegative({ error: "must not be negative" });
const PriceTableSchema = z.record(z.string().min(1, { error: "a model name must not be empty" }), z.strictObject({ input: usdPerMillion, output: usdPerMillion }));

/** `path.to.field: message` for each zod issue, so a refusal names the field. */
export function describeIssues(root: string, error: z.ZodError): string {
  return error.issues.map((i) => `${[root, ...i.path.map(String)].join(".")}: ${i.message}`).join("; ");
}

/** Reads an env value that is JSON or the path of a JSON file. */
export function readJsonSetting(name: string, value: string): unknown {
  const text = value.trim().startsWith("{") ? value : readSettingFile(name, value.trim());
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ConfigurationError(`${name} is not valid JSON (${(error as Error).message}).`, `Give JSON or the path of a JSON file.`);
  }
}

function readSettingFile(name: string, file: string): string {
  try {
    return fs.readFileSync(file, "utf8");
  } catch (error) {
    throw new ConfigurationError(`${name} is neither JSON nor a readable file: ${file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`, "Give JSON inline or the path of a JSON file.");
  }
}

const parsedTables = new Map<string, Record<string, Price>>();

/** The price table: built-in prices with `KEEL_PRICES` on top. Throws `ConfigurationError` naming a bad field. */
export function priceTable(env: NodeJS.ProcessEnv = process.env): Record<string, Price> {
  const raw = env.KEEL_PRICES;
  if (!raw?.trim()) return DEFAULT_PRICES;
  const memo = parsedTables.get(raw);
  if (memo) return memo;
  const parsed = PriceTableSchema.safeParse(readJsonSetting("KEEL_PRICES", raw));
  if (!parsed.success) {
    throw new ConfigurationError(`KEEL_PRICES is malformed: ${describeIssues("KEEL_PRICES", parsed.error)}.`, 'Write it like {"model":{"input":0.15,"output":0.6}} (USD per million tokens, both required, not negative).');
  }
  const table = { ...DEFAULT_PRICES, ...parsed.data };
  parsedTables.set(raw, table);
  return table;
}

/** The price of a model, also under its name without a date suffix (`gpt-4o-2024-08-06` is `gpt-4o`). */
export function priceOf(model: string, table = priceTable()): Price | undefined {
  return table[model] ?? table[model.replace(/-\d{4}-\d{2}-\d{2}$/, "")];
}

/** Cost in USD, or `undefined` when the model has no price (shown as unknown rather than as free). */
export function costUsd(model: string, inputTokens: number, outputTokens: number, table = priceTable()): number | undefined {
  const price = priceOf(model, table);
  return price ? (inputTokens * price.input + outputTokens * price.output) / 1_000_000 : undefined;
}

/**
 * Refuses models that have no price: with budgets configured, a call that cannot be priced cannot be governed.
 * `models` maps the setting that names each model to the model, for the message.
 */
export function requirePrices(models: Record<string, string>, table = priceTable()): void {
  for (const [setting, model] of Object.entries(models)) {
    if (!priceOf(model, table)) {
      throw new ConfigurationError(`KEEL_PRICES has no price for model "${model}" (${setting}), and KEEL_BUDGETS needs one to govern its calls.`, `Add "${model}":{"input":<USD per 1M>,"output":<USD per 1M>} to KEEL_PRICES.`);
    }
  }
}
