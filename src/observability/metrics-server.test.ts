import { describe, it, expect } from "vitest";
import net from "node:net";
import { parseMetricsPort, startMetricsServer } from "./metrics-server.js";
import { metrics } from "./metrics.js";
import { ConfigurationError } from "../errors.js";

describe("parseMetricsPort", () => {
  it.each([["9464", 9464], ["0", 0], ["65535", 65535]])("accepts %s", (raw, port) => {
    expect(parseMetricsPort(raw)).toBe(port);
  });
  it.each([[undefined], [""], ["abc"], ["70000"], ["-1"], ["80.5"]])("refuses %s naming the flag", (raw) => {
    expect(() => parseMetricsPort(raw)).toThrow(ConfigurationError);
    expect(() => parseMetricsPort(raw)).toThrow(/--metrics-port is/);
  });
});

describe("startMetricsServer", () => {
  it("serves the registry at /metrics, /health, 404 elsewhere and 405 for other methods", async () => {
    metrics.rateLimited.inc({ tenant: "acme", limit: "requests_per_minute" });
    const server = await startMetricsServer({ port: 0 });
    try {
      const res = await fetch(server.url);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toContain("text/plain");
      expect(await res.text()).toMatch(/^keel_rate_limited_total\{tenant="acme",limit="requests_per_minute"\} 1$/m);
      expect((await fetch(server.url.replace("/metrics", "/health"))).status).toBe(200);
      expect((await fetch(server.url.replace("/metrics", "/nope"))).status).toBe(404);
      expect((await fetch(server.url, { method: "POST" })).status).toBe(405);
    } finally {
      await server.close();
    }
  });

  it("names the port when it is taken", async () => {
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(0, "127.0.0.1", () => r()));
    const { port } = blocker.address() as net.AddressInfo;
    try {
      await expect(startMetricsServer({ port })).rejects.toThrow(`--metrics-port ${port} is in use`);
    } finally {
      blocker.close();
    }
  });
});
