import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { run } from "./budgets.js";
import { BenchInputError } from "./report.js";

describe("budgets bench input", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "keel-budgets-data-"));
  fs.writeFileSync(path.join(dir, "bad.jsonl"), '{"request":"ok"}\n{"id":"x"}\n');
  fs.writeFileSync(path.join(dir, "broken.jsonl"), "{not json\n");

  it.each([
    [["--limit", "0"], /--limit must be a positive number/],
    [["--limit", "-1"], /--limit/],
    [["--bogus"], /Unknown option .--bogus./],
    [["--thread", "zero"], /--thread must be a positive number/],
    [["--data-dir", dir, "--datasets", "missing"], /No dataset .*missing\.jsonl/],
    [["--data-dir", dir, "--datasets", "bad"], /bad\.jsonl:2 has no "request"/],
    [["--data-dir", dir, "--datasets", "broken"], /broken\.jsonl:1 is not JSON/],
  ])("refuses %j before running anything", async (argv, message) => {
    const failure = run(argv);
    await expect(failure).rejects.toThrow(BenchInputError);
    await expect(run(argv)).rejects.toThrow(message);
  });
});
