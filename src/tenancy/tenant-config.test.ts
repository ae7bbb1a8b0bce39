import { describe, it, expect } from "vitest";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseTenants, checkServingConfiguration, tenantDirectory } from "./tenant-config.js";
import { parseManifest, tenantOf, DEFAULT_TENANT, NO_TENANT } from "../guardrails/manifest.js";
import { ConfigurationError } from "../errors.js";

const manifest = parseManifest(
  {
    agents: { finance: { scopes: ["finance:read"] } },
    tenants: { default: { agents: ["finance"], scopes: ["finance:read"] }, acme: { agents: ["finance"], scopes: ["finance:read"] } },
  },
  "test",
);
const HASH = "a".repeat(64);

describe("tenant configuration", () => {
  it("merges defaults under each tenant and gives tenants of the manifest that are not named the defaults", () => {
    const dir = parseTenants(
      {
        defaults: { rateLimits: { requestsPerMinute: 100, toolCallsPerMinute: { "*": 10 } } },
        tenants: { acme: { rateLimits: { tokensPerMinute: 5000, toolCallsPerMinute: { issue_refund: 2 } }, modelTiers: { finance: "fast" }, apiKeys: [{ sha256: HASH, user: "alice", roles: ["admin"] }] } },
      },
      "t.json",
      manifest,
    );
    expect(dir.tenants.get("acme")).toEqual({ id: "acme", rateLimits: { requestsPerMinute: 100, tokensPerMinute: 5000, toolCallsPerMinute: { "*": 10, issue_refund: 2 } }, modelTiers: { finance: "fast" }, deniedTools: [] });
    expect(dir.tenants.get("default")?.rateLimits).toEqual({ requestsPerMinute: 100, toolCallsPerMinute: { "*": 10 } });
    expect(dir.apiKeys.get(HASH)).toEqual({ tenant: "acme", user: "alice", roles: ["admin"] });
  });

  it.each([
    [{ tenants: { acme: { rateLimits: { requestsPerMinute: -5 } } } }, "tenants.acme.rateLimits.requestsPerMinute"],
    [{ tenants: { acme: { rateLimits: { requestsPerMinute: 1.5 } } } }, "tenants.acme.rateLimits.requestsPerMinute"],
    [{ tenants: { acme: { rateLimits: { requestsPerMinut: 5 } } } }, "tenants.acme.rateLimits"],
    [{ tenants: { acme: { modelTiers: { finance: "huge" } } } }, "tenants.acme.modelTiers.finance"],
    [{ tenants: { acme: { modelTiers: { accounting: "fast" } } } }, 'tenants.acme.modelTiers: Unrecognized key: "accounting"'],
    [{ tenants: { acme: { apiKeys: [{ sha256: "secret-key-in-clear", user: "a" }] } } }, "tenants.acme.apiKeys.0.sha256"],
    [{ tenants: { acme: { apiKeys: [{ sha256: HASH, user: "a", roles: ["root"] }] } } }, "tenants.acme.apiKeys.0.roles.0"],
    [{ tenants: { acme: { apiKeys: [{ sha256: HASH, user: "a" }] }, default: { apiKeys: [{ sha256: HASH, user: "b" }] } } }, "tenants.default.apiKeys.0.sha256"],
    [{ tenants: { globex: {} } }, "tenants.globex"],
    [{ tenants: { acme: { deniedTools: ["Issue Refund"] } } }, "tenants.acme.deniedTools.0"],
    [{ tenants: { "Bad Id": {} } }, "tenants.Bad Id"],
    [{ tenant: {} }, "tenants"],
  ])("refuses %j naming entry %s", (raw, entry) => {
    let error: unknown;
    try {
      parseTenants(raw, "t.json", manifest);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toContain(`entry ${entry}`);
    expect((error as Error).message).toContain("t.json");
  });

  it("stops on a budget for a tenant that does not exist, naming it", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "keel-tenants-"));
    const file = path.join(dir, "tenants.json");
    fs.writeFileSync(file, JSON.stringify({ tenants: {} }));
    expect(() => checkServingConfiguration({ KEEL_TENANTS: file }, () => ({ tenants: { initech: {} } }))).toThrow(/KEEL_BUDGETS: entry tenants\.initech/);
    expect(checkServingConfiguration({ KEEL_TENANTS: file }, () => ({ tenants: { default: {} } })).tenants.has("default")).toBe(true);
  });

  it("reads the repository's config/tenants.json", () => {
    const dir = tenantDirectory({});
    expect([...dir.tenants.keys()].sort()).toEqual(["default", "readonly-demo"]);
    // No credentials are committed.
    expect(dir.apiKeys.size).toBe(0);
  });

  it("names an unreadable file", () => {
    expect(() => tenantDirectory({ KEEL_TENANTS: "/nonexistent/tenants.json" })).toThrow(/\/nonexistent\/tenants.json cannot be read/);
  });
});

describe("tenantOf", () => {
  it.each([
    [undefined, DEFAULT_TENANT],
    [{ tenant_id: "acme" }, "acme"],
    [{ langgraph_auth_user: { identity: "acme:alice", tenant_id: "acme" } }, "acme"],
    // The authenticated user wins over a tenant the run configuration names.
    [{ tenant_id: "default", langgraph_auth_user: { identity: "acme:alice", tenant_id: "acme" } }, "acme"],
    // Authenticated without a tenant (e.g. a Studio user): no tenant, so every capability check refuses.
    [{ tenant_id: "default", langgraph_auth_user: { identity: "langgraph-studio-user" } }, NO_TENANT],
  ])("%j -> %s", (configurable, tenant) => {
    expect(tenantOf(configurable as Record<string, unknown> | undefined)).toBe(tenant);
  });
});
