/**
 * Per-tenant serving configuration: rate limits, model tiers per task agent, tools denied to the tenant, and API
 * keys (as sha256 hashes).
 * Spending budgets per tenant are `KEEL_BUDGETS.tenants` (src/cost/budgets.ts); start-up checks that every
 * tenant named there exists (`checkServingConfiguration`). Which agents and scopes (hence tools) a tenant may use stays in the capability manifest
 * (`config/capabilities.json`, src/guardrails/manifest.ts); every tenant named here must exist there.
 *
 * Read from `KEEL_TENANTS` (a JSON file) or the package's `config/tenants.json`, validated when the server starts: a malformed
 * entry stops start-up with a `ConfigurationError` naming it (e.g. `tenants.acme.rateLimits.requestsPerMinute`).
 *
 * @example
 * { "defaults": { "rateLimits": { "requestsPerMinute": 600, "tokensPerMinute": 200000, "toolCallsPerMinute": { "*": 120 } } },
 *   "tenants": { "acme": { "modelTiers": { "finance": "fast" },
 *                          "apiKeys": [{ "sha256": "<64 hex digits>", "user": "alice", "roles": ["member"] }] } } }
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { ConfigurationError } from "../errors.js";
import { MODEL_TIERS, type ModelTier } from "../models/provider.js";
import { capabilityManifest, type CapabilityManifest } from "../guardrails/manifest.js";

/** What a caller may do through the API: `reader` reads, `member` also runs and writes, `admin` also manages
 * assistants, `metrics` may only scrape `/metrics`. */
export const ROLES = ["reader", "member", "admin", "metrics"] as const;
export type Role = (typeof ROLES)[number];

const PerMinute = z.number().int("use a whole number").positive("must be a positive number (leave it out for no limit)");
const RateLimitsSchema = z
  .object({
    /** API requests a minute. */
    requestsPerMinute: PerMinute.optional(),
    /** Model tokens (input + output) a minute, counted after each model call. */
    tokensPerMinute: PerMinute.optional(),
    /** Calls a minute per tool name; `*` is the default for tools not named. */
    toolCallsPerMinute: z.record(z.string().regex(/^(\*|[a-z0-9_.:-]+)$/, "a tool name or *"), PerMinute).optional(),
  })
  .strict();
export type RateLimits = z.infer<typeof RateLimitsSchema>;

const ApiKeySchema = z
  .object({
    /** sha256 of the key, 64 lower-case hex digits (`printf %s "$KEY" | sha256sum`). */
    sha256: z.string().regex(/^[0-9a-f]{64}$/, "sha256 must be 64 lower-case hex digits (the hash of the key, never the key)"),
    user: z.string().min(1, "user must not be empty").max(200),
    roles: z.array(z.enum(ROLES)).min(1, "give at least one role").default(["member"]),
  })
  .strict();

const AGENTS_WITH_TIERS = ["support", "incidents", "finance", "shipping"] as const;

const TenantSchema = z
  .object({
    rateLimits: RateLimitsSchema.optional(),
    /** Model tier per task agent for this tenant (overrides the agent's default and `KEEL_AGENT_TIERS`). */
    modelTiers: z.partialRecord(z.enum(AGENTS_WITH_TIERS), z.enum(MODEL_TIERS)).optional(),
    apiKeys: z.array(ApiKeySchema).optional(),
    /** Tools this tenant may not call even where its scopes would allow them. @example ["issue_refund"] */
    deniedTools: z.array(z.string().regex(/^[a-z0-9_.:-]+$/, "a tool name")).optional(),
  })
  .strict();

const TenantsFileSchema = z
  .object({
    defaults: z.object({ rateLimits: RateLimitsSchema.optional() }).strict().optional(),
    tenants: z.record(z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, "tenant ids are lower-case letters, digits, - and _"), TenantSchema),
  })
  .strict();
export type TenantsFile = z.infer<typeof TenantsFileSchema>;

export interface ApiKeyRecord {
  tenant: string;
  user: string;
  roles: Role[];
}

export interface TenantSettings {
  id: string;
  rateLimits: RateLimits;
  modelTiers: Partial<Record<(typeof AGENTS_WITH_TIERS)[number], ModelTier>>;
  deniedTools: string[];
}

export interface TenantDirectory {
  source: string;
  tenants: Map<string, TenantSettings>;
  /** sha256 hex of a key -> who it is. */
  apiKeys: Map<string, ApiKeyRecord>;
}

function fail(source: string, entry: string, why: string): never {
  throw new ConfigurationError(`Tenant configuration ${source}: entry ${entry || "(root)"}: ${why}.`, "Fix that entry; docs/deployment.md describes the format.");
}

/** Validates a tenants file against the capability manifest; the error names the offending entry. */
export function parseTenants(raw: unknown, source: string, manifest: CapabilityManifest): TenantDirectory {
  const parsed = TenantsFileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    fail(source, issue.path.join("."), issue.message);
  }
  const file = parsed.data;
  const defaults = file.defaults?.rateLimits ?? {};
  const tenants = new Map<string, TenantSettings>();
  const apiKeys = new Map<string, ApiKeyRecord>();
  for (const [id, tenant] of Object.entries(file.tenants)) {
    if (!(id in manifest.tenants)) fail(source, `tenants.${id}`, `tenant ${id} is not in the capability manifest (add its agents and scopes there)`);
    tenant.apiKeys?.forEach((key, i) => {
      if (apiKeys.has(key.sha256)) fail(source, `tenants.${id}.apiKeys.${i}.sha256`, "this key hash is already given to another user or tenant");
      apiKeys.set(key.sha256, { tenant: id, user: key.user, roles: [...new Set(key.roles)] });
    });
  }
  // Tenants of the manifest not named here get the defaults.
  for (const id of Object.keys(manifest.tenants)) {
    const tenant = file.tenants[id];
    tenants.set(id, {
      id,
      rateLimits: { ...defaults, ...tenant?.rateLimits, toolCallsPerMinute: { ...defaults.toolCallsPerMinute, ...tenant?.rateLimits?.toolCallsPerMinute } },
      modelTiers: { ...tenant?.modelTiers },
      deniedTools: [...(tenant?.deniedTools ?? [])],
    });
  }
  return { source, tenants, apiKeys };
}

const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
let cached: { file: string; directory: TenantDirectory } | undefined;

/** The tenant directory in force (cached per file). Throws `ConfigurationError` naming the bad entry. */
export function tenantDirectory(env: NodeJS.ProcessEnv = process.env): TenantDirectory {
  // The package's own config by default, wherever the process runs (Keel imported by another application).
  const file = path.resolve(env.KEEL_TENANTS?.trim() || path.join(PACKAGE_ROOT, "config", "tenants.json"));
  if (cached?.file === file) return cached.directory;
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (error) {
    throw new ConfigurationError(`The tenant configuration ${file} cannot be read as JSON (${(error as Error).message}).`, "Set KEEL_TENANTS to a valid tenants file.");
  }
  const directory = parseTenants(raw, file, capabilityManifest(env));
  cached = { file, directory };
  return directory;
}

/** Settings of one tenant, or `undefined` for a tenant that does not exist. */
export function tenantSettings(tenantId: string, env: NodeJS.ProcessEnv = process.env): TenantSettings | undefined {
  return tenantDirectory(env).tenants.get(tenantId);
}

/**
 * Everything the server needs about tenants, checked together at start-up: the capability manifest, this file,
 * and that every tenant with a budget in `KEEL_BUDGETS` exists. Throws `ConfigurationError` naming the entry.
 */
export function checkServingConfiguration(env: NodeJS.ProcessEnv = process.env, budgets: () => { tenants: Record<string, unknown> } | undefined = () => undefined): TenantDirectory {
  const directory = tenantDirectory(env);
  for (const tenant of Object.keys(budgets()?.tenants ?? {})) {
    if (!directory.tenants.has(tenant)) throw new ConfigurationError(`KEEL_BUDGETS: entry tenants.${tenant}: tenant ${tenant} is not in the capability manifest.`, "Remove the entry or add the tenant to the capability manifest.");
  }
  return directory;
}
