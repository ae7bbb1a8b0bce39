/**
 * Starts the real LangGraph dev server (`langgraphjs dev`) for a test, on a free loopback port, with
 * `--no-reload` (others edit the tree while tests run; a reload would drop runs in flight) and no analytics,
 * and stops its whole process group afterwards.
 *
 * @example
 * const server = await startDevServer({ env: { KEEL_AUTH: "off" } });
 * const client = new Client({ apiUrl: server.apiUrl });
 * await server.stop();
 */
import { spawn, type ChildProcess } from "node:child_process";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
export const READY_TIMEOUT_MS = 90_000;

export interface DevServer {
  apiUrl: string;
  port: number;
  child: ChildProcess;
  /** The last 20,000 characters of the server's stdout and stderr. */
  log(): string;
  stop(): Promise<void>;
}

export interface DevServerOptions {
  /** Variables added to (or, when undefined, removed from) the test process's environment. */
  env?: Record<string, string | undefined>;
  /** A langgraph.json other than the repository's. */
  config?: string;
  /** How long to wait for `/info`. */
  readyTimeoutMs?: number;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** Ends a detached child's whole process group (the CLI, its tsx watcher and the API worker). */
export async function stopProcessGroup(child: ChildProcess): Promise<void> {
  const pgid = child.pid!;
  const groupAlive = () => {
    try {
      process.kill(-pgid, 0);
      return true;
    } catch {
      return false;
    }
  };
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(-pgid, sig);
    } catch {
      // already gone
    }
  };
  signal("SIGTERM");
  const deadline = Date.now() + 10_000;
  while (groupAlive() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  if (groupAlive()) signal("SIGKILL");
}

/** Starts the server and resolves once `/info` answers; rejects with the server's log if it exits first. */
export async function startDevServer(options: DevServerOptions = {}): Promise<DevServer> {
  const port = await freePort();
  const apiUrl = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = { ...process.env, LANGGRAPH_CLI_NO_ANALYTICS: "1", BROWSER: "none" };
  for (const key of ["OPENAI_API_KEY", "OPENAI_BASE_URL", "KEEL_MODEL_PROVIDER"]) delete env[key];
  for (const [key, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  const args = ["dev", "--port", String(port), "--host", "127.0.0.1", "--no-browser", "--no-reload"];
  if (options.config) args.push("--config", options.config);
  const child = spawn(path.join(REPO_ROOT, "node_modules/.bin/langgraphjs"), args, { cwd: REPO_ROOT, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  let log = "";
  const keep = (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-20_000);
  };
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);

  const timeout = options.readyTimeoutMs ?? READY_TIMEOUT_MS;
  const deadline = Date.now() + timeout;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`langgraphjs dev exited (${child.exitCode ?? child.signalCode}) before it was ready:\n${log}`);
    try {
      const res = await fetch(`${apiUrl}/info`, { signal: AbortSignal.timeout(2_000) });
      if (res.ok) return { apiUrl, port, child, log: () => log, stop: () => stopProcessGroup(child) };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  await stopProcessGroup(child);
  throw new Error(`langgraphjs dev was not ready within ${timeout / 1000} s:\n${log}`);
}
