/**
 * Offline prompt-injection detector for tool outputs and user input (no network).
 *
 *   const detector = await createInjectionDetector();
 *   const result = await detector.scan(toolOutput, { source: "tool" });
 *   // { score: 0.97, verdict: "injected", reasons: ["override: ..."], spans: [{ start, end, rule }] }
 *   const { text, action, decision } = applyPolicy(toolOutput, result, "strip");
 *
 * Layers (see the files beside this one):
 * 1. rules (`rules.ts`, `scan-text.ts`) over a normalised view of the text (`normalize.ts`): instruction
 *    overrides, role set-ups, text addressed to the AI, impersonation, task pre-emption, secrecy,
 *    exfiltration verbs + destinations, tool-call imperatives, planted TODOs, fake markup, hidden or encoded
 *    text, denial of service, abuse, prompt leaks;
 * 2. a logistic score over per-family sums in overlapping windows of the text (`score.ts`, weights in
 *    `weights.json`, fitted on the AgentDojo dev split by `train.ts`), so cost is linear and an injection in the
 *    middle of a long output is scored on its own neighbourhood;
 * 3. embedding similarity (offline USE-Lite) of a few candidate sentences to attack exemplars written for this
 *    project (`exemplars.ts`), minus their similarity to benign operations text. Only windows the rules find
 *    ambiguous are embedded, at most `embedding.maxSentences` sentences per scan; exemplar vectors are
 *    computed once per process and kept in the on-disk embedding cache.
 *
 * Verdicts: `injected` at score >= thresholds.injected, `suspicious` at >= thresholds.suspicious, else `clean`.
 * For user input (`source: "user"`) families that are normal in a request (send, call a tool, do it now) weigh
 * less, while overrides, persona set-ups, impersonation, prompt leaks and hidden text weigh the same.
 */
import type { Embeddings } from "@langchain/core/embeddings";
import { offlineEmbeddings } from "../../embeddings/use-lite.js";
import { CachedEmbeddings } from "../../retrieval/embedding-cache.js";
import { ATTACK_EXEMPLARS, BENIGN_EXEMPLARS } from "./exemplars.js";
import { CUE_PATTERN, type RuleHit } from "./rules.js";
import { findHits } from "./scan-text.js";
import { EMBEDDING_INDEX, buildWindows, defaultWeights, embeddingFeature, scoreWindows, sigmoid, type DetectorWeights, type Source, type Window } from "./score.js";
import { sentences, type Range } from "./segments.js";

export { applyPolicy, type Policy, type PolicyAction, type PolicyDecision, type PolicyOutcome, type PolicyOptions } from "./policy.js";
export type { Source } from "./score.js";

export type Verdict = "clean" | "suspicious" | "injected";

export interface InjectionSpan {
  start: number;
  end: number;
  rule: string;
}

export interface ScanResult {
  /** 0..1, the worst window's score. */
  score: number;
  verdict: Verdict;
  /** Why, strongest first: `family: rule "excerpt"`. Empty when clean. */
  reasons: string[];
  /** Rule hits in the windows that scored at least `suspicious`, as offsets into the scanned text. */
  spans: InjectionSpan[];
}

export interface ScanOptions {
  source: Source;
}

export interface InjectionDetectorOptions {
  /**
   * Embedding model for the similarity layer; `false` for rules only.
   * @default the offline USE-Lite model; exemplar vectors kept in the disk cache under `cacheDir`
   */
  embeddings?: Embeddings | false;
  /** Disk cache of exemplar vectors. @default `dataDir()/embeddings` */
  cacheDir?: string;
  /** Weights and thresholds. @default `weights.json` */
  weights?: DetectorWeights;
  /** Overrides of the weights' thresholds. */
  thresholds?: Partial<DetectorWeights["thresholds"]>;
}

export interface InjectionDetector {
  scan(text: string, options?: ScanOptions): Promise<ScanResult>;
  /** Rules only, synchronous (no embedding layer). */
  scanRules(text: string, options?: ScanOptions): ScanResult;
  readonly weights: DetectorWeights;
  /** Sentences embedded so far (for tests and benchmarks). */
  readonly stats: { scans: number; embeddedSentences: number; embeddingCalls: number };
}

export interface ExemplarVectors {
  attack: Float32Array[];
  benign: Float32Array[];
}

const exemplarCache = new WeakMap<Embeddings, Promise<ExemplarVectors>>();

function unit(v: number[]): Float32Array {
  let n = 0;
  for (const x of v) n += x * x;
  const s = n > 0 ? 1 / Math.sqrt(n) : 0;
  return Float32Array.from(v, (x) => x * s);
}

function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

/** Unit vectors of the exemplars for `model`, computed once per process (through `forExemplars`, e.g. a disk cache). */
export function exemplarVectors(model: Embeddings, forExemplars: Embeddings = model): Promise<ExemplarVectors> {
  let p = exemplarCache.get(model);
  if (!p) {
    p = forExemplars.embedDocuments([...ATTACK_EXEMPLARS, ...BENIGN_EXEMPLARS]).then((vs) => ({
      attack: vs.slice(0, ATTACK_EXEMPLARS.length).map(unit),
      benign: vs.slice(ATTACK_EXEMPLARS.length).map(unit),
    }));
    p.catch(() => exemplarCache.delete(model));
    exemplarCache.set(model, p);
  }
  return p;
}

/** Similarity margin of one vector: nearest attack exemplar minus nearest benign exemplar. */
export function similarityMargin(vector: number[], exemplars: ExemplarVectors): { margin: number; attack: number; benign: number } {
  const v = unit(vector);
  let attack = -1;
  let benign = -1;
  for (const e of exemplars.attack) attack = Math.max(attack, dot(v, e));
  for (const e of exemplars.benign) benign = Math.max(benign, dot(v, e));
  return { margin: attack - benign, attack, benign };
}

interface Candidate extends Range {
  text: string;
  rank: number;
}

const MAX_CANDIDATE_CHARS = 300;

/** Sentences worth embedding in the ambiguous windows: those holding a rule hit or several cue words. */
export function candidateSentences(raw: string, windows: Window[], max: number): Candidate[] {
  if (windows.length === 0 || max <= 0) return [];
  const lo = Math.min(...windows.map((w) => w.start));
  const hi = Math.max(...windows.map((w) => w.end));
  const hits = windows.flatMap((w) => w.hits).filter((h) => h.family !== "imperative");
  const out: Candidate[] = [];
  for (const s of sentences(raw)) {
    if (s.end <= lo || s.start >= hi) continue;
    if (!windows.some((w) => s.start < w.end && w.start < s.end)) continue;
    const inside = hits.filter((h) => h.start < s.end && s.start < h.end);
    let text = raw.slice(s.start, s.end);
    const cueText = text.toLowerCase();
    const cues = cueText.match(new RegExp(CUE_PATTERN.source, "g"))?.length ?? 0;
    if (inside.length === 0 && cues < 2) continue;
    if (text.length > MAX_CANDIDATE_CHARS) {
      const centre = inside.length > 0 ? inside[0]!.start - s.start : 0;
      const from = Math.max(0, Math.min(text.length - MAX_CANDIDATE_CHARS, centre - 60));
      text = text.slice(from, from + MAX_CANDIDATE_CHARS);
    }
    text = text.replace(/\\[ntr]/g, " ").replace(/\s+/g, " ").trim();
    if (text.length < 12) continue;
    out.push({ ...s, text, rank: inside.reduce((a, h) => a + h.strength, 0) + 0.1 * cues });
  }
  return out.sort((a, b) => b.rank - a.rank).slice(0, max);
}

/**
 * Embeds the candidate sentences of `windows` (at most `weights.embedding.maxSentences`, one model call) and
 * sets each window's embedding feature from its most attack-like sentence. Windows must be re-scored after.
 */
export async function addEmbeddingFeature(
  text: string,
  windows: Window[],
  model: Embeddings,
  exemplars: ExemplarVectors,
  weights: DetectorWeights,
): Promise<{ sentences: number; best?: { margin: number; text: string } }> {
  const candidates = candidateSentences(text, windows, weights.embedding.maxSentences);
  if (candidates.length === 0) return { sentences: 0 };
  const vectors = await model.embedDocuments(candidates.map((c) => c.text));
  let best: { margin: number; text: string } | undefined;
  const seen = new Set<Window>();
  candidates.forEach((c, i) => {
    const { margin } = similarityMargin(vectors[i]!, exemplars);
    if (!best || margin > best.margin) best = { margin, text: c.text };
    const f = embeddingFeature(margin, weights);
    for (const w of windows) {
      if (!(c.start < w.end && w.start < c.end)) continue;
      w.features[EMBEDDING_INDEX] = seen.has(w) ? Math.max(w.features[EMBEDDING_INDEX]!, f) : f;
      seen.add(w);
    }
  });
  return { sentences: candidates.length, ...(best ? { best } : {}) };
}

function describe(hit: RuleHit): string {
  return `${hit.family}: ${hit.rule} "${hit.excerpt}"`;
}

/** Turns scored windows into the public result. */
export function summarize(windows: Window[], weights: DetectorWeights, extraReasons: string[] = []): ScanResult {
  const { suspicious, injected } = weights.thresholds;
  const score = windows.reduce((a, w) => Math.max(a, w.score), sigmoid(weights.bias));
  const verdict: Verdict = score >= injected ? "injected" : score >= suspicious ? "suspicious" : "clean";
  if (verdict === "clean") return { score, verdict, reasons: [], spans: [] };
  const flagged = windows.filter((w) => w.score >= suspicious);
  const seen = new Set<string>();
  const hits: RuleHit[] = [];
  for (const w of flagged) {
    for (const h of w.hits) {
      const key = `${h.rule}:${h.start}:${h.end}`;
      if (seen.has(key)) continue;
      seen.add(key);
      hits.push(h);
    }
  }
  const ranked = [...hits].sort((a, b) => weights.weights[b.family] * b.strength - weights.weights[a.family] * a.strength);
  const reasons: string[] = [];
  const reasonRules = new Set<string>();
  for (const h of ranked) {
    if (reasonRules.has(h.rule)) continue;
    reasonRules.add(h.rule);
    reasons.push(describe(h));
  }
  reasons.push(...extraReasons);
  const spans = hits.sort((a, b) => a.start - b.start || a.end - b.end).map((h) => ({ start: h.start, end: h.end, rule: h.rule }));
  return { score, verdict, reasons, spans };
}

export async function createInjectionDetector(options: InjectionDetectorOptions = {}): Promise<InjectionDetector> {
  const base = options.weights ?? defaultWeights();
  const weights: DetectorWeights = { ...base, thresholds: { ...base.thresholds, ...options.thresholds } };
  let model: Embeddings | undefined;
  let exemplars: ExemplarVectors | undefined;
  if (options.embeddings !== false) {
    model = options.embeddings ?? offlineEmbeddings();
    const forExemplars =
      options.embeddings === undefined ? new CachedEmbeddings({ embeddings: model, modelId: "use-lite@0.2.0", ...(options.cacheDir ? { dir: options.cacheDir } : {}) }) : model;
    exemplars = await exemplarVectors(model, forExemplars);
  }
  const stats = { scans: 0, embeddedSentences: 0, embeddingCalls: 0 };

  const ruleWindows = (text: string, source: Source): Window[] => {
    const windows = buildWindows(findHits(text), text.length, weights);
    scoreWindows(windows, weights, source);
    return windows;
  };

  return {
    weights,
    stats,
    scanRules(text, scanOptions = { source: "tool" }) {
      stats.scans++;
      return summarize(ruleWindows(text, scanOptions.source), weights);
    },
    async scan(text, scanOptions = { source: "tool" }) {
      stats.scans++;
      const source = scanOptions.source;
      const windows = ruleWindows(text, source);
      const extra: string[] = [];
      const e = weights.embedding;
      if (model && exemplars && e.maxSentences > 0) {
        const top = windows.reduce((a, w) => Math.max(a, w.score), 0);
        const ambiguous = top < weights.thresholds.injected ? windows.filter((w) => w.score >= e.floor) : [];
        const embedded = await addEmbeddingFeature(text, ambiguous, model, exemplars, weights);
        if (embedded.sentences > 0) {
          stats.embeddingCalls++;
          stats.embeddedSentences += embedded.sentences;
          scoreWindows(windows, weights, source);
          if (embedded.best && embeddingFeature(embedded.best.margin, weights) > 0) {
            extra.push(`embedding: close to known attack wording (margin ${embedded.best.margin.toFixed(3)}) "${embedded.best.text.slice(0, 80)}"`);
          }
        }
      }
      return summarize(windows, weights, extra);
    },
  };
}
