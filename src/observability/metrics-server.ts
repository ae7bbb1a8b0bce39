/**
 * A small HTTP server for the CLI (`npm start -- --metrics-port 9464`): `GET /metrics` (Prometheus text) and
 * `GET /health`, on 127.0.0.1 unless told otherwise. The LangGraph server serves the same through its custom
 * HTTP app (src/server/http-app.ts). node:http rather than Hono: the CLI needs two read-only routes.
 *
 * @example
 * const server = await startMetricsServer({ port: 9464 });
 * // curl http://127.0.0.1:9464/metrics
 * await server.close();
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { ConfigurationError } from "../errors.js";
import { scrapeMetrics } from "./metrics.js";
import { registerMetricSources } from "./sources.js";

export interface MetricsServer {
  port: number;
  url: string;
  close(): Promise<void>;
}

/** Parses a `--metrics-port` value: a whole number from 0 (any free port) to 65535. */
export function parseMetricsPort(raw: string | undefined): number {
  const port = Number(raw);
  if (raw === undefined || raw.trim() === "" || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigurationError(`--metrics-port is "${raw ?? ""}".`, "Give a port number from 1 to 65535 (0 picks a free one), e.g. --metrics-port 9464.");
  }
  return port;
}

export function startMetricsServer(options: { port: number; host?: string }): Promise<MetricsServer> {
  const host = options.host ?? "127.0.0.1";
  registerMetricSources();
  const server = http.createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (req.method !== "GET") {
      res.writeHead(405, { Allow: "GET" }).end();
      return;
    }
    if (path === "/metrics") {
      scrapeMetrics().then(
        ({ body, contentType }) => res.writeHead(200, { "Content-Type": contentType }).end(body),
        (error: Error) => res.writeHead(500, { "Content-Type": "text/plain" }).end(error.message),
      );
      return;
    }
    if (path === "/health") {
      res.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify({ status: "ok" }));
      return;
    }
    res.writeHead(404, { "Content-Type": "text/plain" }).end("Not found: try /metrics or /health\n");
  });
  return new Promise((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) => {
      reject(error.code === "EADDRINUSE" ? new ConfigurationError(`--metrics-port ${options.port} is in use on ${host}.`, "Pick another port, or 0 for any free one.") : error);
    });
    server.listen(options.port, host, () => {
      server.unref(); // the metrics endpoint never keeps the CLI alive
      const { port } = server.address() as AddressInfo;
      resolve({
        port,
        url: `http://${host}:${port}/metrics`,
        close: () => new Promise<void>((done) => {
          server.closeAllConnections();
          server.close(() => done());
        }),
      });
    });
  });
}
