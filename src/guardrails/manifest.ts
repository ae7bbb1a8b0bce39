/**
 * The capability manifest: which scopes each task agent holds and which agents and scopes each tenant is
 * granted. A tool call is allowed only when the tool's scopes are held by both the calling agent and the
 * tenant. Read from `KEEL_CAPABILITIES` (a JSON file) or the package's `config/capabilities.json`, validated at start-up.
 *
 * @example
 * { "agents": { "finance": { "scopes": ["finance:read", "finance:refund"] } },
 *   "tenants": { "acme": { "agents": ["finance"], "scopes": ["finance:read"] } } }
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { ConfigurationError } from "../errors.js";

const AGENT_NAMES = ["support", "incidents", "finance", "shipping"] as const;
const Scope = z.string().regex(/^[a-z]+:[a-z]+$/, "a scope looks like domain:action, e.g. finance:read");

const ManifestSchema = z.object({
  agents: z.partialRecord(z.enum(AGENT_NAMES), z.object({ scopes: z.array(Scope) }).strict()),
  tenants: z.record(z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, "tenant ids are lower-case letters, digits, - and _"), z.object({ agents: z.array(z.enum(AGENT_NAMES)), scopes: z.array(Scope) }).strict()).refine((t) => "default" in t, "a tenant named default is required"),
});
export type CapabilityManifest = z.infer<typeof ManifestSchema>;

export const DEFAULT_TENANT = "default";

const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

/** Parses and validates a manifest; the error names the offending entry. */
export function parseManifest(raw: unknown, source: string): CapabilityManifest {
  const parsed = ManifestSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigurationError(`Capability manifest ${source}: entry ${issue.path.join(".") || "(root)"}: ${issue.message}.`, "Fix that entry; see config/capabilities.json for the format.");
  }
  return parsed.data;
}

let cached: { file: string; manifest: CapabilityManifest } | undefined;

/** The manifest in force (cached per file). */
export function capabilityManifest(env: NodeJS.ProcessEnv = process.env): CapabilityManifest {
  // The package's own config by default, wherever the process runs (Keel imported by another application).
  const file = path.resolve(env.KEEL_CAPABILITIES ?? path.join(PACKAGE_ROOT, "config", "capabilities.json"));
  if (cached?.file === file) return cached.manifest;
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (error) {
    throw new ConfigurationError(`The capability manifest ${file} cannot be read as JSON (${(error as Error).message}).`, "Set KEEL_CAPABILITIES to a valid manifest file.");
  }
  const manifest = parseManifest(raw, file);
  cached = { file, manifest };
  return manifest;
}

/** Stands for a caller authenticated without a tenant: no manifest entry has it, so it is refused everything. */
export const NO_TENANT = "(no tenant)";

/**
 * The tenant a run acts for. On the server, the authenticated user's (`configurable.langgraph_auth_user`, set
 * by the LangGraph server from src/auth) always wins, so a caller cannot pick another tenant through its run
 * configuration; in-process callers (CLI, `createKeelApp`) use `configurable.tenant_id`, else the default tenant.
 */
export function tenantOf(configurable: Record<string, unknown> | undefined): string {
  const authUser = configurable?.langgraph_auth_user;
  if (authUser && typeof authUser === "object") {
    const authTenant = (authUser as { tenant_id?: unknown }).tenant_id;
    return typeof authTenant === "string" && authTenant ? authTenant : NO_TENANT;
  }
  const tenant = configurable?.tenant_id;
  return typeof tenant === "string" && tenant ? tenant : DEFAULT_TENANT;
}

/** Why `agent` may not call a tool needing `scopes` for this run, or `undefined` when it may. */
export function capabilityRefusal(agent: string, scopes: readonly string[], configurable: Record<string, unknown> | undefined, manifest = capabilityManifest()): string | undefined {
  const tenantId = tenantOf(configurable);
  const tenant = manifest.tenants[tenantId];
  if (!tenant) return `tenant ${tenantId} is not in the capability manifest`;
  if (!tenant.agents.includes(agent as (typeof AGENT_NAMES)[number])) return `tenant ${tenantId} is not granted the ${agent} agent`;
  const agentScopes = new Set(manifest.agents[agent as (typeof AGENT_NAMES)[number]]?.scopes ?? []);
  const tenantScopes = new Set(tenant.scopes);
  const missingAgent = scopes.filter((s) => !agentScopes.has(s));
  if (missingAgent.length > 0) return `the ${agent} agent does not hold ${missingAgent.join(", ")}`;
  const missingTenant = scopes.filter((s) => !tenantScopes.has(s));
  if (missingTenant.length > 0) return `tenant ${tenantId} is not granted ${missingTenant.join(", ")}`;
  return undefined;
}
