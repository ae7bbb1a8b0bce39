/**
 * Tracing configuration from the environment. LangSmith tracing is off unless `LANGSMITH_TRACING=true`; the
 * local JSONL trace log is on unless `KEEL_TRACE_LOG=off` (trace-log.ts).
 */
import { ConfigurationError } from "../errors.js";
import { traceDir, traceLogEnabled } from "./trace-log.js";

export const DEFAULT_LANGSMITH_ENDPOINT = "https://api.smith.langchain.com";

export interface TracingSettings {
  /** Send runs to LangSmith. @example LANGSMITH_TRACING=true */
  langsmith: boolean;
  /** LangSmith API URL. @example LANGSMITH_ENDPOINT=https://eu.api.smith.langchain.com */
  endpoint: string;
  /** @example LANGSMITH_API_KEY=lsv2_... */
  apiKey?: string;
  /** LangSmith project the runs go to. @example LANGSMITH_PROJECT=keel-prod */
  project: string;
  /** Milliseconds one LangSmith request may take before it counts as unreachable. @example KEEL_LANGSMITH_TIMEOUT_MS=5000 */
  timeoutMs: number;
  /** Write the local JSONL trace log. @example KEEL_TRACE_LOG=off */
  traceLog: boolean;
  /** Where the local log goes. @example KEEL_TRACE_DIR=/var/log/keel/traces */
  traceDir: string;
}

function flag(name: string, value: string | undefined): boolean | undefined {
  if (value === undefined || value.trim() === "") return undefined;
  const v = value.trim().toLowerCase();
  if (v === "true" || v === "1") return true;
  if (v === "false" || v === "0") return false;
  throw new ConfigurationError(`${name} is "${value}".`, 'Use "true" or "false".');
}

export function tracingSettings(env: NodeJS.ProcessEnv = process.env): TracingSettings {
  const langsmith = flag("LANGSMITH_TRACING", env.LANGSMITH_TRACING) ?? flag("LANGCHAIN_TRACING_V2", env.LANGCHAIN_TRACING_V2) ?? false;
  const endpoint = (env.LANGSMITH_ENDPOINT ?? env.LANGCHAIN_ENDPOINT ?? DEFAULT_LANGSMITH_ENDPOINT).trim().replace(/\/+$/, "");
  const apiKey = (env.LANGSMITH_API_KEY ?? env.LANGCHAIN_API_KEY)?.trim() || undefined;
  if (langsmith) {
    let url: URL | undefined;
    try {
      url = new URL(endpoint);
    } catch {
      url = undefined;
    }
    if (!url || !/^https?:$/.test(url.protocol)) throw new ConfigurationError(`LANGSMITH_ENDPOINT is "${endpoint}".`, "Give an http(s) URL, e.g. https://api.smith.langchain.com.");
    if (!apiKey && endpoint === DEFAULT_LANGSMITH_ENDPOINT) {
      throw new ConfigurationError("LANGSMITH_TRACING is true but LANGSMITH_API_KEY is not set.", "Set LANGSMITH_API_KEY, point LANGSMITH_ENDPOINT at your own server, or set LANGSMITH_TRACING=false.");
    }
  }
  const timeoutMs = Number(env.KEEL_LANGSMITH_TIMEOUT_MS ?? 5_000);
  if (!Number.isFinite(timeoutMs) || timeoutMs < 100 || timeoutMs > 120_000) {
    throw new ConfigurationError(`KEEL_LANGSMITH_TIMEOUT_MS is "${env.KEEL_LANGSMITH_TIMEOUT_MS}".`, "Give milliseconds from 100 to 120000.");
  }
  return {
    langsmith,
    endpoint,
    ...(apiKey ? { apiKey } : {}),
    project: (env.LANGSMITH_PROJECT ?? env.LANGCHAIN_PROJECT)?.trim() || "keel",
    timeoutMs,
    traceLog: traceLogEnabled(env),
    traceDir: traceDir(env),
  };
}
