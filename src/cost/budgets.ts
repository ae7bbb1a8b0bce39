/**
 * Spending budgets in USD: per request (one user turn, resumes included), per conversation thread, and per
 * tenant (per calendar month, UTC, unless `tenantPeriod` says otherwise). `KEEL_BUDGETS` is JSON or the path of a
 * JSON file; with it unset nothing is limited. Per-tenant entries override the defaults field by field.
 * A malformed, negative or missing value is refused at start-up with the field named.
 *
 * @example KEEL_BUDGETS='{"default":{"request":0.05,"thread":0.5,"tenant":100},"tenants":{"acme":{"tenant":500}}}'
 * @example KEEL_BUDGETS='{"default":{"request":0.02},"onExceeded":"approve","expectedOutputTokens":300}'
 * @example KEEL_BUDGETS=config/budgets.json
 */
import { z } from "zod";
import { ConfigurationError } from "../errors.js";
import { describeIssues, readJsonSetting } from "./prices.js";

const usd = z.number({ error: "must be a number of USD" }).finite().nonnegative({ error: "must not be negative" });

const LimitsSchema = z.strictObject({
  /** USD one request (a user turn, with its resumes) may spend. @example 0.05 */
  request: usd.optional(),
  /** USD one conversation thread may spend over its life. @example 0.5 */
  thread: usd.optional(),
  /** USD one tenant may spend per `tenantPeriod`. @example 100 */
  tenant: usd.optional(),
});
export type BudgetLimits = z.infer<typeof LimitsSchema>;

const BudgetConfigSchema = z.strictObject({
  /** Limits for every tenant. @example {"request":0.05,"thread":0.5} */
  default: LimitsSchema.default({}),
  /** Per-tenant overrides, by tenant id. @example {"acme":{"tenant":500}} */
  tenants: z.record(z.string().min(1), LimitsSchema).default({}),
  /**
   * The last rung of the ladder: `approve` pauses for a human (an interrupt of kind "budget"), `stop` ends the
   * request with a clear message. Default `stop`.
   * @example "approve"
   */
  onExceeded: z.enum(["approve", "stop"]).default("stop"),
  /** Output tokens assumed for a call before it is made (its estimate). Default 512. @example 300 */
  expectedOutputTokens: z.number().int().positive().max(1_000_000).default(512),
  /** The window of the tenant budget: `month` (UTC calendar month, default), `day` (UTC) or `total`. @example "day" */
  tenantPeriod: z.enum(["month", "day", "total"]).default("month"),
});
export type BudgetConfig = z.infer<typeof BudgetConfigSchema>;
export type BudgetScope = "request" | "thread" | "tenant";

const parsedConfigs = new Map<string, BudgetConfig>();

/** The budget configuration, or `undefined` when `KEEL_BUDGETS` is unset (nothing is limited). */
export function budgetConfig(env: NodeJS.ProcessEnv = process.env): BudgetConfig | undefined {
  const raw = env.KEEL_BUDGETS;
  if (!raw?.trim()) return undefined;
  const memo = parsedConfigs.get(raw);
  if (memo) return memo;
  const config = parseBudgets(readJsonSetting("KEEL_BUDGETS", raw));
  parsedConfigs.set(raw, config);
  return config;
}

/** Validates a budget configuration object; throws `ConfigurationError` naming the bad field. */
export function parseBudgets(value: unknown): BudgetConfig {
  const parsed = BudgetConfigSchema.safeParse(value);
  if (!parsed.success) {
    throw new ConfigurationError(
      `KEEL_BUDGETS is malformed: ${describeIssues("KEEL_BUDGETS", parsed.error)}.`,
      'Write it like {"default":{"request":0.05,"thread":0.5,"tenant":100},"tenants":{"acme":{"tenant":500}},"onExceeded":"approve"} (USD, not negative).',
    );
  }
  const config = parsed.data;
  const limits = [config.default, ...Object.values(config.tenants)];
  if (!limits.some((l) => l.request !== undefined || l.thread !== undefined || l.tenant !== undefined)) {
    throw new ConfigurationError("KEEL_BUDGETS sets no budget: KEEL_BUDGETS.default and every KEEL_BUDGETS.tenants entry lack request, thread and tenant.", "Give at least one limit in USD, or unset KEEL_BUDGETS to run without budgets.");
  }
  return config;
}

/** The limits that apply to a tenant: its own entry over the defaults. */
export function limitsFor(config: BudgetConfig, tenantId: string): BudgetLimits {
  return { ...config.default, ...(config.tenants[tenantId] ?? {}) };
}

/** The spend window key of the tenant budget now (see spend-store.ts): '' for `total`, 'm:YYYY-MM', 'd:YYYY-MM-DD'. */
export function tenantWindowKey(period: BudgetConfig["tenantPeriod"], now = new Date()): string {
  const iso = now.toISOString();
  return period === "total" ? "" : period === "month" ? `m:${iso.slice(0, 7)}` : `d:${iso.slice(0, 10)}`;
}

/** Start of the current tenant budget window (ISO 8601), or `undefined` for `total`. */
export function tenantWindowStart(period: BudgetConfig["tenantPeriod"], now = new Date()): string | undefined {
  if (period === "total") return undefined;
  const start = period === "month" ? new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)) : new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  return start.toISOString();
}
