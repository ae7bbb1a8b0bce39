import { describe, it, expect } from "vitest";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { capabilityManifest, capabilityRefusal, parseManifest, tenantOf } from "./manifest.js";
import { ConfigurationError } from "../errors.js";

const good = {
  agents: { finance: { scopes: ["finance:read", "finance:refund"] }, support: { scopes: ["support:read"] } },
  tenants: { default: { agents: ["finance", "support"], scopes: ["finance:read", "finance:refund", "support:read"] }, acme: { agents: ["finance"], scopes: ["finance:read"] } },
};

describe("capability manifest", () => {
  it("the shipped manifest is valid and grants the default tenant every agent", () => {
    const manifest = capabilityManifest();
    expect(manifest.tenants.default?.agents.sort()).toEqual(["finance", "incidents", "shipping", "support"]);
  });

  it.each([
    [{ ...good, agents: { sales: { scopes: [] } } }, /entry agents: Unrecognized key: "sales"/],
    [{ ...good, agents: { finance: { scopes: ["refund everything"] } } }, /entry agents\.finance\.scopes\.0/],
    [{ ...good, tenants: { acme: good.tenants.acme } }, /default is required/],
    [{ ...good, tenants: { ...good.tenants, "Bad Tenant": good.tenants.acme } }, /entry tenants\.Bad Tenant/],
    [{ ...good, tenants: { ...good.tenants, acme: { agents: ["billing"], scopes: [] } } }, /entry tenants\.acme\.agents\.0/],
    [{ ...good, agents: { finance: { scopes: [], extra: true } } }, /entry agents\.finance/],
  ])("rejects a malformed manifest naming the entry (%#)", (raw, message) => {
    expect(() => parseManifest(raw, "test.json")).toThrow(ConfigurationError);
    expect(() => parseManifest(raw, "test.json")).toThrow(message);
  });

  it("an unreadable manifest file stops start-up with the file named", () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "keel-manifest-")), "caps.json");
    fs.writeFileSync(file, "{ not json");
    expect(() => capabilityManifest({ KEEL_CAPABILITIES: file })).toThrow(file);
  });

  it.each([
    ["finance", ["finance:refund"], {}, undefined],
    ["finance", ["finance:refund"], { tenant_id: "acme" }, /tenant acme is not granted finance:refund/],
    ["support", ["support:read"], { tenant_id: "acme" }, /not granted the support agent/],
    ["support", ["finance:read"], {}, /support agent does not hold finance:read/],
    ["finance", ["finance:read"], { tenant_id: "nobody" }, /tenant nobody is not in the capability manifest/],
  ])("%s calling a tool needing %j for %j", (agent, scopes, configurable, expected) => {
    const refusal = capabilityRefusal(agent, scopes, configurable, parseManifest(good, "test.json"));
    if (expected === undefined) expect(refusal).toBeUndefined();
    else expect(refusal).toMatch(expected);
  });

  it("the tenant comes from configurable.tenant_id, default otherwise", () => {
    expect(tenantOf({ tenant_id: "acme" })).toBe("acme");
    expect(tenantOf({})).toBe("default");
  });
});
