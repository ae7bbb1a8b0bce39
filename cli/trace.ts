/**
 * `npm run trace -- <thread id>` prints a thread's local trace log (src/observability/trace-log.ts) as a tree:
 * one root per turn, the graph nodes and agents, every model call (model, tokens, cost, tools bound, prompt and
 * reply) and tool call (arguments and result).
 *
 *   npm run trace                          # the most recent traced threads
 *   npm run trace -- <thread id> [--full]  # whole prompts and outputs instead of one-line previews
 *   npm run trace -- <thread id> --all     # LangChain's plumbing runs too
 *   npm run trace -- <thread id> --json    # the merged runs as JSON
 *   npm run trace -- <thread id> --dir DIR # another trace directory (default KEEL_TRACE_DIR or <data dir>/traces)
 */
import path from "node:path";
import { stdout, stderr } from "node:process";
import { listTracedThreads, readTraceRuns, traceDir, traceRoots } from "../src/observability/trace-log.js";
import { formatTraceTree } from "../src/observability/trace-tree.js";

export function traceCommand(argv: string[]): { code: number; out: string; err: string } {
  const args = argv.filter((a) => a !== "--");
  const flags = new Set(args.filter((a) => a.startsWith("--") && a !== "--dir"));
  const dirAt = args.indexOf("--dir");
  if (dirAt >= 0 && !args[dirAt + 1]) return { code: 2, out: "", err: "--dir needs a directory.\n" };
  const dir = dirAt >= 0 ? path.resolve(args[dirAt + 1]!) : traceDir();
  const positional = args.filter((a, i) => !a.startsWith("--") && !(dirAt >= 0 && i === dirAt + 1));
  const unknown = [...flags].filter((f) => !["--full", "--all", "--json"].includes(f));
  if (unknown.length) return { code: 2, out: "", err: `Unknown option ${unknown.join(", ")}. Use --full, --all, --json or --dir DIR.\n` };
  const threadId = positional[0];
  if (!threadId) {
    const threads = listTracedThreads(dir).slice(0, 20);
    if (threads.length === 0) return { code: 0, out: `No traces in ${dir} yet. Run a request (npm start -- "...") first.\n`, err: "" };
    return { code: 0, out: `Recent traced threads (${dir}):\n${threads.map((t) => `  ${t}`).join("\n")}\nShow one with: npm run trace -- <thread id>\n`, err: "" };
  }
  const runs = readTraceRuns(threadId, dir);
  if (runs.length === 0) return { code: 2, out: "", err: `No trace for thread ${threadId} in ${dir}. Check the id (npm run trace lists recent threads) or KEEL_TRACE_DIR.\n` };
  if (flags.has("--json")) return { code: 0, out: `${JSON.stringify(traceRoots(runs), null, 2)}\n`, err: "" };
  return { code: 0, out: `Thread ${threadId}\n\n${formatTraceTree(runs, { full: flags.has("--full"), all: flags.has("--all") })}`, err: "" };
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  const { code, out, err } = traceCommand(process.argv.slice(2));
  stdout.write(out);
  stderr.write(err);
  process.exitCode = code;
}
