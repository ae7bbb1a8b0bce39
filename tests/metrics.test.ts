/**
 * The Prometheus metrics after real runs of the app on the offline model: model calls, tokens and cost by tenant,
 * agent and model; node latency; tool calls; retrieval results; approvals pending, asked and decided; the human
 * override rate; the feedback table with the argument diff. Then the CLI's `--metrics-port`, scraped over HTTP
 * while the CLI waits on an approval.
 */
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { spawn } from "node:child_process";
import { createKeelApp, type KeelApp } from "../graphs/app.js";
import { registry } from "../src/observability/metrics.js";
import { approvalFeedback } from "../src/observability/feedback.js";
import { readTraceRuns } from "../src/observability/trace-log.js";

/** Sum of the samples of a metric whose labels include all of `labels`. */
async function sample(name: string, labels: Record<string, string> = {}): Promise<number> {
  const metric = registry.getSingleMetric(name);
  if (!metric) throw new Error(`no metric ${name}`);
  const { values } = await metric.get();
  return values
    .filter((v) => (v as { metricName?: string }).metricName === undefined || (v as { metricName?: string }).metricName === name || (v as { metricName?: string }).metricName === `${name}_count`)
    .filter((v) => Object.entries(labels).every(([k, want]) => String((v.labels as Record<string, unknown>)[k]) === want))
    .reduce((sum, v) => sum + v.value, 0);
}

let app: KeelApp;
beforeAll(async () => {
  app = await createKeelApp();
});
afterAll(async () => {
  await app?.close();
});

describe("metrics after a run", () => {
  it("counts model calls, tokens and cost by tenant, agent and model, node latency, tool calls and retrievals", async () => {
    const before = {
      calls: await sample("keel_model_calls_total", { tenant: "default", agent: "finance", model: "keel-offline" }),
      input: await sample("keel_tokens_total", { agent: "finance", direction: "input" }),
      nodes: await sample("keel_node_duration_seconds", { agent: "finance", node: "model_request" }),
      tools: await sample("keel_tool_calls_total", { agent: "finance", tool: "find_duplicate_charges", status: "ok" }),
      retrievals: await sample("keel_tool_retrievals_total", { agent: "finance" }),
      answered: await sample("keel_requests_total", { tenant: "default", status: "answered" }),
    };
    const turn = await app.run("why was customer CUS-1042 charged twice?");
    expect(turn.status).toBe("answered");

    const modelRuns = readTraceRuns(turn.threadId).filter((r) => r.kind === "llm" && r.metadata.lc_agent_name === "finance");
    expect(modelRuns.length).toBeGreaterThanOrEqual(2);
    expect(await sample("keel_model_calls_total", { tenant: "default", agent: "finance", model: "keel-offline" })).toBe(before.calls + modelRuns.length);
    const tokensIn = modelRuns.reduce((sum, r) => sum + (r.tokens?.input ?? 0), 0);
    expect(await sample("keel_tokens_total", { agent: "finance", direction: "input" })).toBe(before.input + tokensIn);
    expect(await sample("keel_node_duration_seconds", { agent: "finance", node: "model_request" })).toBe(before.nodes + modelRuns.length);
    expect(await sample("keel_tool_calls_total", { agent: "finance", tool: "find_duplicate_charges", status: "ok" })).toBe(before.tools + 1);
    expect(await sample("keel_tool_retrievals_total", { agent: "finance" })).toBe(before.retrievals + modelRuns.length);
    expect(await sample("keel_requests_total", { tenant: "default", status: "answered" })).toBe(before.answered + 1);
    // The offline model is priced at $0: the cost series exists and stays at 0.
    expect(await registry.getSingleMetricAsString("keel_cost_usd_total")).toMatch(/keel_cost_usd_total\{tenant="default",agent="finance",model="keel-offline"\} 0/);
  });

  it("tracks approvals pending, decisions, the override rate and records feedback with the argument diff", async () => {
    const asked = await sample("keel_approvals_requested_total", { kind: "action", tool: "cancel_order" });
    const turn = await app.run("Cancel order ORD-10039, the customer changed their mind");
    expect(turn.status).toBe("needs_approval");
    expect(turn.approvals[0]).toMatchObject({ kind: "action", tool: "cancel_order", args: { order_id: "ORD-10039" } });
    expect(await sample("keel_approvals_pending")).toBe(1);
    expect(await sample("keel_approvals_requested_total", { kind: "action", tool: "cancel_order" })).toBe(asked + 1);

    const proposed = turn.approvals[0]!.args;
    const edits = await sample("keel_approval_decisions_total", { kind: "action", decision: "edit" });
    const reason = "customer ordered the wrong size";
    const after = await app.resume(turn.threadId, { decision: "edit", args: { ...proposed, reason } });
    expect(after.status).not.toBe("needs_approval");
    expect(await sample("keel_approvals_pending")).toBe(0);
    expect(await sample("keel_approval_decisions_total", { kind: "action", decision: "edit" })).toBe(edits + 1);
    expect(await sample("keel_human_override_rate")).toBeGreaterThan(0);

    const [feedback] = approvalFeedback(turn.threadId);
    expect(feedback).toMatchObject({ kind: "action", tool: "cancel_order", decision: "edit", sentToLangSmith: false });
    expect(feedback!.diff).toEqual(["reason" in proposed ? { path: "reason", op: "changed", before: proposed.reason, after: reason } : { path: "reason", op: "added", after: reason }]);
    expect(feedback!.approvedArgs).toEqual({ ...proposed, reason });
    // The root run of the turn that asked is the run the feedback belongs to, and the log has the event.
    const runs = readTraceRuns(turn.threadId);
    expect(runs.find((r) => r.runId === feedback!.runId)?.name).toBe("meta");
    expect(runs.flatMap((r) => r.events).some((e) => e.name === "keel.feedback")).toBe(true);
  });
});

describe("npm start -- --metrics-port", () => {
  it("serves /metrics while the CLI waits on an approval, with the turn's counters", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", "cli/main.ts", "--metrics-port", "0", "cancel order ORD-10055"], { env: process.env, stdio: ["pipe", "pipe", "pipe"] });
    let stderr = "";
    let stdout = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    const asked = new Promise<void>((resolve, reject) => {
      child.stderr.on("data", (c: Buffer) => {
        stderr += c.toString();
        if (/Approve cancel_order\?/.test(stderr)) resolve();
      });
      child.once("exit", (code) => reject(new Error(`CLI exited (${code}) before asking:\n${stderr}`)));
    });
    await asked;
    const url = /Metrics: (http:\/\/127\.0\.0\.1:\d+\/metrics)/.exec(stderr)?.[1];
    expect(url).toBeDefined();
    const body = await (await fetch(url!)).text();
    expect(body).toMatch(/^keel_approvals_pending 1$/m);
    expect(body).toMatch(/^keel_model_calls_total\{tenant="default",agent="shipping",model="keel-offline"\} [1-9]/m);
    expect(body).toMatch(/^keel_approvals_requested_total\{kind="action",tool="cancel_order"\} 1$/m);
    expect((await fetch(url!.replace("/metrics", "/health"))).status).toBe(200);

    const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
    child.stdin.end("r\nno\n");
    expect(await exited).toBe(0);
    expect(stdout).toMatch(/not taken/);
  }, 120_000);

  // Other bad values are covered by src/observability/metrics-server.test.ts (parseMetricsPort).
  it.each([["abc"]])("refuses --metrics-port %s with exit code 2 naming the flag", async (port) => {
    const child = spawn(process.execPath, ["--import", "tsx", "cli/main.ts", "--metrics-port", port, "hello"], { env: process.env });
    let stderr = "";
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
    expect(code).toBe(2);
    expect(stderr).toContain(`--metrics-port is "${port}"`);
  }, 60_000);
});
