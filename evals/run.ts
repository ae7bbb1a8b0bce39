/**
 * `npm run eval`: runs the eval suites (evals/suites/*.eval.ts, langsmith/vitest), writes a JSON and a
 * self-contained HTML report, and compares with the stored baseline: a metric that drops beyond the tolerance
 * fails the run (exit 1) and names the examples that regressed.
 *
 *   npm run eval [-- <suite> ...] [--tolerance 0.02] [--baseline evals/baseline.json] [--out-dir DIR]
 *                [--limit N] [--offline] [--update-baseline] [--no-gate]
 *   npm run eval -- promote [--dry-run] [--out evals/datasets/promoted.jsonl] [--source local|langsmith|all]
 *
 * Suites: routing, tool_selection, trajectory, end_state, grounding, safety, promoted (default: all).
 * Offline (no LangSmith key) the suites run as plain vitest; with `LANGSMITH_API_KEY` they also become
 * LangSmith datasets and experiments; an unreachable LangSmith gives one warning and the run stays local.
 * Bad arguments exit 2 with the reason.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";
import { dataDir, openCompanyDb } from "../src/db/index.js";
import { describeModels } from "../src/models/provider.js";
import { probeLangSmith } from "../src/observability/langsmith.js";
import { tracingSettings } from "../src/observability/tracing-settings.js";
import { formatSkipped } from "./lib/dataset.js";
import { readResults } from "./lib/results.js";
import { summarize, toBaseline, type Baseline, type EvalReport } from "./lib/report.js";
import { compareWithBaseline } from "./lib/gate.js";
import { renderHtml } from "./lib/report-html.js";
import { SuiteReporter } from "./lib/suite-reporter.js";

const HERE = path.dirname(fileURLToPath(import.meta.url));

/** Suite name -> its file under evals/suites. */
export const SUITES: Record<string, string> = {
  routing: "routing.eval.ts",
  tool_selection: "tool-selection.eval.ts",
  trajectory: "trajectory.eval.ts",
  end_state: "end-state.eval.ts",
  grounding: "grounding.eval.ts",
  safety: "safety.eval.ts",
  promoted: "promoted.eval.ts",
};

export const DEFAULT_TOLERANCE = 0.02;
export const DEFAULT_BASELINE = path.join(HERE, "baseline.json");

export class EvalUsageError extends Error {
  override name = "EvalUsageError";
}

export interface EvalOptions {
  suites: string[];
  tolerance: number;
  baseline: string;
  outDir: string;
  limit?: number;
  offline: boolean;
  updateBaseline: boolean;
  gate: boolean;
  datasetsDir?: string;
}

export function parseEvalArgs(argv: string[]): EvalOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv.filter((a) => a !== "--"),
      allowPositionals: true,
      strict: true,
      options: {
        tolerance: { type: "string" },
        baseline: { type: "string" },
        "out-dir": { type: "string" },
        limit: { type: "string" },
        offline: { type: "boolean" },
        "update-baseline": { type: "boolean" },
        "no-gate": { type: "boolean" },
        "datasets-dir": { type: "string" },
      },
    });
  } catch (error) {
    throw new EvalUsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  const unknown = positionals.filter((s) => !(s in SUITES));
  if (unknown.length) throw new EvalUsageError(`Unknown suite ${unknown.map((s) => `"${s}"`).join(", ")}: use ${Object.keys(SUITES).join(", ")} (or promote).`);
  const tolerance = values.tolerance === undefined ? DEFAULT_TOLERANCE : Number(values.tolerance);
  if (!Number.isFinite(tolerance) || tolerance < 0 || tolerance > 1) throw new EvalUsageError(`--tolerance is "${values.tolerance}": give a number from 0 to 1 (a drop in a 0..1 score), e.g. 0.02.`);
  const limit = values.limit === undefined ? undefined : Number(values.limit);
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) throw new EvalUsageError(`--limit is "${values.limit}": give a whole number of examples per suite, e.g. 5.`);
  if (limit !== undefined && values["update-baseline"]) throw new EvalUsageError("--update-baseline needs a full run: drop --limit.");
  return {
    suites: positionals.length ? [...new Set(positionals)] : Object.keys(SUITES),
    tolerance,
    baseline: path.resolve(values.baseline ?? DEFAULT_BASELINE),
    outDir: path.resolve(values["out-dir"] ?? path.join(dataDir(), "eval")),
    ...(limit ? { limit } : {}),
    offline: Boolean(values.offline),
    updateBaseline: Boolean(values["update-baseline"]),
    gate: !values["no-gate"],
    ...(values["datasets-dir"] ? { datasetsDir: path.resolve(values["datasets-dir"]) } : {}),
  };
}

export function readBaseline(file: string): Baseline | undefined {
  if (!fs.existsSync(file)) return undefined;
  try {
    const baseline = JSON.parse(fs.readFileSync(file, "utf8")) as Baseline;
    if (!baseline || typeof baseline.suites !== "object") throw new Error("no suites");
    return baseline;
  } catch (error) {
    throw new EvalUsageError(`The baseline ${file} is not a valid baseline (${(error as Error).message}); restore it or write a new one with --update-baseline.`);
  }
}

/** A seeded company database for the suites to copy, with the user's embedding cache shared. */
function prepareTemplate(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "keel-eval-template-"));
  const db = openCompanyDb(path.join(dir, "company.sqlite"));
  db.sql.pragma("wal_checkpoint(TRUNCATE)");
  db.sql.close();
  const cache = path.join(dataDir(), "embeddings");
  fs.mkdirSync(cache, { recursive: true });
  fs.symlinkSync(cache, path.join(dir, "embeddings"));
  return dir;
}

/** LangSmith test tracking: on with a key and a reachable endpoint; one warning when it is not reachable. */
export async function langSmithMode(env: NodeJS.ProcessEnv = process.env): Promise<EvalReport["langsmith"]> {
  const settings = tracingSettings({ ...env, LANGSMITH_TRACING: "false" });
  if (!settings.apiKey) return "off";
  const probe = await probeLangSmith(settings);
  if (probe.ok) return "on";
  process.emitWarning(`LangSmith at ${settings.endpoint} is unreachable (${probe.cause}): the eval runs locally; results are in the local report only.`, { code: "KEEL_LANGSMITH_UNREACHABLE" });
  return "unreachable";
}

export async function runEval(options: EvalOptions): Promise<{ report: EvalReport; exitCode: number }> {
  const started = Date.now();
  const baseline = options.gate || options.updateBaseline ? readBaseline(options.baseline) : undefined;
  if (options.offline) process.env.KEEL_MODEL_PROVIDER = "offline";
  const langsmith = await langSmithMode();
  const resultsDir = fs.mkdtempSync(path.join(os.tmpdir(), "keel-eval-results-"));
  const template = prepareTemplate();
  Object.assign(process.env, {
    KEEL_EVAL_RESULTS_DIR: resultsDir,
    KEEL_EVAL_TEMPLATE_DIR: template,
    LANGSMITH_TEST_TRACKING: langsmith === "on" ? "true" : "false",
    // Runs are traced to LangSmith as part of its experiments; the local trace log is for the app's own runs.
    LANGSMITH_TRACING: langsmith === "on" ? "true" : "false",
    KEEL_TRACE_LOG: process.env.KEEL_EVAL_TRACE_LOG ?? "off",
    ...(options.limit ? { KEEL_EVAL_LIMIT: String(options.limit) } : {}),
    ...(options.datasetsDir ? { KEEL_EVAL_DATASETS_DIR: options.datasetsDir } : {}),
  });
  const { startVitest } = await import("vitest/node");
  const files = options.suites.map((s) => path.join("evals", "suites", SUITES[s]!));
  console.error(`eval: running ${options.suites.join(", ")}${options.limit ? ` (first ${options.limit} examples each)` : ""}; LangSmith ${langsmith}`);
  const vitest = await startVitest("test", files, { config: path.join(HERE, "vitest.config.ts"), run: true, watch: false, reporters: [new SuiteReporter()], passWithNoTests: true });
  await vitest?.close();
  // vitest sets a failing exit code on its own reporting; the gate decides this command's exit code.
  process.exitCode = 0;

  const { results, skipped } = readResults(resultsDir);
  const report: EvalReport = {
    generated_at: new Date().toISOString(),
    model: describeModels(),
    langsmith,
    duration_ms: Date.now() - started,
    tolerance: options.tolerance,
    suites: summarize(results, skipped),
    examples: results.sort((a, b) => a.suite.localeCompare(b.suite) || a.id.localeCompare(b.id, undefined, { numeric: true })),
    skipped,
  };
  let exitCode = 0;
  if (options.gate && baseline) {
    report.gate = compareWithBaseline(results, baseline, { tolerance: options.tolerance, partial: options.limit !== undefined });
    if (!report.gate.ok) exitCode = 1;
  }
  const ran = new Set(results.map((r) => r.suite));
  const notRun = options.suites.filter((s) => !ran.has(s) && s !== "promoted");
  if (notRun.length) {
    exitCode = 1;
    console.error(`No results from suite(s) ${notRun.join(", ")}: the suite file failed before its examples ran (see vitest's output above).`);
  }
  fs.mkdirSync(options.outDir, { recursive: true });
  fs.writeFileSync(path.join(options.outDir, "report.json"), `${JSON.stringify(report, null, 2)}\n`);
  fs.writeFileSync(path.join(options.outDir, "report.html"), renderHtml(report));
  if (options.updateBaseline) {
    fs.writeFileSync(options.baseline, `${JSON.stringify(toBaseline(report, baseline), null, 1)}\n`);
  }
  fs.rmSync(resultsDir, { recursive: true, force: true });
  fs.rmSync(template, { recursive: true, force: true });
  return { report, exitCode };
}

export function formatSummary(report: EvalReport, options: Pick<EvalOptions, "outDir" | "baseline" | "updateBaseline" | "gate">): string[] {
  const lines = [`eval: ${report.model}; LangSmith ${report.langsmith}; ${(report.duration_ms / 1000).toFixed(1)} s`];
  for (const [name, s] of Object.entries(report.suites)) {
    const metrics = Object.entries(s.metrics)
      .map(([m, v]) => `${m} ${v.toFixed(3)}`)
      .join(", ");
    const lat = s.latency_ms ? `; latency p50 ${Math.round(s.latency_ms.p50)} ms p95 ${Math.round(s.latency_ms.p95)} ms` : "";
    const tok = s.tokens ? `; ${Math.round(s.tokens.mean)} tokens/run` : "";
    lines.push(`  ${name.padEnd(15)} ${String(s.passed).padStart(4)}/${String(s.examples).padEnd(4)} passed; ${metrics}${lat}${tok}${s.skipped ? `; ${s.skipped} row(s) skipped` : ""}${s.errors ? `; ${s.errors} error(s)` : ""}`);
  }
  lines.push(...formatSkipped(report.skipped).map((l) => `  ${l}`));
  if (report.gate) {
    lines.push(report.gate.ok ? `gate: PASS (tolerance ${report.gate.tolerance})` : `gate: FAIL (tolerance ${report.gate.tolerance})`);
    lines.push(...report.gate.failures.map((f) => `  ${f}`));
  } else if (!options.gate) lines.push("gate: off (--no-gate)");
  else if (!options.updateBaseline) lines.push(`gate: no baseline at ${options.baseline} (write one with --update-baseline)`);
  if (options.updateBaseline) lines.push(`baseline written: ${options.baseline}`);
  lines.push(`report: ${path.join(options.outDir, "report.json")} and report.html`);
  return lines;
}

async function main(argv: string[]): Promise<number> {
  const args = argv.filter((a) => a !== "--");
  if (args[0] === "promote") {
    const { runPromote } = await import("./promote.js");
    return runPromote(args.slice(1));
  }
  const options = parseEvalArgs(args);
  const { report, exitCode } = await runEval(options);
  for (const line of formatSummary(report, options)) (exitCode ? console.error : console.log)(line);
  return exitCode;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(error instanceof EvalUsageError ? 2 : 1);
    },
  );
}
