/**
 * Tenants, capabilities and credentials for tests and the load bench: fresh random API keys and a JWT secret
 * each time (nothing secret is committed), written to a temporary directory as the files the server reads
 * (`KEEL_CAPABILITIES`, `KEEL_TENANTS`).
 */
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { SignJWT } from "jose";

export interface TenantFixtureSpec {
  /** Scopes the tenant holds; all agents are granted. */
  scopes: string[];
  rateLimits?: Record<string, unknown>;
  /** Users: name -> roles. */
  users: Record<string, string[]>;
}

export interface TenantFixture {
  dir: string;
  env: Record<string, string>;
  /** API key of `<tenant>/<user>`. */
  key(tenant: string, user: string): string;
  /** Every secret made, to check none appears anywhere. */
  secrets(): string[];
  jwt(claims: Record<string, unknown>, expiresIn?: string | number, secret?: string): Promise<string>;
}

const AGENT_SCOPES = {
  support: ["support:read", "support:write", "comms:send"],
  incidents: ["incidents:read", "incidents:write", "incidents:page", "comms:send"],
  finance: ["finance:read", "finance:write", "finance:refund", "comms:send"],
  shipping: ["shipping:read", "shipping:write", "comms:send"],
};
export const ALL_SCOPES = [...new Set([...Object.values(AGENT_SCOPES).flat(), "reports:read", "reports:write"])];
export const READ_SCOPES = ["support:read", "incidents:read", "finance:read", "shipping:read", "reports:read"];

export function makeTenants(spec: Record<string, TenantFixtureSpec>, defaults?: Record<string, unknown>): TenantFixture {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "keel-tenants-"));
  const keys = new Map<string, string>();
  const jwtSecret = crypto.randomBytes(32).toString("hex");
  const capabilities = {
    agents: Object.fromEntries(Object.entries(AGENT_SCOPES).map(([a, scopes]) => [a, { scopes }])),
    tenants: {
      default: { agents: Object.keys(AGENT_SCOPES), scopes: ALL_SCOPES },
      ...Object.fromEntries(Object.entries(spec).map(([t, s]) => [t, { agents: Object.keys(AGENT_SCOPES), scopes: s.scopes }])),
    },
  };
  const tenants = {
    ...(defaults ? { defaults: { rateLimits: defaults } } : {}),
    tenants: Object.fromEntries(
      Object.entries(spec).map(([tenant, s]) => [
        tenant,
        {
          ...(s.rateLimits ? { rateLimits: s.rateLimits } : {}),
          apiKeys: Object.entries(s.users).map(([user, roles]) => {
            const key = `kk_${crypto.randomBytes(18).toString("base64url")}`;
            keys.set(`${tenant}/${user}`, key);
            return { sha256: crypto.createHash("sha256").update(key).digest("hex"), user, roles };
          }),
        },
      ]),
    ),
  };
  fs.writeFileSync(path.join(dir, "capabilities.json"), JSON.stringify(capabilities, null, 2));
  fs.writeFileSync(path.join(dir, "tenants.json"), JSON.stringify(tenants, null, 2));
  return {
    dir,
    env: { KEEL_CAPABILITIES: path.join(dir, "capabilities.json"), KEEL_TENANTS: path.join(dir, "tenants.json"), KEEL_JWT_SECRET: jwtSecret, KEEL_AUTH: "required" },
    key: (tenant, user) => {
      const key = keys.get(`${tenant}/${user}`);
      if (!key) throw new Error(`no key for ${tenant}/${user}`);
      return key;
    },
    secrets: () => [...keys.values(), jwtSecret],
    jwt: (claims, expiresIn = "5m", secret = jwtSecret) => {
      let builder = new SignJWT(claims).setProtectedHeader({ alg: "HS256" }).setIssuedAt();
      if (expiresIn !== undefined) builder = builder.setExpirationTime(expiresIn);
      return builder.sign(new TextEncoder().encode(secret));
    },
  };
}
