/**
 * Finds every rule hit in a text: the regular-expression rules and pairs of `rules.ts` over the normalised
 * view, the same rules over the de-leeted view, and the computed "hidden text" checks (zero-width characters
 * inside words, Unicode tag characters, base64/hex blobs that decode to instructions, HTML comments and
 * CSS-hidden elements that speak to the reader). Synchronous, pure and linear in the text length.
 */
import { deleet, normalize, originalSpan, type NormalizedText } from "./normalize.js";
import { CUE_PATTERN, PAIR_RULES, RULES, type Family, type Rule, type RuleHit } from "./rules.js";

const EXCERPT = 80;
/** Blobs decoded per text, and the largest decoded, so a megabyte of base64 costs nothing extra. */
const MAX_BLOBS = 16;
const MAX_BLOB_CHARS = 8192;

function excerpt(raw: string, start: number, end: number): string {
  const text = raw.slice(start, end).replace(/\s+/g, " ").trim();
  return text.length > EXCERPT ? `${text.slice(0, EXCERPT - 1)}…` : text;
}

function pushHit(hits: RuleHit[], raw: string, rule: Pick<Rule, "id" | "family">, strength: number, start: number, end: number): void {
  if (strength <= 0 || end <= start) return;
  hits.push({ rule: rule.id, family: rule.family, strength, start, end, excerpt: excerpt(raw, start, end) });
}

/** Leading separators that some patterns match to anchor a sentence start. */
const LEAD = /^[\s.!?:;>\]]+/;

function runRules(raw: string, norm: NormalizedText, view: string, rules: Rule[], hits: RuleHit[]): void {
  for (const rule of rules) {
    const re = rule.pattern;
    const text = rule.view === "raw" ? raw : view;
    re.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = re.exec(text))) {
      if (m[0].length === 0) {
        re.lastIndex++;
        continue;
      }
      const lead = LEAD.exec(m[0])?.[0].length ?? 0;
      const s = m.index + lead;
      const e = m.index + m[0].length;
      const span = rule.view === "raw" ? { start: s, end: e } : originalSpan(norm, s, e);
      const strength = rule.strength * (rule.adjust ? rule.adjust(raw, span.start, span.end) : 1);
      pushHit(hits, raw, rule, strength, span.start, span.end);
    }
  }
}

interface Match {
  start: number;
  end: number;
}

function allMatches(re: RegExp, text: string): Match[] {
  const out: Match[] = [];
  re.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    if (m[0].length === 0) {
      re.lastIndex++;
      continue;
    }
    out.push({ start: m.index, end: m.index + m[0].length });
  }
  return out;
}

/** First index in sorted `values` that is >= x. */
function lowerBound(values: number[], x: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (values[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function runPairs(raw: string, norm: NormalizedText, view: string, hits: RuleHit[]): void {
  // Sentence ends in the normalised view: ". ", "! ", "? " (an e-mail's or URL's dots are not followed by a
  // space), and record boundaries of structured output ("{", "}"): a pair never spans two records.
  const ends: number[] = [];
  for (let i = 0; i < view.length; i++) {
    const c = view[i];
    if (((c === "." || c === "!" || c === "?") && (i + 1 === view.length || view[i + 1] === " ")) || c === "{" || c === "}") ends.push(i);
  }
  for (const pair of PAIR_RULES) {
    const firsts = allMatches(pair.first, view);
    if (firsts.length === 0) continue;
    const thens = allMatches(pair.then, view);
    if (thens.length === 0) continue;
    const thenStarts = thens.map((t) => t.start);
    for (const f of firsts) {
      const j = lowerBound(thenStarts, f.end);
      const t = thens[j];
      if (!t || t.start - f.end > pair.within) continue;
      const k = lowerBound(ends, f.end);
      if (k < ends.length && ends[k]! < t.start) continue; // a sentence ends in between
      const span = originalSpan(norm, f.start, t.end);
      pushHit(hits, raw, pair, pair.strength, span.start, span.end);
    }
  }
}

const LEET_FAMILIES = new Set<Family>(["override", "role", "prompt_leak", "address", "impersonation"]);
const LEET_RULES = RULES.filter((r) => r.view === "norm" && LEET_FAMILIES.has(r.family));

function countCues(text: string): number {
  const re = new RegExp(CUE_PATTERN.source, "g");
  let n = 0;
  while (re.exec(text)) n++;
  return n;
}

/** Families that make decoded or hidden text an instruction rather than data. */
const STRONG = new Set<Family>(["override", "role", "address", "impersonation", "preempt", "secrecy", "exfil", "tool", "prompt_leak", "dos"]);

function decodedText(blob: string, kind: "base64" | "hex"): string | undefined {
  let text: string;
  try {
    text = Buffer.from(blob, kind).toString("utf8");
  } catch {
    return undefined;
  }
  if (text.length < 12) return undefined;
  let printable = 0;
  let spaces = 0;
  for (const ch of text) {
    const c = ch.charCodeAt(0);
    if ((c >= 0x20 && c < 0x7f) || c === 0x0a || c === 0x0d || c === 0x09 || c > 0xa0) printable++;
    if (c === 0x20) spaces++;
  }
  return printable / text.length >= 0.95 && spaces >= 2 && /[a-z]{3}/i.test(text) ? text : undefined;
}

function hiddenChecks(raw: string, norm: NormalizedText, hits: RuleHit[], depth: number): void {
  const inv = norm.invisible;
  if (inv.insideWords > 0) {
    pushHit(hits, raw, { id: "hidden.zero_width", family: "hidden" }, inv.insideWords >= 3 ? 1.5 : 0.5, inv.first, inv.last);
  }
  if (norm.tagText) {
    const { text, start, end } = norm.tagText;
    pushHit(hits, raw, { id: "hidden.tag_characters", family: "hidden" }, text.trim().length >= 4 ? 2.5 : 1, start, end);
  }
  // Encoded blobs that decode to instructions.
  if (depth === 0) {
    let blobs = 0;
    const blobRe = /[A-Za-z0-9+/]{24,}={0,2}|(?:[0-9a-fA-F]{2}){16,}/g;
    let m: RegExpExecArray | null;
    while ((m = blobRe.exec(raw)) && blobs < MAX_BLOBS) {
      const blob = m[0];
      if (blob.length > MAX_BLOB_CHARS * 2) continue;
      blobs++;
      const kind = /^[0-9a-fA-F]+$/.test(blob) && blob.length % 2 === 0 ? "hex" : "base64";
      const decoded = decodedText(blob, kind) ?? (kind === "hex" ? decodedText(blob, "base64") : undefined);
      if (!decoded) continue;
      const inner = findHits(decoded, depth + 1);
      const strong = inner.filter((h) => STRONG.has(h.family));
      const start = m.index;
      const end = m.index + blob.length;
      if (strong.reduce((a, h) => a + h.strength, 0) >= 1.5) {
        // The decoded instruction counts like plain text would, on the blob's span, and hiding it counts too.
        pushHit(hits, raw, { id: "hidden.encoded_instruction", family: "hidden" }, 2, start, end);
        for (const h of strong) pushHit(hits, raw, { id: h.rule, family: h.family }, h.strength, start, end);
      } else pushHit(hits, raw, { id: "hidden.encoded_text", family: "hidden" }, 0.5, start, end);
    }
  }
  // HTML comments and CSS-hidden elements that talk to the reader.
  const comment = /<!--([\s\S]{0,4000}?)-->/g;
  let m: RegExpExecArray | null;
  while ((m = comment.exec(raw))) {
    if (countCues(normalize(m[1]!).text) >= 2) pushHit(hits, raw, { id: "hidden.html_comment", family: "hidden" }, 1.2, m.index, m.index + m[0].length);
  }
  const hiddenElement =
    /<([a-z][a-z0-9]{0,10})\b[^>]{0,300}?(?:display\s*:\s*none|visibility\s*:\s*hidden|font-size\s*:\s*0(?![.\d]*[1-9])|opacity\s*:\s*0(?![.\d]*[1-9])|color\s*:\s*(?:#fff(?:fff)?\b|white\b|transparent)|\shidden(?=[\s>/])|aria-hidden\s*=\s*["']true)[^>]{0,300}>([\s\S]{0,4000}?)<\/\1\s*>/gi;
  while ((m = hiddenElement.exec(raw))) {
    if (countCues(normalize(m[2]!).text) >= 2) pushHit(hits, raw, { id: "hidden.css_hidden_text", family: "hidden" }, 1.5, m.index, m.index + m[0].length);
  }
}

/** Every rule hit in `raw`, sorted by position; `depth` > 0 when scanning decoded text. */
export function findHits(raw: string, depth = 0): RuleHit[] {
  const norm = normalize(raw);
  const hits: RuleHit[] = [];
  runRules(raw, norm, norm.text, RULES, hits);
  runPairs(raw, norm, norm.text, hits);
  const leet = deleet(norm.text);
  if (leet) {
    const extra: RuleHit[] = [];
    runRules(raw, norm, leet, LEET_RULES, extra);
    for (const h of extra) {
      if (hits.some((o) => o.rule === h.rule && o.start < h.end && h.start < o.end)) continue;
      hits.push(h);
      pushHit(hits, raw, { id: "hidden.leetspeak", family: "hidden" }, 1, h.start, h.end);
    }
  }
  if (norm.tagText && depth === 0) {
    // Text smuggled in tag characters: scan it too and report the hits on the invisible run.
    for (const h of findHits(norm.tagText.text, depth + 1)) {
      pushHit(hits, raw, { id: h.rule, family: h.family }, h.strength, norm.tagText.start, norm.tagText.end);
    }
  }
  hiddenChecks(raw, norm, hits, depth);
  return hits.sort((a, b) => a.start - b.start || a.end - b.end);
}
