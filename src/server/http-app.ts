/**
 * The custom HTTP app of the LangGraph server (`"http": {"app": "./src/server/http-app.ts:app"}` in
 * langgraph.json). `langgraphjs dev` (@langchain/langgraph-api 1.5.1) imports this Hono app and mounts it with
 * `app.route("/", api)` after its auth middleware and before its own routes, in the same process that runs
 * the graphs, so `/metrics` sees the counters the runs move.
 *
 * - `GET /metrics`: Prometheus exposition of Keel's registry (src/observability/metrics.ts); with auth on, only
 *   for the `metrics` or `admin` role (serving middleware).
 * - `GET /health`: `{ status: "ok", ... }` once the company database answers; 503 with the cause otherwise.
 *
 * The serving middleware (body limit, per-tenant rate limits, the `/metrics` role check) is installed first,
 * so it applies to every route of the server, built-in ones included.
 */
import { Hono } from "hono";
import { companyDb } from "../db/index.js";
import { scrapeMetrics } from "../observability/metrics.js";
import { observability } from "../observability/observability.js";
import { installServingMiddleware } from "./serving-middleware.js";
import { registerMetricSources } from "../observability/sources.js";

registerMetricSources();
export const app = new Hono();
installServingMiddleware(app);

app.get("/metrics", async (c) => {
  const { body, contentType } = await scrapeMetrics();
  return c.body(body, 200, { "Content-Type": contentType });
});

app.get("/health", (c) => {
  try {
    companyDb().sql.prepare("SELECT 1").get();
    const obs = observability();
    return c.json({ status: "ok", langsmith: obs.langsmithActive ? "on" : obs.settings.langsmith ? "unreachable" : "off", traceLog: obs.settings.traceLog ? "on" : "off" });
  } catch (error) {
    return c.json({ status: "unavailable", detail: (error as Error).message }, 503);
  }
});
