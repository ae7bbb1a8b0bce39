/**
 * Who a request acts for, once authenticated: a tenant, a user in it, and roles. It becomes the LangGraph auth
 * user, so graphs read it as `config.configurable.langgraph_auth_user` (src/guardrails/manifest.ts `tenantOf`).
 * It never holds the credential it came from: it is stored in checkpoints and sent to traces.
 */
import type { Role } from "../tenancy/tenant-config.js";

export interface KeelPrincipal {
  /** `<tenant>:<user>`, unique across tenants. */
  identity: string;
  display_name: string;
  /** The roles, as LangGraph permissions. */
  permissions: Role[];
  is_authenticated: true;
  tenant_id: string;
  user_id: string;
  roles: Role[];
  auth_method: "api_key" | "jwt" | "none";
}

export function principal(tenant: string, user: string, roles: readonly Role[], method: KeelPrincipal["auth_method"]): KeelPrincipal {
  const unique = [...new Set(roles)];
  return { identity: `${tenant}:${user}`, display_name: user, permissions: unique, is_authenticated: true, tenant_id: tenant, user_id: user, roles: unique, auth_method: method };
}

/** Role order: each grants what the ones before it do. `metrics` stands apart. */
const RANK: Record<Role, number> = { metrics: -1, reader: 0, member: 1, admin: 2 };

/** True when the principal holds `needed` or a role above it. */
export function hasRole(who: { roles?: readonly string[] } | undefined, needed: Role): boolean {
  const roles = (who?.roles ?? []) as Role[];
  if (needed === "metrics") return roles.includes("metrics") || roles.includes("admin");
  return roles.some((r) => r !== "metrics" && RANK[r] !== undefined && RANK[r] >= RANK[needed]);
}
