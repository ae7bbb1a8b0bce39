import { describe, it, expect, beforeAll, afterAll } from "vitest";
import http from "node:http";
import { SignJWT, generateKeyPair, exportJWK, type JWK, type GenerateKeyPairResult } from "jose";

type SigningKey = GenerateKeyPairResult["privateKey"];
import { CredentialVerifier, credentialOf, sha256Hex } from "./credentials.js";
import { authSettings } from "./settings.js";
import { parseTenants } from "../tenancy/tenant-config.js";
import { parseManifest } from "../guardrails/manifest.js";
import { ConfigurationError } from "../errors.js";

const SECRET = "0123456789abcdef0123456789abcdef-test-only";
const KEY = "kk_test_acme_alice_7f3c";
const manifest = parseManifest({ agents: {}, tenants: { default: { agents: [], scopes: [] }, acme: { agents: [], scopes: [] } } }, "test");
const directory = parseTenants({ tenants: { acme: { apiKeys: [{ sha256: sha256Hex(KEY), user: "alice", roles: ["member"] }] } } }, "test", manifest);

const hs256 = new CredentialVerifier(authSettings({ KEEL_JWT_SECRET: SECRET }), directory);

function headers(h: Record<string, string>): Headers {
  return new Headers(h);
}

async function jwt(claims: Record<string, unknown>, options: { secret?: string; expiresIn?: string | number; alg?: string } = {}): Promise<string> {
  let builder = new SignJWT(claims).setProtectedHeader({ alg: options.alg ?? "HS256" }).setIssuedAt();
  if (options.expiresIn !== undefined) builder = builder.setExpirationTime(options.expiresIn);
  return builder.sign(new TextEncoder().encode(options.secret ?? SECRET));
}

describe("API keys", () => {
  it.each([
    ["x-api-key", { "x-api-key": KEY }],
    ["Authorization: Bearer", { authorization: `Bearer ${KEY}` }],
  ])("maps a known key in %s to its tenant, user and roles", async (_, h) => {
    const outcome = await hs256.verify(headers(h));
    expect(outcome).toEqual({ ok: true, principal: expect.objectContaining({ identity: "acme:alice", tenant_id: "acme", user_id: "alice", roles: ["member"], auth_method: "api_key" }) });
  });

  it.each([
    ["no credential", {}, "missing"],
    ["an unknown key", { "x-api-key": "kk_test_acme_alice_7f3d" }, "unknown_key"],
    ["a Basic header", { authorization: `Basic ${Buffer.from(`alice:${KEY}`).toString("base64")}` }, "missing"],
  ])("refuses %s", async (_, h, reason) => {
    expect(await hs256.verify(headers(h))).toEqual({ ok: false, reason });
  });

  it("keeps the key out of the principal", async () => {
    const outcome = await hs256.verify(headers({ "x-api-key": KEY }));
    expect(JSON.stringify(outcome)).not.toContain(KEY);
  });

  it("prefers x-api-key over Authorization", () => {
    expect(credentialOf(headers({ "x-api-key": "a", authorization: "Bearer b" }))).toBe("a");
  });
});

describe("JWT (HS256)", () => {
  it("accepts a valid token and reads tenant, sub and roles", async () => {
    const token = await jwt({ sub: "bob", tenant_id: "acme", roles: ["reader"] }, { expiresIn: "5m" });
    const outcome = await hs256.verify(headers({ authorization: `Bearer ${token}` }));
    expect(outcome).toEqual({ ok: true, principal: expect.objectContaining({ identity: "acme:bob", tenant_id: "acme", roles: ["reader"], auth_method: "jwt" }) });
  });

  it.each([
    ["expired", () => jwt({ sub: "bob", tenant_id: "acme" }, { expiresIn: Math.floor(Date.now() / 1000) - 60 }), "jwt_expired"],
    ["signed with another secret (forged)", () => jwt({ sub: "bob", tenant_id: "acme" }, { expiresIn: "5m", secret: "another-secret-another-secret-123456" }), "jwt_invalid"],
    ["without exp", () => jwt({ sub: "bob", tenant_id: "acme" }), "jwt_invalid"],
    ["with an unknown tenant", () => jwt({ sub: "bob", tenant_id: "globex" }, { expiresIn: "5m" }), "unknown_tenant"],
    ["without a tenant claim", () => jwt({ sub: "bob" }, { expiresIn: "5m" }), "jwt_claims"],
    ["with only unknown roles", () => jwt({ sub: "bob", tenant_id: "acme", roles: ["root"] }, { expiresIn: "5m" }), "jwt_claims"],
    ["with HS512 instead of HS256", () => jwt({ sub: "bob", tenant_id: "acme" }, { expiresIn: "5m", alg: "HS512" }), "jwt_invalid"],
    [
      "with alg none",
      async () => {
        const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
        return `${b64({ alg: "none" })}.${b64({ sub: "bob", tenant_id: "acme", exp: Math.floor(Date.now() / 1000) + 300 })}.`;
      },
      "jwt_invalid",
    ],
    [
      "with the payload changed after signing",
      async () => {
        const [h, , s] = (await jwt({ sub: "bob", tenant_id: "acme" }, { expiresIn: "5m" })).split(".");
        return `${h}.${Buffer.from(JSON.stringify({ sub: "bob", tenant_id: "default", exp: Math.floor(Date.now() / 1000) + 300 })).toString("base64url")}.${s}`;
      },
      "jwt_invalid",
    ],
  ])("refuses a token %s", async (_, make, reason) => {
    expect(await hs256.verify(headers({ authorization: `Bearer ${await make()}` }))).toEqual({ ok: false, reason });
  });

  it("checks issuer and audience when configured", async () => {
    const strict = new CredentialVerifier(authSettings({ KEEL_JWT_SECRET: SECRET, KEEL_JWT_ISSUER: "https://idp.test", KEEL_JWT_AUDIENCE: "keel" }), directory);
    const good = await new SignJWT({ sub: "bob", tenant_id: "acme" }).setProtectedHeader({ alg: "HS256" }).setIssuer("https://idp.test").setAudience("keel").setExpirationTime("5m").sign(new TextEncoder().encode(SECRET));
    const wrongAud = await new SignJWT({ sub: "bob", tenant_id: "acme" }).setProtectedHeader({ alg: "HS256" }).setIssuer("https://idp.test").setAudience("other").setExpirationTime("5m").sign(new TextEncoder().encode(SECRET));
    expect((await strict.verify(headers({ authorization: `Bearer ${good}` }))).ok).toBe(true);
    expect(await strict.verify(headers({ authorization: `Bearer ${wrongAud}` }))).toEqual({ ok: false, reason: "jwt_invalid" });
  });

  it("refuses JWTs when no JWT verification is configured", async () => {
    const keysOnly = new CredentialVerifier(authSettings({}), directory);
    const token = await jwt({ sub: "bob", tenant_id: "acme" }, { expiresIn: "5m" });
    expect(await keysOnly.verify(headers({ authorization: `Bearer ${token}` }))).toEqual({ ok: false, reason: "jwt_not_configured" });
  });
});

describe("JWT (JWKS)", () => {
  let server: http.Server;
  let url: string;
  let privateKey: SigningKey;
  let otherKey: SigningKey;

  beforeAll(async () => {
    const pair = await generateKeyPair("ES256");
    privateKey = pair.privateKey;
    otherKey = (await generateKeyPair("ES256")).privateKey;
    const jwk: JWK = { ...(await exportJWK(pair.publicKey)), kid: "k1", alg: "ES256", use: "sig" };
    server = http.createServer((_, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}/jwks.json`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it("accepts a token signed by a key of the set and refuses one signed by another key", async () => {
    const verifier = new CredentialVerifier(authSettings({ KEEL_JWKS_URL: url }), directory);
    const sign = (key: SigningKey) => new SignJWT({ sub: "carol", tenant_id: "acme", roles: ["admin"] }).setProtectedHeader({ alg: "ES256", kid: "k1" }).setExpirationTime("5m").sign(key);
    expect(await verifier.verify(headers({ authorization: `Bearer ${await sign(privateKey)}` }))).toEqual({ ok: true, principal: expect.objectContaining({ identity: "acme:carol", roles: ["admin"] }) });
    expect(await verifier.verify(headers({ authorization: `Bearer ${await sign(otherKey)}` }))).toEqual({ ok: false, reason: "jwt_invalid" });
    // An HS256 token made with the public key as secret (algorithm confusion) is refused.
    const confused = await jwt({ sub: "carol", tenant_id: "acme" }, { expiresIn: "5m", secret: "any-secret-any-secret-any-secret-1" });
    expect(await verifier.verify(headers({ authorization: `Bearer ${confused}` }))).toEqual({ ok: false, reason: "jwt_invalid" });
  });
});

describe("auth settings", () => {
  it.each([
    [{ KEEL_AUTH: "maybe" }, /KEEL_AUTH is "maybe"/],
    [{ KEEL_JWT_SECRET: "short" }, /KEEL_JWT_SECRET is too short \(5 characters\)/],
    [{ KEEL_JWKS_URL: "not a url" }, /KEEL_JWKS_URL is not a URL/],
    [{ KEEL_JWT_SECRET: SECRET, KEEL_JWKS_URL: "https://idp.test/jwks" }, /Both KEEL_JWT_SECRET and KEEL_JWKS_URL/],
  ])("refuses %j", (env, message) => {
    expect(() => authSettings(env)).toThrow(ConfigurationError);
    expect(() => authSettings(env)).toThrow(message);
  });

  it("takes an empty secret as unset", () => {
    expect(authSettings({ KEEL_JWT_SECRET: "" }).jwtSecret).toBeUndefined();
  });

  it("never echoes the secret", () => {
    expect(() => authSettings({ KEEL_JWT_SECRET: "s3cr3t" })).toThrow(expect.objectContaining({ message: expect.not.stringContaining("s3cr3t") }));
  });

  it("with auth off, every caller is the default tenant's local-dev admin", async () => {
    const off = new CredentialVerifier(authSettings({ KEEL_AUTH: "off" }), directory);
    expect(await off.verify(headers({}))).toEqual({ ok: true, principal: expect.objectContaining({ tenant_id: "default", user_id: "local-dev", roles: ["admin"], auth_method: "none" }) });
  });
});
