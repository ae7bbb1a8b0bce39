/**
 * Scoring: rule hits are summed per family inside overlapping windows of the text (so two weak signals only
 * add up when they are close together, and a long text costs one pass; each rule counts once per window),
 * each family sum is capped, and a
 * logistic model turns a window's features into a probability-like score. A text's score is its worst window.
 *
 * The weights live in `weights.json`: hand-set priors, refined by `train.ts` on the AgentDojo dev split
 * (MAP logistic regression with a Gaussian prior centred on the hand-set weights, so families that never occur
 * in the training data keep their prior weight instead of dropping to zero).
 */
import fs from "node:fs";
import { FAMILIES, type Family, type RuleHit } from "./rules.js";

export const FEATURES = [...FAMILIES, "embedding"] as const;
export type Feature = (typeof FEATURES)[number];
export type Source = "tool" | "user";

export interface DetectorWeights {
  version: 1;
  /** Window size and stride in characters of the original text. */
  window: { size: number; stride: number };
  /** Most a family's summed strength counts in one window. */
  cap: number;
  bias: number;
  weights: Record<Feature, number>;
  /** Multipliers per family for user input (people may legitimately ask the assistant to send, call, etc.). */
  userMultipliers: Partial<Record<Family, number>>;
  thresholds: { suspicious: number; injected: number };
  embedding: {
    /** Windows whose rule score is at least this (and below `injected`) get their candidate sentences embedded. */
    floor: number;
    /** Most sentences embedded per scan. */
    maxSentences: number;
    /** Feature = clamp((attack similarity - benign similarity - offset) * scale, min, max). */
    offset: number;
    scale: number;
    min: number;
    max: number;
  };
  /** How the weights were made (informational). */
  training?: Record<string, unknown>;
}

/** The weights shipped with the detector. */
export function defaultWeights(): DetectorWeights {
  const file = new URL("./weights.json", import.meta.url);
  return JSON.parse(fs.readFileSync(file, "utf8")) as DetectorWeights;
}

export interface Window {
  index: number;
  start: number;
  end: number;
  /** Feature values (capped family sums, then the embedding feature), in `FEATURES` order. */
  features: number[];
  /** Hits whose start lies in the window. */
  hits: RuleHit[];
  logit: number;
  score: number;
}

export const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
const FAMILY_INDEX = new Map<string, number>(FEATURES.map((f, i) => [f, i]));
export const EMBEDDING_INDEX = FEATURES.indexOf("embedding");

/** Windows (only those holding at least one hit) with their features; logits are filled by `scoreWindows`. */
export function buildWindows(hits: RuleHit[], textLength: number, weights: DetectorWeights): Window[] {
  const { size, stride } = weights.window;
  const byIndex = new Map<number, Window>();
  const last = Math.max(0, Math.ceil(Math.max(0, textLength - size) / stride));
  for (const hit of hits) {
    const first = Math.max(0, Math.floor((hit.start - size) / stride) + 1);
    const lastFor = Math.min(last, Math.floor(hit.start / stride));
    for (let k = first; k <= lastFor; k++) {
      let w = byIndex.get(k);
      if (!w) {
        w = { index: k, start: k * stride, end: Math.min(textLength, k * stride + size), features: new Array<number>(FEATURES.length).fill(0), hits: [], logit: 0, score: 0 };
        byIndex.set(k, w);
      }
      w.hits.push(hit);
    }
  }
  const windows = [...byIndex.values()].sort((a, b) => a.index - b.index);
  for (const w of windows) {
    // A rule counts once per window (its strongest hit): a list of twenty "Transfer to ..." lines is one signal.
    const perRule = new Map<string, RuleHit>();
    for (const h of w.hits) {
      const prev = perRule.get(h.rule);
      if (!prev || h.strength > prev.strength) perRule.set(h.rule, h);
    }
    for (const h of perRule.values()) w.features[FAMILY_INDEX.get(h.family)!]! += h.strength;
    for (let i = 0; i < FAMILIES.length; i++) w.features[i] = Math.min(weights.cap, w.features[i]!);
  }
  return windows;
}

/** Per-feature multipliers for a source. */
export function sourceMultipliers(weights: DetectorWeights, source: Source): number[] {
  return FEATURES.map((f) => (source === "user" ? (weights.userMultipliers[f as Family] ?? 1) : 1));
}

export function logitOf(features: number[], weights: DetectorWeights, multipliers: number[]): number {
  let z = weights.bias;
  for (let i = 0; i < FEATURES.length; i++) z += weights.weights[FEATURES[i]!] * multipliers[i]! * features[i]!;
  return z;
}

export function scoreWindows(windows: Window[], weights: DetectorWeights, source: Source): void {
  const mult = sourceMultipliers(weights, source);
  for (const w of windows) {
    w.logit = logitOf(w.features, weights, mult);
    w.score = sigmoid(w.logit);
  }
}

/** The embedding feature from a similarity margin (attack minus benign). */
export function embeddingFeature(margin: number, weights: DetectorWeights): number {
  const e = weights.embedding;
  return Math.max(e.min, Math.min(e.max, (margin - e.offset) * e.scale));
}
