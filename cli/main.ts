/**
 * `npm start -- "<request>"` runs one request; `npm start` alone opens an interactive session.
 * Progress (routing, tools, approvals) and the agents' answer text as they write it (`--no-stream`: not the text)
 * stream to stderr; the final answer, with tokens and cost, goes to stdout.
 * Approvals are asked on the terminal: approve (a), reject (r) or edit (e, then JSON arguments).
 */
import readline from "node:readline";
import { stdin, stdout, stderr } from "node:process";
import type { KeelApp, RunOptions, TurnResult } from "../graphs/app.js";
import { describeModels, modelSettings } from "../src/models/provider.js";
import { formatAgentCosts, formatUsage } from "../src/cost/usage-tracker.js";
import { formatProgress, TokenPrinter } from "./progress.js";
import { findError, KeelError } from "../src/errors.js";
import { closeCompanyDbs } from "../src/db/index.js";
import { parseMetricsPort, startMetricsServer } from "../src/observability/metrics-server.js";

/**
 * Questions on the terminal, answered line by line. Reads through the interface's line iterator, which buffers,
 * so answers piped in ahead of their questions (scripts, tests) are not lost as they are with `rl.question`.
 */
class Prompt {
  private readonly lines: AsyncIterator<string>;
  constructor(private readonly rl: readline.Interface) {
    this.lines = rl[Symbol.asyncIterator]();
  }
  /** The next line; rejects when input is closed. */
  async question(prompt: string): Promise<string> {
    stderr.write(prompt);
    const next = await this.lines.next();
    if (next.done) throw new Error("input closed");
    return next.value;
  }
  close(): void {
    this.rl.close();
  }
}

const printer = new TokenPrinter((text) => stderr.write(text));
/** Progress and token callbacks of every turn (set from the command line in `main`). */
let streaming: Pick<RunOptions, "onProgress" | "onToken"> = { onProgress: (e) => stderr.write(formatProgress(e)) };

async function main(argv: string[]): Promise<number> {
  const args = argv.filter((a) => a !== "--");
  const threadFlag = args.indexOf("--thread");
  const threadId = threadFlag >= 0 ? args.splice(threadFlag, 2)[1] : undefined;
  // Answer text streams to stderr with the progress as the agents write it; --no-stream prints only the final answer.
  const noStream = args.indexOf("--no-stream");
  if (noStream >= 0) args.splice(noStream, 1);
  streaming = {
    onProgress: (e) => printer.progress(formatProgress(e)),
    ...(noStream >= 0 ? {} : { onToken: (t) => printer.token(t) }),
  };
  // --metrics-port N: serve GET /metrics (Prometheus) on 127.0.0.1:N while the CLI runs (0: any free port).
  const metricsFlag = args.indexOf("--metrics-port");
  const metricsPort = metricsFlag >= 0 ? parseMetricsPort(args.splice(metricsFlag, 2)[1]) : undefined;
  const request = args.join(" ").trim();
  const settings = modelSettings();
  stderr.write(`${describeModels(settings)}\n`);
  // Imported only now: building the graphs reads configuration, and a bad value must reach the error handler below.
  const { createKeelApp } = await import("../graphs/app.js");
  const app = await createKeelApp();
  stderr.write(`Checkpoints: ${app.checkpoints}\n`);
  const metricsServer = metricsPort === undefined ? undefined : await startMetricsServer({ port: metricsPort });
  if (metricsServer) stderr.write(`Metrics: ${metricsServer.url}\n`);
  const rl = new Prompt(readline.createInterface({ input: stdin, output: stderr, terminal: stdin.isTTY }));
  try {
    if (request) {
      await handleTurn(app, rl, await app.run(request, { threadId, ...streaming }));
      return 0;
    }
    return await interactive(app, rl, threadId);
  } finally {
    rl.close();
    await metricsServer?.close();
    await app.close();
    closeCompanyDbs();
  }
}

async function interactive(app: KeelApp, rl: Prompt, initialThread?: string): Promise<number> {
  stderr.write('Interactive session. Ask anything; "exit" or Ctrl-D quits.\n');
  let threadId = initialThread;
  for (;;) {
    let line: string;
    try {
      line = (await rl.question("\nyou> ")).trim();
    } catch {
      return 0; // stdin closed
    }
    if (line === "exit" || line === "quit") return 0;
    if (!line) continue;
    try {
      const turn = await app.run(line, { threadId, ...streaming });
      threadId = turn.threadId;
      await handleTurn(app, rl, turn);
    } catch (error) {
      if (!(error instanceof KeelError)) throw error;
      stderr.write(`${error.message}\n`);
    }
  }
}

async function handleTurn(app: KeelApp, rl: Prompt, turn: TurnResult): Promise<void> {
  let current = turn;
  while (current.status === "needs_approval") {
    const approval = current.approvals[0]!;
    const decision = await askDecision(rl, approval.tool);
    try {
      current = await app.resume(current.threadId, decision, streaming);
    } catch (error) {
      if (!(error instanceof KeelError)) throw error;
      stderr.write(`${error.message}\n`);
    }
  }
  printer.end();
  stdout.write(`\n${current.answer ?? ""}\n`);
  stdout.write(`\n[thread ${current.threadId}] ${formatUsage(current.usage)}\n`);
  const byAgent = formatAgentCosts(current.usage);
  if (byAgent) stdout.write(`  by agent: ${byAgent}\n`);
}

async function askDecision(rl: Prompt, tool: string): Promise<unknown> {
  let answer: string;
  try {
    answer = (await rl.question(`Approve ${tool}? [a]pprove / [r]eject / [e]dit: `)).trim().toLowerCase();
  } catch {
    return { decision: "reject", reason: "no one was there to approve it (input closed)" };
  }
  if (answer.startsWith("a")) return { decision: "approve" };
  if (answer.startsWith("e")) {
    const json = await rl.question("New arguments as JSON: ");
    try {
      return { decision: "edit", args: JSON.parse(json) };
    } catch {
      return { decision: "edit", args: json };
    }
  }
  const reason = await rl.question("Reason (optional): ").catch(() => "");
  return { decision: "reject", ...(reason.trim() ? { reason: reason.trim() } : {}) };
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    // A typed error may arrive wrapped (langchain's MiddlewareError, LangGraph's AggregateError): print the cause.
    const keel = findError(error, (e): e is KeelError => e instanceof KeelError);
    if (keel) {
      stderr.write(`${keel.name}: ${keel.message}\n`);
      process.exit(2);
    }
    stderr.write(`${(error as Error).stack ?? error}\n`);
    process.exit(1);
  },
);
