/**
 * How the server authenticates callers, from the environment; validated at start-up.
 *
 * - `KEEL_AUTH`: `required` (default) or `off`. Off makes every caller the `default` tenant's `local-dev` admin:
 *   for a laptop only. @example KEEL_AUTH=off
 * - API keys: sha256 hashes in the tenant configuration (`KEEL_TENANTS`, `apiKeys`); callers send the key in
 *   `x-api-key` (or `Authorization: Bearer <key>`).
 * - `KEEL_JWT_SECRET`: HS256 secret (at least 32 characters) for JWTs sent as `Authorization: Bearer <jwt>`.
 *   @example KEEL_JWT_SECRET=$(openssl rand -hex 32)
 * - `KEEL_JWKS_URL`: a JWKS endpoint for asymmetric JWTs (RS256, ES256, PS256, EdDSA) instead of a secret.
 *   @example KEEL_JWKS_URL=https://login.example.com/.well-known/jwks.json
 * - `KEEL_JWT_ISSUER`, `KEEL_JWT_AUDIENCE`: required `iss` / `aud` when set. @example KEEL_JWT_AUDIENCE=keel
 * - `KEEL_JWT_TENANT_CLAIM` (default `tenant_id`), `KEEL_JWT_ROLES_CLAIM` (default `roles`): where a token
 *   carries the tenant and roles; the user is `sub`. @example KEEL_JWT_TENANT_CLAIM=org
 */
import { ConfigurationError } from "../errors.js";

export interface AuthSettings {
  mode: "required" | "off";
  jwtSecret?: Uint8Array;
  jwksUrl?: URL;
  issuer?: string;
  audience?: string;
  tenantClaim: string;
  rolesClaim: string;
}

export function authSettings(env: NodeJS.ProcessEnv = process.env): AuthSettings {
  const mode = (env.KEEL_AUTH?.trim() || "required") as AuthSettings["mode"];
  if (mode !== "required" && mode !== "off") {
    throw new ConfigurationError(`KEEL_AUTH is "${env.KEEL_AUTH}".`, `Use "required" (the default) or "off" (local development only).`);
  }
  // Empty counts as unset (an env file with `KEEL_JWT_SECRET=` left blank).
  const secret = env.KEEL_JWT_SECRET ? env.KEEL_JWT_SECRET : undefined;
  if (secret !== undefined && secret.length < 32) {
    // The value itself is never echoed.
    throw new ConfigurationError(`KEEL_JWT_SECRET is too short (${secret.length} characters).`, "Use at least 32 random characters, e.g. `openssl rand -hex 32`.");
  }
  const jwks = env.KEEL_JWKS_URL?.trim() || undefined;
  let jwksUrl: URL | undefined;
  if (jwks) {
    try {
      jwksUrl = new URL(jwks);
    } catch {
      throw new ConfigurationError(`KEEL_JWKS_URL is not a URL: "${jwks}".`, "Give the https URL of the identity provider's JWKS.");
    }
    if (jwksUrl.protocol !== "https:" && jwksUrl.protocol !== "http:") throw new ConfigurationError(`KEEL_JWKS_URL must be http(s): "${jwks}".`, "Give the https URL of the JWKS.");
  }
  if (secret !== undefined && jwksUrl) {
    throw new ConfigurationError("Both KEEL_JWT_SECRET and KEEL_JWKS_URL are set.", "Set one: the HS256 secret or the JWKS URL.");
  }
  return {
    mode,
    jwtSecret: secret !== undefined ? new TextEncoder().encode(secret) : undefined,
    jwksUrl,
    issuer: env.KEEL_JWT_ISSUER?.trim() || undefined,
    audience: env.KEEL_JWT_AUDIENCE?.trim() || undefined,
    tenantClaim: env.KEEL_JWT_TENANT_CLAIM?.trim() || "tenant_id",
    rolesClaim: env.KEEL_JWT_ROLES_CLAIM?.trim() || "roles",
  };
}
