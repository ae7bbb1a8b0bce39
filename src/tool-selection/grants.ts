/**
 * The caller's grants: the scopes of the run's tenant in the capability manifest (`configurable.tenant_id`,
 * default tenant otherwise), narrowed further by `configurable.scopes` when a run carries its own list.
 */
import { capabilityManifest, tenantOf } from "../guardrails/manifest.js";

export function grantedScopes(configurable: Record<string, unknown> | undefined): Set<string> {
  const tenant = capabilityManifest().tenants[tenantOf(configurable)];
  const granted = new Set(tenant?.scopes ?? []);
  const narrowed = configurable?.scopes;
  return Array.isArray(narrowed) ? new Set(narrowed.map(String).filter((s) => granted.has(s))) : granted;
}

/** True when the caller holds every scope the tool needs (a tool without scope metadata needs none). */
export function isGranted(scopes: readonly string[] | undefined, grants: Set<string>): boolean {
  return (scopes ?? []).every((s) => grants.has(s));
}
