/**
 * Benchmark entry point: `npm run bench -- <name> [options] [--out report.json]` runs `bench/<name>.ts`.
 *
 * A bench is a module exporting `run(argv): Promise<BenchReport>` (see `report.ts`); this file only picks it,
 * prints its report, writes `--out`, and maps failures to exit codes: 2 for bad input, 1 for anything else.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { BenchInputError, formatReport, roundReport, writeReport, type BenchModule, type BenchReport } from "./report.js";

const here = path.dirname(fileURLToPath(import.meta.url));

/** Names of the benches in this folder (every `<name>.ts` that is not a helper or a test). */
export function availableBenches(): string[] {
  const helpers = new Set(["main", "report"]);
  return fs
    .readdirSync(here)
    .filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts") && !f.includes("-"))
    .map((f) => f.slice(0, -3))
    .filter((name) => !helpers.has(name))
    .sort();
}

export interface BenchIo {
  log: (text: string) => void;
  error: (text: string) => void;
}

/** Runs one bench from command-line arguments; resolves to the process exit code. */
export async function runBench(argv: string[], io: BenchIo = { log: console.log, error: console.error }): Promise<{ code: number; report?: BenchReport }> {
  const args = argv.filter((a) => a !== "--");
  const name = args.shift();
  const usage = `Usage: npm run bench -- <name> [options] [--out report.json]; benches: ${availableBenches().join(", ")}`;
  if (!name || name.startsWith("-")) {
    io.error(usage);
    return { code: 2 };
  }
  if (!/^[a-z][a-z0-9]*$/.test(name) || !availableBenches().includes(name)) {
    io.error(`Unknown bench "${name}". ${usage}`);
    return { code: 2 };
  }
  let out: string | undefined;
  const outAt = args.indexOf("--out");
  if (outAt >= 0) {
    out = args[outAt + 1];
    if (!out || out.startsWith("--")) {
      io.error("--out needs a file name.");
      return { code: 2 };
    }
    args.splice(outAt, 2);
  }
  try {
    const mod = (await import(pathToFileURL(path.join(here, `${name}.ts`)).href)) as BenchModule;
    const report = roundReport(await mod.run(args));
    io.log(formatReport(report));
    if (out) {
      writeReport(out, report);
      io.log(`report written to ${out}`);
    }
    return { code: 0, report };
  } catch (error) {
    if (error instanceof BenchInputError || (error as Error).name === "CatalogError") {
      io.error(`${name}: ${(error as Error).message}`);
      return { code: 2 };
    }
    io.error(`${name} failed: ${(error as Error).stack ?? error}`);
    return { code: 1 };
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  runBench(process.argv.slice(2)).then(({ code }) => process.exit(code));
}
