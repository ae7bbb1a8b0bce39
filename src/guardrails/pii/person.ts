/**
 * PERSON: rules and dictionaries, no model. A candidate is a run of capitalized words (initials and particles
 * such as "van" or "da" allowed inside) on one line; it is a name when there is evidence for it:
 *
 * - a cue before it: an honorific ("Mr.", "Dr.", "ms."), a phrase ("my name is", "call me", "dear", "says"),
 *   or a form/JSON label ("Name:", "name?", `"customer_name": "`, "User:"); or a speech verb after it ("X said");
 * - a given name from the dictionary as its first word (names that are also words, like "May" or "Grace", only
 *   with a second word), a surname from the dictionary or with a surname ending ("-ová", "-sson", "-ski",
 *   "-nen"...) as its last word, or a middle initial ("Soib K. Kishiev");
 * - one word alone needs a cue, an unambiguous given name, or a strong surname ending.
 *
 * Runs with an organisation word ("Inc", "Labs", "API", "Portal"), followed by a street type or a house number,
 * or made of app, calendar or sentence words are not names. Two propagation steps follow: "A and B" where one
 * side is a name makes the other a name, and a word of a found name is a name wherever else it appears.
 * All-lowercase text has no capitals to go by, so there only dictionary words and cued words count.
 */
import {
  AMBIGUOUS_FIRST,
  ORG_FORMS,
  APP_TERMS,
  COUNTRIES,
  FIRST_NAMES,
  fold,
  HONORIFICS,
  LAST_NAMES,
  NAME_PARTICLES,
  NOT_NAMES,
  ORG_WORDS,
  STREET_SUFFIXES,
  STRONG_SURNAME_ENDINGS,
  WEAK_SURNAME_ENDINGS,
} from "./lexicon.js";
import type { PiiSpan } from "./types.js";

interface Token {
  /** The word without a trailing "." or possessive "'s". */
  word: string;
  /** Folded (lower case, no diacritics): for the name dictionaries. */
  key: string;
  /** Lower case with diacritics: for the stop lists and surname endings ("Ján" is not "jan"). */
  lower: string;
  start: number;
  end: number;
  /** Ends with "." (initial, honorific or end of sentence). */
  dot: boolean;
  /** Position in the token list. */
  i: number;
}

const TOKEN_RE = /[\p{L}\p{M}]+(?:['’\-][\p{L}\p{M}]+)*\.?/gu;

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  for (const m of text.matchAll(TOKEN_RE)) {
    let word = m[0];
    let end = m.index + word.length;
    const dot = word.endsWith(".");
    if (dot) word = word.slice(0, -1);
    if (/['’]s$/.test(word) && word.length > 3) {
      word = word.slice(0, -2);
      if (!dot) end -= 2;
    }
    out.push({ word, key: fold(word), lower: word.toLowerCase(), start: m.index, end: dot ? end - 1 : end, dot, i: out.length });
  }
  return out;
}

const isCap = (w: string) => /^\p{Lu}/u.test(w) && /\p{Ll}/u.test(w);
const isInitial = (w: string) => /^\p{Lu}$/u.test(w);
const endsWithAny = (key: string, endings: readonly string[], minStem = 2) =>
  endings.some((e) => key.length >= e.length + minStem && key.endsWith(e));
const STRONG_ENDINGS = [...STRONG_SURNAME_ENDINGS];
const WEAK_ENDINGS = [...WEAK_SURNAME_ENDINGS];

const isStop = (lower: string) => NOT_NAMES.has(lower) || APP_TERMS.has(lower) || HONORIFICS.has(lower);
const isOrg = (t: Token) => ORG_WORDS.has(t.lower) || ORG_FORMS.has(t.word);
/** Street types that end a name run ("Inna Loop St."). */
const STREET_WORDS = new Set(["st", "rd", "ave", "blvd", "ln", "street", "road", "avenue", "boulevard", "lane", "drive", "terrace", "crescent", "parkway", "highway", "str"]);
const isFirst = (key: string) => FIRST_NAMES.has(key);
const isLast = (key: string) => LAST_NAMES.has(key);
const strongSurname = (lower: string) => endsWithAny(lower, STRONG_ENDINGS, 3) && !isStop(lower) && !COUNTRIES.has(fold(lower));
const weakSurname = (key: string) => endsWithAny(key, WEAK_ENDINGS, 3);

/** Phrases right before a name. */
const CUE_BEFORE = new RegExp(
  [
    String.raw`\b(?:my name is|name is|names are|named|called|call me|calls me|this is|i am|i'm|dear|hi|hello|hey|thanks|thank you|regards|sincerely|cheers|best|signed|attn|attention|c\/o|care of|says|said|asked|told|wrote|according to|account holder|cardholder|card holder|guardian|spouse|wife|husband|son|daughter|brother|sister|mother|father|friend|colleague|assistant to|speak to|speak with|talk to|ask for)\s*[,:]?\s*$`,
    String.raw`\bname\s*[?:=]\s*["']?\s*$`,
    String.raw`(?:^|[\s{,"'])(?:full_?name|first_?name|last_?name|surname|given_?name|customer_?name|contact_?name|holder_?name|user|username|customer|contact|patient|employee|author|owner|holder|beneficiary|recipient|sender|from|to|cc|attendee|guest|passenger)["']?\s*[:=]\s*["']?\s*$`,
  ].join("|"),
  "i",
);
const CUE_AFTER = /^(?:\s*,[^,\n]{1,60},)?\s*(?:said|says|wrote|asked|told|explained|added|replied)\b/i;

function lineBefore(text: string, at: number, n: number): string {
  const lineStart = text.lastIndexOf("\n", at - 1) + 1;
  let s = text.slice(Math.max(lineStart, at - n), at);
  if (!s.trim() && lineStart > 0) {
    // A label alone on the line above ("Name:\nJane Doe").
    const prevStart = text.lastIndexOf("\n", lineStart - 2) + 1;
    const prev = text.slice(prevStart, lineStart - 1);
    if (/[:?]\s*$/.test(prev)) s = prev;
  }
  return s;
}

interface Run {
  tokens: Token[];
  cue: boolean;
}

export function detectPersons(text: string): PiiSpan[] {
  const tokens = tokenize(text);
  if (tokens.length === 0) return [];
  const lowerMode = !/\p{Lu}/u.test(text);
  /** The run is all there is on its line (a letterhead or signature line). */
  const aloneOnLine = (start: number, end: number) => {
    const ls = text.lastIndexOf("\n", start - 1) + 1;
    const le = text.indexOf("\n", end);
    return !text.slice(ls, start).trim() && !text.slice(end, le < 0 ? text.length : le).trim();
  };
  const gapOk = (a: Token, b: Token) => /^[ \t]{1,2}$/.test(text.slice(a.end + (a.dot ? 1 : 0), b.start));

  // A token that can be part of a name.
  const nameLike = (t: Token): boolean => {
    if (isStop(t.lower) || isOrg(t) || STREET_WORDS.has(t.lower)) return false;
    if (lowerMode) return isFirst(t.key) || isLast(t.key) || strongSurname(t.lower) || /^\p{Ll}$/u.test(t.word);
    return isCap(t.word) || isInitial(t.word);
  };

  const runs: Run[] = [];
  for (let i = 0; i < tokens.length; ) {
    const t = tokens[i]!;
    if (!nameLike(t) || (isInitial(t.word) && !t.dot && !lowerMode && !(tokens[i + 1] && gapOk(t, tokens[i + 1]!)))) {
      i++;
      continue;
    }
    const run: Token[] = [t];
    let j = i + 1;
    while (j < tokens.length && run.length < 5) {
      const prev = run[run.length - 1]!;
      const next = tokens[j]!;
      if (!gapOk(prev, next)) break;
      // A dot ends the run unless it marks an initial ("Janka M. Szász").
      if (prev.dot && !isInitial(prev.word)) break;
      if (nameLike(next)) run.push(next);
      else if (NAME_PARTICLES.has(next.lower) && tokens[j + 1] && nameLike(tokens[j + 1]!) && gapOk(next, tokens[j + 1]!)) run.push(next);
      else break;
      j++;
    }
    runs.push({ tokens: run, cue: false });
    i = j;
  }

  const accepted: { start: number; end: number; score: number; run: Token[] }[] = [];
  const rejectedSingles: Token[][] = [];
  for (const run of runs) {
    let toks = run.tokens;
    // Trailing initials / particles are not part of the name.
    while (toks.length > 1 && (NAME_PARTICLES.has(toks[toks.length - 1]!.lower) || isInitial(toks[toks.length - 1]!.word))) toks = toks.slice(0, -1);
    const first = toks[0]!;
    const last = toks[toks.length - 1]!;
    const nextTok = tokens[last.i + 1];
    const followGap = nextTok ? text.slice(last.end + (last.dot ? 1 : 0), nextTok.start) : "";
    const after = text.slice(last.end, last.end + 80);
    // Organisations, streets and "Name 12" (house numbers) are not persons.
    if (nextTok && /^[ \t]+$/.test(followGap) && (isOrg(nextTok) || STREET_SUFFIXES.has(nextTok.lower))) continue;
    if (/^[ \t]+\d/.test(after) || /\d[ \t]+$/.test(text.slice(Math.max(0, first.start - 3), first.start))) continue;
    if (toks.some(isOrg)) continue;
    if (!lowerMode && toks.every((t) => !isCap(t.word))) continue;

    const prevTok = tokens[first.i - 1];
    const honorific = prevTok !== undefined && HONORIFICS.has(prevTok.lower) && /^\.?[ \t]+$/.test(text.slice(prevTok.end, first.start));
    const cue = honorific || CUE_BEFORE.test(lineBefore(text, first.start, 40)) || CUE_AFTER.test(after);
    const names = toks.filter((t) => !NAME_PARTICLES.has(t.lower) || t === first);
    const n = names.filter((t) => !isInitial(t.word)).length;
    const f = isFirst(first.key);
    const fa = AMBIGUOUS_FIRST.has(first.key);
    const l = isLast(last.key);
    const ls = strongSurname(last.lower);
    const lw = weakSurname(last.lower) && !isStop(last.lower);
    const middleInitial = toks.length >= 3 && toks.slice(1, -1).some((t) => isInitial(t.word));
    const lone = n === 1 && toks.length === 1;
    let score = 0;
    if (cue && !(lone && (COUNTRIES.has(first.key) || first.word.length < 2 || /ing$/.test(first.lower)))) score = 0.85;
    else if (n >= 2) {
      if (f && !fa) score = l || ls || lw ? 0.85 : 0.75;
      else if (f && fa && (l || ls || lw)) score = 0.7;
      else if ((l || ls) && !COUNTRIES.has(first.key) && !isInitial(first.word)) score = 0.7;
      else if (middleInitial) score = 0.7;
      else if ((lw || isLast(first.key)) && aloneOnLine(first.start, last.end)) score = 0.65;
    } else if (lone && !lowerMode) {
      if (ls) score = 0.6;
      else if (f && !fa && !COUNTRIES.has(first.key)) score = 0.6;
    } else if (lone && lowerMode) {
      if (f && !fa && ls) score = 0.6;
    }
    if (score > 0) accepted.push({ start: first.start, end: last.end, score, run: toks });
    else if (lone && isCap(first.word)) rejectedSingles.push(toks);
  }

  // "A and B": a capitalized word coordinated with a found name is a name; two lone words are names when one
  // of them is a dictionary surname ("Marrero and Murphy").
  const startsAt = new Map(accepted.map((a) => [a.start, a]));
  const endsAt = new Map(accepted.map((a) => [a.end, a]));
  const singleAt = new Map(rejectedSingles.map((t) => [t[0]!.start, t]));
  const usable = (t: Token) => t.word.length >= 3 && !COUNTRIES.has(t.key);
  const surnameLike = (t: Token) => isLast(t.key) || strongSurname(t.lower);
  for (const toks of rejectedSingles) {
    const t = toks[0]!;
    if (!usable(t)) continue;
    const right = /^[ \t]+(?:and|&|or)[ \t]+/.exec(text.slice(t.end, t.end + 8));
    const left = /[ \t]+(?:and|&|or)[ \t]+$/.exec(text.slice(Math.max(0, t.start - 8), t.start));
    const partner = (right && startsAt.get(t.end + right[0].length)) || (left && endsAt.get(t.start - left[0].length));
    if (partner) {
      accepted.push({ start: t.start, end: t.end, score: 0.5, run: toks });
      continue;
    }
    const other = right ? singleAt.get(t.end + right[0].length)?.[0] : undefined;
    if (other && usable(other) && (surnameLike(t) || surnameLike(other))) {
      accepted.push({ start: t.start, end: t.end, score: 0.5, run: toks });
      accepted.push({ start: other.start, end: other.end, score: 0.5, run: [other] });
    }
  }

  // All-lowercase text: the words right after a strong cue ("my name is lena andersson").
  if (lowerMode) {
    for (const m of text.matchAll(/\b(?:my name is|name is|call me|calls me|name:)[ \t]+(\p{Ll}[\p{Ll}\p{M}'\-]+(?:[ \t]+\p{Ll}\.?(?=[ \t]))?(?:[ \t]+\p{Ll}[\p{Ll}\p{M}'\-]+)?)/gu)) {
      const words = m[1]!.split(/[ \t]+/);
      while (words.length && isStop(words[words.length - 1]!.replace(/\.$/, ""))) words.pop();
      if (!words.length || isStop(words[0]!)) continue;
      const start = m.index + m[0].length - m[1]!.length;
      const end = start + words.join(" ").length;
      if (text.slice(start, end) !== words.join(" ")) continue;
      const covered = accepted.some((a) => a.start < end && start < a.end);
      if (!covered) accepted.push({ start, end, score: 0.8, run: tokens.filter((t) => t.start >= start && t.end <= end) });
    }
  }

  // A word of a found name is a name elsewhere in the text too ("Alvir ... Alvir D. Pušaver").
  const known = new Set(accepted.flatMap((a) => a.run.filter((t) => t.word.length >= 3 && !isInitial(t.word)).map((t) => t.key)));
  if (known.size > 0) {
    const covered = (t: Token) => accepted.some((a) => t.start >= a.start && t.end <= a.end);
    for (const t of tokens) {
      if (!known.has(t.key) || covered(t) || isStop(t.lower)) continue;
      if (!lowerMode && !isCap(t.word)) continue;
      accepted.push({ start: t.start, end: t.end, score: 0.5, run: [t] });
    }
  }

  return accepted
    .sort((a, b) => a.start - b.start)
    .map((a) => ({ type: "PERSON" as const, start: a.start, end: a.end, value: text.slice(a.start, a.end), score: a.score }));
}
