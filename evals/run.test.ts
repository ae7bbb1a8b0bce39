/**
 * Smoke of `npm run eval` end to end (a child process running the real runner, vitest and the routing suite over
 * a small dataset): a malformed row is reported with file:line and not counted, the gate fails naming the
 * example whose score dropped, and both reports are written, the HTML one self-contained.
 */
import { describe, it, expect } from "vitest";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { exampleHash } from "./lib/results.js";
import net from "node:net";
import { EvalUsageError, langSmithMode, parseEvalArgs } from "./run.js";
import type { EvalReport } from "./lib/report.js";

const request = "why was customer CUS-1042 charged twice?";

describe("npm run eval", () => {
  it("reports a malformed row with file:line, fails the gate naming the regressed example, writes JSON and HTML", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "keel-eval-smoke-"));
    const datasets = path.join(dir, "datasets");
    fs.mkdirSync(datasets);
    fs.writeFileSync(
      path.join(datasets, "routing.jsonl"),
      [
        JSON.stringify({ id: "ok", request, expected_routes: ["finance"] }),
        '{"id":"broken","request":',
        JSON.stringify({ id: "wrong", request, expected_routes: ["shipping"] }),
      ].join("\n"),
    );
    const hash = (routes: string[]) => exampleHash({ inputs: { request }, reference: { routes } });
    const baseline = {
      generated_at: "2026-11-01T00:00:00Z",
      model: "keel-offline",
      suites: { routing: { metrics: { routing_accuracy: 1 }, examples: { ok: { hash: hash(["finance"]), scores: { routing_accuracy: 1 } }, wrong: { hash: hash(["shipping"]), scores: { routing_accuracy: 1 } } } } },
    };
    fs.writeFileSync(path.join(dir, "baseline.json"), JSON.stringify(baseline));
    const out = path.join(dir, "out");
    const child = spawnSync(process.execPath, ["--import", "tsx", "evals/run.ts", "routing", "--datasets-dir", datasets, "--baseline", path.join(dir, "baseline.json"), "--out-dir", out, "--tolerance", "0.1", "--offline"], {
      encoding: "utf8",
      env: { ...process.env, LANGSMITH_API_KEY: "", LANGCHAIN_API_KEY: "" },
      timeout: 240_000,
    });
    const output = child.stdout + child.stderr;
    expect(child.status, output).toBe(1);
    expect(output).toMatch(/routing\.jsonl:2: skipped: not valid JSON/);
    expect(output).toMatch(/gate: FAIL/);
    expect(output).toMatch(/routing routing_accuracy dropped from 1\.000 to 0\.500 .*regressed: wrong \(1 -> 0\)/);

    const report = JSON.parse(fs.readFileSync(path.join(out, "report.json"), "utf8")) as EvalReport;
    expect(report.suites.routing).toMatchObject({ examples: 2, passed: 1, skipped: 1, pass_rate: 0.5 });
    expect(report.examples.map((e) => [e.id, e.passed])).toEqual([["ok", true], ["wrong", false]]);
    expect(report.skipped).toEqual([expect.objectContaining({ suite: "routing", line: 2, file: expect.stringMatching(/routing\.jsonl$/) })]);
    expect(report.gate).toMatchObject({ ok: false, checks: [expect.objectContaining({ metric: "routing_accuracy", regressed: [{ id: "wrong", baseline: 1, current: 0 }] })] });

    const html = fs.readFileSync(path.join(out, "report.html"), "utf8");
    expect(html).toMatch(/<svg[^>]*aria-label="Scores per suite"/);
    expect(html).toMatch(/routing: latency/);
    expect(html).toContain("FAIL");
    expect(html).not.toMatch(/<script|<link|\ssrc=|\shref=|url\(/i);
  }, 300_000);

  it.each([
    [["--tolerance", "1.5"], /--tolerance is "1.5"/],
    [["--tolerance", "abc"], /--tolerance is "abc"/],
    [["nonsense"], /Unknown suite "nonsense"/],
    [["--limit", "0"], /--limit is "0"/],
    [["--limit", "3", "--update-baseline"], /needs a full run/],
    [["--frobnicate"], /Unknown option/],
  ])("refuses %j with the reason", (argv, reason) => {
    expect(() => parseEvalArgs(argv)).toThrow(EvalUsageError);
    expect(() => parseEvalArgs(argv)).toThrow(reason);
  });

  it("LangSmith: off without a key; with a key but unreachable, one warning and the run stays local", async () => {
    expect(await langSmithMode({ LANGSMITH_API_KEY: "" })).toBe("off");
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as net.AddressInfo).port;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.message);
    process.on("warning", onWarning);
    try {
      expect(await langSmithMode({ LANGSMITH_API_KEY: "lsv2_test", LANGSMITH_ENDPOINT: `http://127.0.0.1:${port}`, KEEL_LANGSMITH_TIMEOUT_MS: "1000" })).toBe("unreachable");
      await new Promise((r) => setTimeout(r, 20));
    } finally {
      process.off("warning", onWarning);
    }
    expect(warnings).toEqual([expect.stringMatching(/LangSmith at http:\/\/127\.0\.0\.1:\d+ is unreachable .*runs locally/)]);
  });

  it("defaults: every suite, tolerance 0.02, the committed baseline", () => {
    const options = parseEvalArgs(["--"]);
    expect(options.suites).toEqual(["routing", "tool_selection", "trajectory", "end_state", "grounding", "safety", "promoted"]);
    expect(options.tolerance).toBe(0.02);
    expect(options.baseline).toMatch(/evals[/\\]baseline\.json$/);
    expect(parseEvalArgs(["routing", "--tolerance", "0.1"])).toMatchObject({ suites: ["routing"], tolerance: 0.1 });
  });
});
