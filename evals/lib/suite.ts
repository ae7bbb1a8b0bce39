/**
 * One eval suite as a `langsmith/vitest` test file: each example is an `ls.test` with its inputs and reference
 * outputs, its scores are logged as feedback (`ls.logFeedback`), and its result is written for the runner.
 * Offline (`LANGSMITH_TEST_TRACKING=false`) it is plain vitest; with a LangSmith key the same file creates a
 * LangSmith dataset (`keel-eval-<suite>`) and an experiment per run.
 *
 * An example never fails its vitest test for a low score (the gate against the baseline decides); a harness
 * error is recorded with the error and a score of 0, so it can never pass silently.
 *
 * `KEEL_EVAL_LIMIT` runs only the first N examples of each suite (smoke runs).
 * @example KEEL_EVAL_LIMIT=3 npm run eval -- routing
 */
import * as ls from "langsmith/vitest";
import { afterAll, beforeAll } from "vitest";
import type { SkippedRow } from "./dataset.js";
import { exampleHash, writeResult, writeSkipped, type ExampleResult } from "./results.js";
import type { RunCost } from "../evaluators/cost-latency.js";

export interface SuiteExample<Row> {
  id: string;
  source: string;
  inputs: Record<string, unknown>;
  reference: Record<string, unknown>;
  row: Row;
}

export interface Scored {
  scores: Record<string, number>;
  primary: string;
  outputs?: Record<string, unknown>;
  details?: Record<string, unknown>;
  cost?: RunCost;
  error?: string;
}

export interface SuiteDefinition<Row, Ctx> {
  suite: string;
  /** The metric an example that failed to run scores 0 on. */
  primary: string;
  load: () => { examples: SuiteExample<Row>[]; skipped: SkippedRow[] };
  setup?: () => Promise<Ctx>;
  teardown?: (ctx: Ctx) => Promise<void>;
  evaluate: (example: SuiteExample<Row>, ctx: Ctx) => Promise<Scored>;
}

/** Examples to run: all, or the first `KEEL_EVAL_LIMIT`. */
export function limited<T>(examples: T[], env: NodeJS.ProcessEnv = process.env): T[] {
  const limit = Number(env.KEEL_EVAL_LIMIT ?? "");
  return Number.isInteger(limit) && limit > 0 ? examples.slice(0, limit) : examples;
}

export function defineEvalSuite<Row, Ctx = undefined>(definition: SuiteDefinition<Row, Ctx>): void {
  const { examples, skipped } = definition.load();
  writeSkipped(definition.suite, skipped);
  let ctx: Ctx;

  ls.describe(`keel-eval-${definition.suite}`, () => {
    beforeAll(async () => {
      ctx = definition.setup ? await definition.setup() : (undefined as Ctx);
    });
    afterAll(async () => {
      if (definition.teardown) await definition.teardown(ctx);
    });

    for (const example of limited(examples)) {
      ls.test(example.id, { inputs: example.inputs, referenceOutputs: example.reference, metadata: { keel_id: example.id, source: example.source } }, async () => {
        let scored: Scored;
        try {
          scored = await definition.evaluate(example, ctx);
        } catch (error) {
          scored = { scores: {}, primary: definition.primary, error: error instanceof Error ? error.message : String(error) };
        }
        const primaryScore = scored.error ? 0 : (scored.scores[scored.primary] ?? 0);
        if (scored.error) scored.scores[scored.primary] = 0;
        if (scored.outputs) ls.logOutputs(scored.outputs);
        for (const [key, score] of Object.entries(scored.scores)) ls.logFeedback({ key, score });
        if (scored.cost) {
          ls.logFeedback({ key: "latency_ms", score: scored.cost.latency_ms });
          ls.logFeedback({ key: "tokens", score: scored.cost.tokens });
        }
        const result: ExampleResult = {
          suite: definition.suite,
          id: example.id,
          source: example.source,
          hash: exampleHash({ inputs: example.inputs, reference: example.reference }),
          scores: scored.scores,
          primary: scored.primary,
          passed: !scored.error && primaryScore === 1,
          ...(scored.cost ? { cost: scored.cost } : {}),
          ...(scored.details ? { details: scored.details } : {}),
          ...(scored.error ? { error: scored.error } : {}),
        };
        writeResult(result);
      });
    }
  });
}
