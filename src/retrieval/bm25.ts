/**
 * Keyword ranking for tool retrieval: BM25F (BM25 over weighted fields) with a tokenizer made for tool names.
 *
 * Tool names are identifiers (`get_customer`, `GroupsApi.create_group_mapping`, `Weather_1_GetWeather`), so the
 * tokenizer splits snake_case, camelCase, dotted and digit boundaries before lower-casing; words are then
 * stemmed lightly (Porter's steps 1, 2, 3 and 5: plurals, -ed/-ing, -ational/-ization..., final -e; not step 4,
 * which strips -ent, -ive, -ment... and merges too many words).
 *
 * Fields (name, description, parameters, examples) are weighted: a query word found in the name counts more
 * than one found in a parameter description. Term weights per document are precomputed at build time, so a
 * query costs one pass over the postings of its words.
 */

const STOPWORDS = new Set(
  (
    "a an and are as at be been being but by can could did do does doing for from had has have having he her " +
    "here hers him his how i if in into is it its itself just me might my no nor not of off on once only or " +
    "other our ours out over own please same she should so some such than that the their theirs them then " +
    "there these they this those through to too under until up very was we were what when where which while " +
    "who whom why will with would you your yours yourself also about am any each few more most let lets " +
    "want need i'm im get given using use used"
  ).split(" "),
);
// "get", "given", "use" and "using" carry no meaning in tool descriptions ("Get the ...", "given its id").

/** Splits identifiers and prose into lower-case, stemmed words (stopwords, single letters and numbers dropped). */
export function tokenize(text: string): string[] {
  const spaced = text
    .replace(/([a-z])([A-Z])/g, "$1 $2") // camelCase -> camel Case
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2") // HTTPServer -> HTTP Server
    .replace(/([A-Za-z])([0-9])/g, "$1 $2") // v2 -> v 2
    .replace(/([0-9])([A-Za-z])/g, "$1 $2")
    .toLowerCase();
  const out: string[] = [];
  for (const raw of spaced.split(/[^\p{L}\p{N}]+/u)) {
    if (raw.length < 2 || /^\p{N}+$/u.test(raw) || STOPWORDS.has(raw)) continue;
    out.push(stem(raw));
  }
  return out;
}

export interface Bm25Options {
  /** Term-frequency saturation. @default 1.2 */
  k1?: number;
  /** Length normalization (0 = none, 1 = full). @default 0.75 */
  b?: number;
}

export interface Bm25Document<F extends string> {
  /** Text per field; a missing field is empty. */
  fields: Partial<Record<F, string>>;
}

/** A BM25F index over a fixed set of documents, addressed by position. */
export class Bm25Index<F extends string = string> {
  readonly k1: number;
  readonly b: number;
  private readonly postings = new Map<string, { doc: number; weight: number }[]>();
  private readonly idf = new Map<string, number>();
  readonly size: number;

  /**
   * @param docs documents in ranking order (ties keep this order)
   * @param fieldWeights weight of each field, e.g. `{ name: 3, description: 1.5, parameters: 1 }`; fields not
   *   listed weigh 1
   */
  constructor(docs: Bm25Document<F>[], fieldWeights: Partial<Record<F, number>> = {}, options: Bm25Options = {}) {
    this.k1 = options.k1 ?? 1.2;
    this.b = options.b ?? 0.75;
    this.size = docs.length;
    const tokenized = docs.map((d) => {
      const out: Partial<Record<F, string[]>> = {};
      for (const [field, text] of Object.entries(d.fields) as [F, string | undefined][]) out[field] = tokenize(text ?? "");
      return out;
    });
    const fields = [...new Set(tokenized.flatMap((t) => Object.keys(t) as F[]))];
    const avgLen = new Map<F, number>();
    for (const f of fields) {
      const total = tokenized.reduce((sum, t) => sum + (t[f]?.length ?? 0), 0);
      avgLen.set(f, Math.max(total / Math.max(docs.length, 1), 1));
    }
    const df = new Map<string, number>();
    tokenized.forEach((t, doc) => {
      // BM25F: per-field length-normalized term frequencies, weighted and summed before saturation.
      const tf = new Map<string, number>();
      for (const f of fields) {
        const words = t[f] ?? [];
        if (words.length === 0) continue;
        const weight = fieldWeights[f] ?? 1;
        const norm = 1 - this.b + this.b * (words.length / avgLen.get(f)!);
        for (const w of words) tf.set(w, (tf.get(w) ?? 0) + weight / norm);
      }
      for (const [term, freq] of tf) {
        df.set(term, (df.get(term) ?? 0) + 1);
        let list = this.postings.get(term);
        if (!list) this.postings.set(term, (list = []));
        list.push({ doc, weight: (freq * (this.k1 + 1)) / (freq + this.k1) });
      }
    });
    for (const [term, n] of df) this.idf.set(term, Math.log(1 + (docs.length - n + 0.5) / (n + 0.5)));
  }

  /**
   * Scores every document for `query`; `allowed` (by position) restricts scoring to those documents, others
   * score 0. Returns one score per document.
   */
  scores(query: string | string[], allowed?: (doc: number) => boolean): Float64Array {
    const out = new Float64Array(this.size);
    for (const term of new Set(typeof query === "string" ? tokenize(query) : query)) {
      const idf = this.idf.get(term);
      if (idf === undefined) continue;
      for (const p of this.postings.get(term)!) {
        if (allowed && !allowed(p.doc)) continue;
        out[p.doc]! += idf * p.weight;
      }
    }
    return out;
  }

  /**
   * The score a document matching every query word as strongly as possible would get (sum of the idf of the
   * known query words, times the saturation ceiling k1 + 1). Dividing by it puts scores on a 0..1 scale
   * comparable across queries (the share of the query's information a tool's text covers).
   */
  ceiling(query: string | string[]): number {
    let total = 0;
    for (const term of new Set(typeof query === "string" ? tokenize(query) : query)) total += this.idf.get(term) ?? 0;
    return total * (this.k1 + 1);
  }

  /** Top `k` documents by score (score > 0), best first; ties keep document order. */
  top(query: string | string[], k: number, allowed?: (doc: number) => boolean): { doc: number; score: number }[] {
    const scores = this.scores(query, allowed);
    const hits: { doc: number; score: number }[] = [];
    scores.forEach((score, doc) => {
      if (score > 0) hits.push({ doc, score });
    });
    hits.sort((a, b) => b.score - a.score || a.doc - b.doc);
    return hits.slice(0, k);
  }
}

// ---- Porter stemmer, steps 1, 2, 3 and 5 (M. F. Porter, 1980). Step 4 strips -ent/-ive/-ment: too much. ----

function isConsonant(w: string, i: number): boolean {
  const c = w[i]!;
  if ("aeiou".includes(c)) return false;
  if (c === "y") return i === 0 ? true : !isConsonant(w, i - 1);
  return true;
}

/** Porter's m: the number of vowel-consonant sequences in `w`. */
function measure(w: string): number {
  let m = 0;
  let i = 0;
  const n = w.length;
  while (i < n && isConsonant(w, i)) i++;
  while (i < n) {
    while (i < n && !isConsonant(w, i)) i++;
    if (i >= n) break;
    while (i < n && isConsonant(w, i)) i++;
    m++;
  }
  return m;
}

function hasVowel(w: string): boolean {
  for (let i = 0; i < w.length; i++) if (!isConsonant(w, i)) return true;
  return false;
}

function endsDoubleConsonant(w: string): boolean {
  const n = w.length;
  return n >= 2 && w[n - 1] === w[n - 2] && isConsonant(w, n - 1);
}

/** consonant-vowel-consonant ending, last not w, x or y (hop, not hoop or snow). */
function endsCvc(w: string): boolean {
  const n = w.length;
  if (n < 3) return false;
  if (!isConsonant(w, n - 1) || isConsonant(w, n - 2) || !isConsonant(w, n - 3)) return false;
  return !"wxy".includes(w[n - 1]!);
}

const STEP2: [string, string][] = [
  ["ational", "ate"], ["tional", "tion"], ["enci", "ence"], ["anci", "ance"], ["izer", "ize"], ["abli", "able"],
  ["alli", "al"], ["entli", "ent"], ["eli", "e"], ["ousli", "ous"], ["ization", "ize"], ["ation", "ate"],
  ["ator", "ate"], ["alism", "al"], ["iveness", "ive"], ["fulness", "ful"], ["ousness", "ous"], ["aliti", "al"],
  ["iviti", "ive"], ["biliti", "ble"],
];
const STEP3: [string, string][] = [
  ["icate", "ic"], ["ative", ""], ["alize", "al"], ["iciti", "ic"], ["ical", "ic"], ["ful", ""], ["ness", ""],
];

function replaceSuffix(w: string, rules: [string, string][], minMeasure: number): string {
  for (const [suffix, replacement] of rules) {
    if (!w.endsWith(suffix)) continue;
    const stemPart = w.slice(0, -suffix.length);
    return measure(stemPart) > minMeasure ? stemPart + replacement : w;
  }
  return w;
}

/** Light stemming: Porter steps 1a-1c, 2, 3 and 5. Words of up to 3 letters are kept as they are. */
export function stem(word: string): string {
  let w = word;
  if (w.length <= 3 || !/^[a-z]+$/.test(w)) return w;
  // Step 1a: plurals.
  if (w.endsWith("sses")) w = w.slice(0, -2);
  else if (w.endsWith("ies")) w = w.slice(0, -2);
  else if (w.endsWith("ss")) {
    // keep
  } else if (w.endsWith("s")) w = w.slice(0, -1);
  // Step 1b: -eed, -ed, -ing.
  let fixup = false;
  if (w.endsWith("eed")) {
    if (measure(w.slice(0, -3)) > 0) w = w.slice(0, -1);
  } else if (w.endsWith("ed") && hasVowel(w.slice(0, -2))) {
    w = w.slice(0, -2);
    fixup = true;
  } else if (w.endsWith("ing") && hasVowel(w.slice(0, -3))) {
    w = w.slice(0, -3);
    fixup = true;
  }
  if (fixup) {
    if (w.endsWith("at") || w.endsWith("bl") || w.endsWith("iz")) w += "e";
    else if (endsDoubleConsonant(w) && !/[lsz]$/.test(w)) w = w.slice(0, -1);
    else if (measure(w) === 1 && endsCvc(w)) w += "e";
  }
  // Step 1c: y -> i after a vowel-bearing stem.
  if (w.endsWith("y") && hasVowel(w.slice(0, -1))) w = w.slice(0, -1) + "i";
  // Steps 2 and 3: derivational suffixes.
  w = replaceSuffix(w, STEP2, 0);
  w = replaceSuffix(w, STEP3, 0);
  // Step 5: a final -e and a double l, so "charge" and "charged" meet.
  if (w.endsWith("e")) {
    const m = measure(w.slice(0, -1));
    if (m > 1 || (m === 1 && !endsCvc(w.slice(0, -1)))) w = w.slice(0, -1);
  }
  if (w.endsWith("ll") && measure(w) > 1) w = w.slice(0, -1);
  return w;
}
