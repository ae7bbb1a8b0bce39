import { describe, it, expect } from "vitest";
import { spawn } from "node:child_process";
import { run } from "./load.js";
import { groupRssMb, slopeMbPerMin } from "./load-memory.js";
import { BenchInputError } from "./report.js";

describe("load bench", () => {
  it.each([
    [["--clients", "0"], /--clients needs a whole number from 1 to 1000/],
    [["--runs", "two"], /--runs needs a whole number/],
    [["--tenants", "9", "--clients", "3"], /--tenants must not exceed --clients/],
    [["--workers", "3"], /Unknown option --workers/],
  ])("refuses %j before starting anything", async (argv, message) => {
    await expect(run(argv)).rejects.toThrow(BenchInputError);
    await expect(run(argv)).rejects.toThrow(message);
  });
});

describe("memory sampling", () => {
  it.each([
    [[0, 100, 100, 100], 0],
    [[0, 100, 110, 120], 10],
    [[0, 100, 90, 80], -10],
  ])("slope of %j (one sample a minute): %d MiB/min", (values, slope) => {
    const samples = values.slice(1).map((rssMb, i) => ({ atMs: i * 60_000, rssMb }));
    expect(slopeMbPerMin(samples)).toBeCloseTo(slope, 6);
  });

  it("sums the resident memory of a process group, and finds nothing once it is gone", async () => {
    const child = spawn(process.execPath, ["-e", "const keep = Buffer.alloc(64 * 1024 * 1024, 1); setTimeout(() => {}, 30000)"], { detached: true, stdio: "ignore" });
    try {
      await new Promise((r) => setTimeout(r, 500));
      expect(groupRssMb(child.pid!)).toBeGreaterThan(64);
    } finally {
      process.kill(-child.pid!, "SIGKILL");
    }
    await new Promise((r) => child.once("exit", r));
    await new Promise((r) => setTimeout(r, 100));
    expect(groupRssMb(child.pid!)).toBe(0);
  });
});
