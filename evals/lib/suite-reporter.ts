/**
 * vitest reporter for eval runs: one line per suite file when it ends, and every error that stopped a file or
 * the run, in full. vitest's own reporters print a line or a dot per example (700 of them) and the test
 * verdicts, which mean nothing here: an example's score, not its vitest test, is what the runner reports.
 */
import path from "node:path";
import type { Reporter, TestModule } from "vitest/node";

export class SuiteReporter implements Reporter {
  constructor(private readonly log: (line: string) => void = (line) => console.error(line)) {}

  onTestModuleEnd(module: TestModule): void {
    const tests = [...module.children.allTests()].length;
    const seconds = (module.diagnostic().duration / 1000).toFixed(1);
    this.log(`  ${path.basename(module.moduleId)}: ${tests} example(s) in ${seconds} s`);
    for (const error of module.errors()) this.log(`  ${path.basename(module.moduleId)} failed: ${error.message}\n${error.stack ?? ""}`);
  }

  onTestRunEnd(_modules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<{ message: string; stack?: string }>): void {
    for (const error of unhandledErrors) this.log(`  unhandled error: ${error.message}\n${error.stack ?? ""}`);
  }
}
