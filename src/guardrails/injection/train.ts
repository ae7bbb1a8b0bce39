/**
 * Fits the detector's family weights on the AgentDojo DEV split and writes `weights.json` (weights only; no
 * data is written anywhere).
 *
 *   npx tsx src/guardrails/injection/train.ts [--data-dir DIR] [--sigma 1] [--dry-run]
 *
 * Model: a window's logit is `bias + sum(w_f * x_f)` over the capped family sums and the embedding feature
 * (see `score.ts`); a text's logit is its worst window's. The fit is MAP logistic regression with a Gaussian
 * prior centred on the hand-set weights (`prior` in `weights.json`, standard deviation `--sigma`), classes
 * balanced, weights kept >= 0 (a rule hit never makes a text look safer) and under `bounds`. Families that never fire in the dev
 * data keep their prior weight, so the hand-written rules for attacks AgentDojo lacks (hidden text, persona
 * set-ups, prompt leaks, ...) are not switched off by training on a templated benchmark.
 * Thresholds, window geometry, user-input multipliers and the embedding transform stay as set by hand.
 */
import fs from "node:fs";
import { createHash } from "node:crypto";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { offlineEmbeddings } from "../../embeddings/use-lite.js";
import { agentDojoRows, benchmarksDir, type LabelledText } from "./datasets.js";
import { addEmbeddingFeature, exemplarVectors } from "./detector.js";
import { findHits } from "./scan-text.js";
import { FEATURES, buildWindows, defaultWeights, sigmoid, type DetectorWeights, type Feature } from "./score.js";

export interface TrainingExample {
  label: 0 | 1;
  /** Feature vectors of the text's windows (none: the text has no rule hit). */
  windows: number[][];
}

export interface FitOptions {
  prior: { bias: number; weights: Record<Feature, number> };
  sigma: number;
  /** Upper bounds on single weights, e.g. so one weak-evidence family alone cannot reach "injected". */
  bounds?: Partial<Record<Feature, number>>;
  iterations?: number;
  learningRate?: number;
}

/** MAP logistic regression over "worst window" logits; returns the bias and weights. */
export function fit(examples: TrainingExample[], options: FitOptions): { bias: number; weights: Record<Feature, number> } {
  const F = FEATURES.length;
  const prior = FEATURES.map((f) => options.prior.weights[f]);
  const upper = FEATURES.map((f) => options.bounds?.[f] ?? Infinity);
  const w = [...prior];
  let b = options.prior.bias;
  const pos = examples.filter((e) => e.label === 1).length;
  const neg = examples.length - pos;
  const cw = (y: number) => (y === 1 ? examples.length / (2 * Math.max(1, pos)) : examples.length / (2 * Math.max(1, neg)));
  const lambda = 1 / (options.sigma * options.sigma);
  const iterations = options.iterations ?? 4000;
  const lr = options.learningRate ?? 0.02;
  for (let it = 0; it < iterations; it++) {
    const gw = new Array<number>(F).fill(0);
    let gb = 0;
    for (const ex of examples) {
      let best: number[] | undefined;
      let z = b;
      for (const x of ex.windows) {
        let zx = b;
        for (let j = 0; j < F; j++) zx += w[j]! * x[j]!;
        if (!best || zx > z) {
          best = x;
          z = zx;
        }
      }
      const g = cw(ex.label) * (sigmoid(z) - ex.label);
      gb += g;
      if (best) for (let j = 0; j < F; j++) gw[j]! += g * best[j]!;
    }
    const n = examples.length;
    b -= lr * (gb / n + (lambda * (b - options.prior.bias)) / n);
    for (let j = 0; j < F; j++) w[j] = Math.min(upper[j]!, Math.max(0, w[j]! - lr * (gw[j]! / n + (lambda * (w[j]! - prior[j]!)) / n)));
  }
  return { bias: b, weights: Object.fromEntries(FEATURES.map((f, j) => [f, w[j]!])) as Record<Feature, number> };
}

/** Window features of each row, with the embedding feature computed for every window that has a hit. */
export async function trainingExamples(rows: LabelledText[], weights: DetectorWeights): Promise<TrainingExample[]> {
  const model = offlineEmbeddings();
  const exemplars = await exemplarVectors(model);
  const out: TrainingExample[] = [];
  for (const row of rows) {
    const windows = buildWindows(findHits(row.text), row.text.length, weights);
    await addEmbeddingFeature(row.text, windows, model, exemplars, weights);
    out.push({ label: row.label === "injected" ? 1 : 0, windows: windows.map((w) => w.features) });
  }
  return out;
}

const round = (x: number) => Number(x.toFixed(4));

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { "data-dir": { type: "string" }, sigma: { type: "string" }, "dry-run": { type: "boolean" } } });
  const dir = benchmarksDir(values["data-dir"]);
  const current = defaultWeights();
  const prior = (current.training?.prior as FitOptions["prior"] | undefined) ?? { bias: current.bias, weights: current.weights };
  const sigma = Number(values.sigma ?? current.training?.sigma ?? 1);
  // A planted "TODO: <verb>" alone is weak evidence (people write TODOs too): bounded so it flags, not blocks.
  const bounds = (current.training?.bounds as FitOptions["bounds"] | undefined) ?? { todo: 1.7 };
  const all = agentDojoRows(dir);
  const dev = all.filter((r) => r.split === "dev");
  console.log(`AgentDojo dev split: ${dev.length} rows (${dev.filter((r) => r.label === "injected").length} injected) of ${all.length}`);
  const examples = await trainingExamples(dev, current);
  const fitted = fit(examples, { prior, sigma, bounds });
  const next: DetectorWeights = { ...current, bias: round(fitted.bias), weights: Object.fromEntries(FEATURES.map((f) => [f, round(fitted.weights[f])])) as Record<Feature, number> };

  // Dev figures at the shipped thresholds (the test split is never read here beyond its size).
  const score = (ex: TrainingExample) => ex.windows.reduce((a, x) => Math.max(a, sigmoid(next.bias + FEATURES.reduce((s, f, j) => s + next.weights[f] * x[j]!, 0))), sigmoid(next.bias));
  const scores = examples.map(score);
  const rate = (label: 0 | 1, t: number) => {
    const idx = examples.map((e, i) => (e.label === label ? i : -1)).filter((i) => i >= 0);
    return round(idx.filter((i) => scores[i]! >= t).length / Math.max(1, idx.length));
  };
  const file = path.join(dir, "agentdojo", "tool_outputs_labeled.jsonl");
  next.training = {
    method: "MAP logistic regression over worst-window logits, Gaussian prior centred on the hand-set weights, balanced classes, weights >= 0",
    data: "AgentDojo tool_outputs_labeled.jsonl, dev split (datasets.ts splitOf: sha1 of suite/injection task for injected rows, of the alphanumeric text for benign rows; first byte % 5 == 0)",
    data_sha256: createHash("sha256").update(fs.readFileSync(file)).digest("hex").slice(0, 16),
    dev_rows: dev.length,
    dev_injected: dev.filter((r) => r.label === "injected").length,
    sigma,
    bounds,
    prior,
    dev_metrics: {
      detection_rate: rate(1, next.thresholds.suspicious),
      false_positive_rate: rate(0, next.thresholds.suspicious),
      detection_rate_injected_verdict: rate(1, next.thresholds.injected),
      false_positive_rate_injected_verdict: rate(0, next.thresholds.injected),
    },
  };
  console.log(JSON.stringify({ bias: next.bias, weights: next.weights, dev_metrics: next.training.dev_metrics }, null, 2));
  if (values["dry-run"]) return;
  const out = fileURLToPath(new URL("./weights.json", import.meta.url));
  fs.writeFileSync(out, `${JSON.stringify(next, null, 2)}\n`);
  console.log(`wrote ${out}`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
