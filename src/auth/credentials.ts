/**
 * Turns a request's credential into a principal: an API key (looked up by its sha256 in the tenant
 * configuration) or a JWT (HS256 with `KEEL_JWT_SECRET`, or a key from `KEEL_JWKS_URL`, verified by jose).
 * Every failure is the same `null` to the caller, so a response cannot tell an attacker which part was wrong;
 * the reason is kept for tests and counters only and never includes the credential.
 */
import crypto from "node:crypto";
import { createRemoteJWKSet, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from "jose";
import type { AuthSettings } from "./settings.js";
import { principal, type KeelPrincipal } from "./principal.js";
import { ROLES, type Role, type TenantDirectory } from "../tenancy/tenant-config.js";

export type RefusalReason = "missing" | "unknown_key" | "jwt_invalid" | "jwt_expired" | "jwt_claims" | "unknown_tenant" | "jwt_not_configured";

export type AuthOutcome = { ok: true; principal: KeelPrincipal } | { ok: false; reason: RefusalReason };

export function sha256Hex(text: string): string {
  return crypto.createHash("sha256").update(text, "utf8").digest("hex");
}

const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;
const ASYMMETRIC_ALGS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "EdDSA"];

/** The credential a request carries: `x-api-key`, else `Authorization: Bearer ...`. */
export function credentialOf(headers: Headers): string | undefined {
  const apiKey = headers.get("x-api-key")?.trim();
  if (apiKey) return apiKey;
  const authorization = headers.get("authorization")?.trim();
  const match = authorization?.match(/^Bearer\s+(\S+)$/i);
  return match?.[1];
}

export class CredentialVerifier {
  private readonly jwks?: JWTVerifyGetKey;

  constructor(
    private readonly settings: AuthSettings,
    private readonly directory: TenantDirectory,
  ) {
    // jose caches the key set and refetches on an unknown `kid` (rate-limited), which is what rotation needs.
    if (settings.jwksUrl) this.jwks = createRemoteJWKSet(settings.jwksUrl, { timeoutDuration: 5_000, cooldownDuration: 30_000 });
  }

  async verify(headers: Headers): Promise<AuthOutcome> {
    if (this.settings.mode === "off") return { ok: true, principal: principal("default", "local-dev", ["admin"], "none") };
    const credential = credentialOf(headers);
    if (!credential) return { ok: false, reason: "missing" };
    if (JWT_SHAPE.test(credential)) return this.verifyJwt(credential);
    const key = this.directory.apiKeys.get(sha256Hex(credential));
    if (!key) return { ok: false, reason: "unknown_key" };
    return { ok: true, principal: principal(key.tenant, key.user, key.roles, "api_key") };
  }

  private async verifyJwt(token: string): Promise<AuthOutcome> {
    const { settings } = this;
    if (!settings.jwtSecret && !this.jwks) return { ok: false, reason: "jwt_not_configured" };
    let payload: JWTPayload;
    try {
      const options = { issuer: settings.issuer, audience: settings.audience, requiredClaims: ["exp", "sub"], clockTolerance: 5 };
      payload = settings.jwtSecret
        ? (await jwtVerify(token, settings.jwtSecret, { ...options, algorithms: ["HS256"] })).payload
        : (await jwtVerify(token, this.jwks!, { ...options, algorithms: ASYMMETRIC_ALGS })).payload;
    } catch (error) {
      return { ok: false, reason: (error as { code?: string }).code === "ERR_JWT_EXPIRED" ? "jwt_expired" : "jwt_invalid" };
    }
    const tenant = payload[settings.tenantClaim];
    const user = payload.sub;
    const rawRoles = payload[settings.rolesClaim] ?? ["member"];
    if (typeof tenant !== "string" || !user || !Array.isArray(rawRoles)) return { ok: false, reason: "jwt_claims" };
    const roles = rawRoles.filter((r): r is Role => (ROLES as readonly unknown[]).includes(r));
    if (roles.length === 0) return { ok: false, reason: "jwt_claims" };
    if (!this.directory.tenants.has(tenant)) return { ok: false, reason: "unknown_tenant" };
    return { ok: true, principal: principal(tenant, user, roles, "jwt") };
  }
}
