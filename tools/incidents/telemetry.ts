/** Telemetry tools: a service's hourly metrics summarised over a window, and log search. */
import { z } from "zod";
import { defineTool } from "../../src/toolkit/define-tool.js";
import { ToolError } from "../../src/toolkit/tool-result.js";
import { LOG_LEVELS, type MetricRow } from "../../src/db/rows.js";
import { hoursBefore, round } from "../reports/dates.js";
import { type KeywordMatch, NO_KEYWORD_MATCH_NOTE, hoursField, keywordClause, limitField, loadService, serviceIdField } from "./fields.js";

/** An hourly metrics bucket of one service, as the queries below select it. */
type MetricSample = Omit<MetricRow, "service_id">;

function median(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const BASELINE_HOURS = 168;
const pct = (rate: number) => round(rate * 100, 2);

/**
 * Summary of hourly metric rows: totals, averages, the worst (peak) hour, and whether the peak is a spike
 * against the baseline (the median hour of `baselineRows`, a longer reference period, so a few bad hours do
 * not move it).
 */
export function summariseMetrics(rows: MetricSample[], baselineRows: MetricSample[] = rows) {
  if (rows.length === 0) return null;
  const requests = rows.reduce((s, r) => s + r.requests, 0);
  const errors = rows.reduce((s, r) => s + r.error_rate * r.requests, 0);
  const reference = baselineRows.length ? baselineRows : rows;
  const baselineError = median(reference.map((r) => r.error_rate));
  const baselineLatency = median(reference.map((r) => r.latency_p95_ms));
  // Peak hour: highest error rate; ties broken by latency, then by the earlier hour.
  const peak = rows.reduce((best, r) =>
    r.error_rate > best.error_rate || (r.error_rate === best.error_rate && r.latency_p95_ms > best.latency_p95_ms) ? r : best,
  );
  const maxLatency = rows.reduce((best, r) => (r.latency_p95_ms > best.latency_p95_ms ? r : best));
  const errorSpike = peak.error_rate >= Math.max(3 * baselineError, baselineError + 0.02);
  const latencySpike = maxLatency.latency_p95_ms >= 2 * baselineLatency && maxLatency.latency_p95_ms - baselineLatency >= 100;
  return {
    samples: rows.length,
    requests_total: requests,
    error_rate_pct: { overall: pct(requests ? errors / requests : 0), baseline: pct(baselineError), max: pct(peak.error_rate) },
    latency_p95_ms: {
      avg: round(rows.reduce((s, r) => s + r.latency_p95_ms, 0) / rows.length, 1),
      baseline: round(baselineLatency, 1),
      max: round(maxLatency.latency_p95_ms, 1),
      max_at: maxLatency.ts,
    },
    peak_hour: {
      ts: peak.ts,
      error_rate_pct: pct(peak.error_rate),
      latency_p95_ms: round(peak.latency_p95_ms, 1),
      requests: peak.requests,
    },
    spike_detected: errorSpike || latencySpike,
    spike_kind: errorSpike && latencySpike ? "errors_and_latency" : errorSpike ? "errors" : latencySpike ? "latency" : null,
  };
}

export const getServiceMetrics = defineTool({
  name: "get_service_metrics",
  description:
    "Summarises a service's hourly metrics over the last N hours: total requests, error rate (overall, baseline, max), " +
    "p95 latency (avg, baseline, max) and the peak hour, and flags a spike against the 7-day median. Use it to confirm or date a degradation; " +
    "for the raw error messages use search_logs.",
  schema: z.object({
    service_id: serviceIdField("The service whose metrics to summarise"),
    hours: hoursField(24, 336),
  }),
  metadata: {
    domain: "incidents",
    sideEffect: "read",
    idempotent: true,
    scopes: ["incidents:read"],
    examples: ["Show payments-api error rate over the last 24 hours", "When did latency spike on checkout-web?", "How many requests did orders-api serve this week?"],
    retrievalExamples: [
      "What has the error rate of checkout-web been over the past 6 hours?",
      "Show p95 latency for payments-api today",
      "Is there a spike in errors on orders-api compared to normal?",
      "When did the errors start on search-api?",
      "Traffic and latency for shipping-api over the last 48 hours",
      "compare the current error rate with the baseline",
      "how many requests per hour is payments-api handling?",
    ],
  },
  run: ({ service_id, hours = 24 }, ctx) => {
    loadService(ctx.db, service_id);
    const to = ctx.now.toISOString();
    const from = hoursBefore(ctx.now, hours);
    // Hourly buckets are stamped with their start: the window [now - hours, now) holds exactly `hours` of them.
    const select = ctx.db.sql.prepare(
      "SELECT ts, latency_p95_ms, error_rate, requests FROM metrics WHERE service_id = ? AND ts >= ? AND ts < ? ORDER BY ts",
    );
    const rows = select.all(service_id, from, to) as MetricSample[];
    // Baseline: the median hour of the last 7 days (or of the window, when longer).
    const baselineRows = hours >= BASELINE_HOURS ? rows : (select.all(service_id, hoursBefore(ctx.now, BASELINE_HOURS), to) as MetricSample[]);
    const summary = summariseMetrics(rows, baselineRows);
    if (!summary) {
      return { service_id, window: { from, to, hours }, samples: 0, note: "No metrics recorded in this window." };
    }
    return { service_id, window: { from, to, hours }, ...summary };
  },
});

export const searchLogs = defineTool({
  name: "search_logs",
  description:
    "Searches service logs in the last N hours by service, level and text, newest first, with the total number of matches. " +
    "Use it to find the error messages behind a spike (e.g. level error on payments-api); not for metrics or chat messages.",
  schema: z.object({
    service_id: serviceIdField("Only logs of this service").optional(),
    level: z.enum(LOG_LEVELS).optional().describe("Only log lines of this level, e.g. error (default: all levels)."),
    query: z
      .string()
      .trim()
      .min(2)
      .max(200)
      .optional()
      .describe("Keywords the log message must contain (case-insensitive; all of them, else any of them), e.g. 'timeout card-processor'."),
    hours: hoursField(24, 336),
    limit: limitField(20, 100, "log lines"),
  }),
  metadata: {
    domain: "incidents",
    sideEffect: "read",
    idempotent: true,
    scopes: ["incidents:read"],
    examples: ["Show the latest error logs for payments-api", "Search logs for 'timeout' in the last 6 hours", "Any warnings from shipping-api today?"],
    retrievalExamples: [
      "Show me the error messages from checkout-web in the last hour",
      "What exceptions is orders-api throwing?",
      "Grep the logs for 'connection refused'",
      "Find log lines mentioning 'deadlock' on payments-api",
      "Any errors in search-api logs since this morning?",
      "what do the logs say about the 502s?",
      "show recent warning-level log entries",
    ],
  },
  run: ({ service_id, level, query, hours = 24, limit = 20 }, ctx) => {
    if (!service_id && !level && !query) {
      throw new ToolError(
        "invalid_arguments",
        "Give at least one of service_id, level or query.",
        "Ask the user which service or what text to search for.",
        "service_id",
      );
    }
    const where = ["ts > ?", "ts <= ?"];
    const params: unknown[] = [hoursBefore(ctx.now, hours), ctx.now.toISOString()];
    if (service_id) {
      where.push("service_id = ?");
      params.push(service_id);
    }
    if (level) {
      where.push("level = ?");
      params.push(level);
    }
    let match: { match: KeywordMatch; terms: string[] } | undefined;
    if (query) {
      const base = where.join(" AND ");
      const kw = keywordClause(
        (c, p) => ctx.db.sql.prepare(`SELECT COUNT(*) FROM logs WHERE ${base} AND ${c}`).pluck().get(...params, ...p) as number,
        "message",
        query,
        Boolean(service_id || level),
      );
      where.push(kw.clause);
      params.push(...kw.params);
      match = { match: kw.match, terms: kw.terms };
    }
    const clause = where.join(" AND ");
    const total = ctx.db.sql.prepare(`SELECT COUNT(*) FROM logs WHERE ${clause}`).pluck().get(...params) as number;
    const logs = ctx.db.sql
      .prepare(`SELECT id, ts, service_id, level, message FROM logs WHERE ${clause} ORDER BY ts DESC, id DESC LIMIT ?`)
      .all(...params, limit);
    return {
      total_matched: total,
      returned: logs.length,
      window_hours: hours,
      ...(match ? { query_terms: match.terms, query_match: match.match } : {}),
      ...(match?.match === "none" ? { note: NO_KEYWORD_MATCH_NOTE } : {}),
      logs,
    };
  },
});
