/**
 * Keel used as a library by another Node application, the way a consumer would: a separate project whose
 * node_modules holds `keel` (linked to this repository) imports the package's public entry points by name and
 * runs a turn. The sources are TypeScript, so the consumer runs with the tsx loader (docs/api.md).
 */
import { describe, it, expect, beforeAll } from "vitest";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { REPO_ROOT } from "./support/dev-server.js";

const run = promisify(execFile);
let consumer: string;

beforeAll(() => {
  consumer = fs.mkdtempSync(path.join(os.tmpdir(), "keel-consumer-"));
  fs.mkdirSync(path.join(consumer, "node_modules"));
  fs.symlinkSync(REPO_ROOT, path.join(consumer, "node_modules", "keel"), "dir");
  fs.symlinkSync(path.join(REPO_ROOT, "node_modules", "tsx"), path.join(consumer, "node_modules", "tsx"), "dir");
  fs.writeFileSync(path.join(consumer, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module", dependencies: { keel: "file:../keel" } }));
});

async function node(script: string, file = "main.mjs"): Promise<{ stdout: string; stderr: string }> {
  fs.writeFileSync(path.join(consumer, file), script);
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.OPENAI_API_KEY;
  delete env.OPENAI_BASE_URL;
  return run(process.execPath, ["--import", "tsx", file], { cwd: consumer, env, timeout: 240_000 });
}

describe("importing keel from another Node application", () => {
  it("runs a turn through createKeelApp from the package's main entry", async () => {
    const { stdout } = await node(`
      import { createKeelApp } from "keel";
      const app = await createKeelApp();
      try {
        const turn = await app.run("What plan is customer CUS-1042 on?", { tenantId: "default", userId: "consumer-test" });
        console.log(JSON.stringify({ status: turn.status, answer: turn.answer, routes: turn.reports.map((r) => r.route), threadId: turn.threadId }));
      } finally {
        await app.close();
      }
    `);
    const result = JSON.parse(stdout.trim().split("\n").at(-1)!);
    expect(result.status).toBe("answered");
    expect(result.routes).toEqual(["support"]);
    expect(result.answer).toContain("PLAN-PRO");
    expect(result.threadId).toMatch(/^[0-9a-f-]{36}$/);
  }, 300_000);

  it("refuses bad input with the typed error, before any model call", async () => {
    const { stdout } = await node(`
      import { createKeelApp } from "keel";
      const app = await createKeelApp();
      try {
        await app.run("   ");
        console.log("no error");
      } catch (error) {
        console.log(JSON.stringify({ name: error.name, message: error.message }));
      } finally {
        await app.close();
      }
    `, "bad.mjs");
    const result = JSON.parse(stdout.trim().split("\n").at(-1)!);
    expect(result.name).toBe("InvalidRequestError");
  }, 300_000);

  it("exposes the compiled graphs for embedding in the consumer's own LangGraph code", async () => {
    const { stdout } = await node(`
      import { graph } from "keel/graphs/meta";
      import { TASK_AGENT_GRAPHS } from "keel/graphs/agents";
      console.log(JSON.stringify({ meta: typeof graph.invoke, nodes: Object.keys(graph.nodes).sort(), agents: Object.keys(TASK_AGENT_GRAPHS).sort() }));
      process.exit(0);
    `, "graphs.mjs");
    const result = JSON.parse(stdout.trim().split("\n").at(-1)!);
    expect(result.meta).toBe("function");
    expect(result.nodes).toEqual(expect.arrayContaining(["route", "merge", "support", "finance"]));
    expect(result.agents).toEqual(["finance", "incidents", "shipping", "support"]);
  }, 300_000);

  it("keeps internals private: a path the package does not export is refused", async () => {
    await expect(node(`import "keel/src/db/index.ts";`, "private.mjs")).rejects.toThrow(/ERR_PACKAGE_PATH_NOT_EXPORTED|not exported/);
  }, 60_000);
});
