/**
 * The LangGraph server's custom auth (`langgraph.json` -> `auth.path`): authenticates every request (except
 * the public probes) and scopes every resource to the caller's tenant.
 *
 * - Threads, runs (which live on threads) and assistants carry `metadata.tenant_id`, set here on create and
 *   forced on update; every read, search, update and delete is filtered on it, so another tenant's thread is a
 *   404, and never in a search.
 * - Store items: a tenant's namespaces start with its tenant id (`["acme", ...]`); any other namespace is a 403.
 * - Roles: `reader` reads, `member` also creates threads and runs and writes the store, `admin` also manages
 *   assistants. Built-in assistants (one per graph) are run by graph id (`"meta"`); tenants list only their own.
 *
 * Loading this module validates the auth settings and the tenant configuration, so a malformed entry stops the
 * server at start-up with the entry named.
 */
import { Auth, HTTPException } from "@langchain/langgraph-sdk/auth";
import { authSettings } from "./settings.js";
import { CredentialVerifier } from "./credentials.js";
import { hasRole, type KeelPrincipal } from "./principal.js";
import { checkServingConfiguration, type Role } from "../tenancy/tenant-config.js";
import { budgetConfig } from "../cost/budgets.js";
import { recordAuthRefusal } from "./refusals.js";

/** Paths answered without a credential (load-balancer probes). */
export const PUBLIC_PATHS = new Set(["/health", "/ok"]);

const settings = authSettings();
const directory = checkServingConfiguration(process.env, () => budgetConfig());
const verifier = new CredentialVerifier(settings, directory);
if (settings.mode === "off") console.warn("[keel] KEEL_AUTH=off: every caller is the default tenant's local-dev admin. Never use this beyond your own machine.");
else if (directory.apiKeys.size === 0 && !settings.jwtSecret && !settings.jwksUrl) {
  console.warn("[keel] Auth is required but no API keys (KEEL_TENANTS) and no JWT verification (KEEL_JWT_SECRET, KEEL_JWKS_URL) are configured: every request will get 401. For local development set KEEL_AUTH=off.");
}

/** One body for every refusal: no hint of what was wrong. */
function unauthorized(): HTTPException {
  return new HTTPException(401, { message: "Unauthorized", headers: { "WWW-Authenticate": 'Bearer realm="keel"' } });
}

const ANONYMOUS: Omit<KeelPrincipal, "tenant_id" | "user_id" | "auth_method" | "is_authenticated" | "permissions"> & { is_authenticated: boolean; permissions: string[] } = {
  identity: "anonymous",
  display_name: "anonymous",
  permissions: [],
  is_authenticated: false,
  roles: [],
};

type Caller = Partial<KeelPrincipal> & { roles?: readonly string[] };

/** The caller's tenant when it holds `role`; a 403 otherwise. */
function tenantFor(who: unknown, role: Role): string {
  const user = who as Caller | undefined;
  const tenant = user?.tenant_id;
  if (typeof tenant !== "string" || !tenant || !hasRole(user, role)) throw new HTTPException(403, { message: "Forbidden" });
  return tenant;
}

function withTenant(metadata: Record<string, unknown> | null | undefined, tenant: string): Record<string, unknown> {
  return { ...metadata, tenant_id: tenant };
}

/** A store namespace belongs to the tenant named by its first label. */
function checkNamespace(namespace: readonly string[] | null | undefined, tenant: string): void {
  if (!namespace || namespace[0] !== tenant) throw new HTTPException(403, { message: `Store namespaces must start with your tenant id` });
}

/**
 * Reads of assistants: a tenant sees only its own. With `KEEL_AUTH=off` (one local developer, e.g. LangGraph
 * Studio) the built-in assistants are listed too: a filter cannot say "own or built-in".
 */
function builtInAssistantsVisible(user: unknown): { tenant_id: string } | undefined {
  const tenant = tenantFor(user, "reader");
  return (user as Caller).auth_method === "none" ? undefined : { tenant_id: tenant };
}

export const auth = new Auth()
  .authenticate(async (request: Request) => {
    const { pathname } = new URL(request.url);
    if (request.method === "GET" && PUBLIC_PATHS.has(pathname)) return ANONYMOUS;
    // The dev server's `/internal/truncate` wipes every tenant's data and sits before the app's middleware: no one
    // may call it through the API.
    if (pathname.startsWith("/internal/")) throw new HTTPException(404, { message: "Not Found" });
    const outcome = await verifier.verify(request.headers);
    if (!outcome.ok) {
      recordAuthRefusal(outcome.reason);
      throw unauthorized();
    }
    return outcome.principal;
  })
  // Threads (and the runs on them).
  .on("threads:create", ({ user, value }) => {
    const tenant = tenantFor(user, "member");
    value.metadata = withTenant(value.metadata, tenant);
    return { tenant_id: tenant };
  })
  .on("threads:create_run", ({ user, value }) => {
    const tenant = tenantFor(user, "member");
    // A run may not claim another tenant through its configuration; the graph reads the authenticated user anyway.
    const configurable = (value.kwargs?.config as { configurable?: Record<string, unknown> } | undefined)?.configurable;
    if (configurable?.tenant_id !== undefined && configurable.tenant_id !== tenant) throw new HTTPException(403, { message: "Forbidden" });
    value.metadata = withTenant(value.metadata, tenant);
    // A plain tenant_id too, for code that reads configurable values rather than the auth user.
    if (configurable) configurable.tenant_id = tenant;
    return { tenant_id: tenant };
  })
  .on("threads:update", ({ user, value }) => {
    const tenant = tenantFor(user, "member");
    if (value.metadata) value.metadata = withTenant(value.metadata, tenant);
    return { tenant_id: tenant };
  })
  .on("threads:delete", ({ user }) => ({ tenant_id: tenantFor(user, "member") }))
  .on("threads:read", ({ user }) => ({ tenant_id: tenantFor(user, "reader") }))
  .on("threads:search", ({ user }) => ({ tenant_id: tenantFor(user, "reader") }))
  // Assistants.
  .on("assistants:create", ({ user, value }) => {
    const tenant = tenantFor(user, "admin");
    value.metadata = withTenant(value.metadata, tenant);
    return { tenant_id: tenant };
  })
  .on("assistants:update", ({ user, value }) => {
    const tenant = tenantFor(user, "admin");
    if (value.metadata) value.metadata = withTenant(value.metadata, tenant);
    return { tenant_id: tenant };
  })
  .on("assistants:delete", ({ user }) => ({ tenant_id: tenantFor(user, "admin") }))
  .on("assistants:read", ({ user }) => builtInAssistantsVisible(user))
  .on("assistants:search", ({ user }) => builtInAssistantsVisible(user))
  // Store.
  .on("store:put", ({ user, value }) => {
    checkNamespace(value.namespace, tenantFor(user, "member"));
  })
  .on("store:delete", ({ user, value }) => {
    checkNamespace(value.namespace, tenantFor(user, "member"));
  })
  .on("store:get", ({ user, value }) => {
    checkNamespace(value.namespace, tenantFor(user, "reader"));
  })
  .on("store:search", ({ user, value }) => {
    checkNamespace(value.namespace, tenantFor(user, "reader"));
  })
  .on("store:list_namespaces", ({ user, value }) => {
    checkNamespace(value.namespace, tenantFor(user, "reader"));
  })
  // Anything else (crons, future resources): only within the tenant, and only for admins.
  .on("*", ({ user }) => ({ tenant_id: tenantFor(user, "admin") }));
