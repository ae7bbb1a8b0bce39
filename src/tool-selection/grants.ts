/** The tenant's grants: scopes the caller holds, carried in `configurable.scopes` of the run config. */

/** Scopes granted to the caller; `undefined` when the run carries none (no restriction). */
export function grantedScopes(configurable: Record<string, unknown> | undefined): Set<string> | undefined {
  const scopes = configurable?.scopes;
  return Array.isArray(scopes) ? new Set(scopes.map(String)) : undefined;
}

/** True when the caller holds every scope the tool needs (a tool without scope metadata needs none). */
export function isGranted(scopes: readonly string[] | undefined, grants: Set<string> | undefined): boolean {
  return !grants || (scopes ?? []).every((s) => grants.has(s));
}
