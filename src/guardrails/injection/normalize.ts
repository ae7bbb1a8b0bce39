/**
 * Text normalisation for the injection rules, with a map back to the original offsets so every rule hit can be
 * reported (and stripped) as a span of the text the caller gave.
 *
 * The normalised view is lower-case and folds the usual disguises:
 * - escaped control sequences of serialised tool output (`\n`, `\t`, `\"`, YAML line folding `\` + newline);
 * - invisible format characters (zero-width spaces and joiners, soft hyphens, bidi controls, variation
 *   selectors) are dropped and counted; Unicode "tag" characters (U+E0020-E007E, invisible ASCII look-alikes
 *   used to smuggle text) are dropped and decoded separately;
 * - compatibility forms and accents (NFKD, combining marks removed: full-width letters, "é" -> "e"), common
 *   Cyrillic/Greek look-alikes of Latin letters, smart quotes and dashes;
 * - numeric and a few named HTML entities;
 * - runs of whitespace become one space.
 *
 * `deleet` gives a second view for "1gn0r3 pr3v10us" style obfuscation: digits and symbols inside words that
 * also contain at least two letters read as the letters they imitate (same length, same offsets).
 */

export interface NormalizedText {
  /** The normalised text. */
  text: string;
  /** `offsets[i]` is the index in the original text of normalised character `i`; `offsets[text.length]` is the original length. */
  offsets: Int32Array;
  /** Invisible format characters dropped (zero-width, bidi controls, soft hyphens, variation selectors). */
  invisible: { count: number; first: number; last: number; insideWords: number };
  /** ASCII text smuggled as Unicode tag characters, with its span in the original. */
  tagText?: { text: string; start: number; end: number };
}

/** Look-alike letters (Cyrillic, Greek) that render like Latin ones. */
const CONFUSABLES: Record<string, string> = {
  а: "a", в: "b", е: "e", ё: "e", к: "k", м: "m", н: "h", о: "o", р: "p", с: "c", т: "t", у: "y", х: "x", ѕ: "s", і: "i", ј: "j", ԁ: "d", ӏ: "l", ԛ: "q", ԝ: "w",
  α: "a", β: "b", ε: "e", η: "n", ι: "i", κ: "k", ν: "v", ο: "o", ρ: "p", τ: "t", υ: "u", χ: "x", ς: "s",
  "‘": "'", "’": "'", "‚": "'", "‛": "'", "“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "―": "-", "−": "-",
};

const NAMED_ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " ", "#39": "'" };

function isInvisible(cp: number): boolean {
  return (
    cp === 0x00ad || // soft hyphen
    cp === 0x034f ||
    cp === 0x061c ||
    cp === 0x180e ||
    (cp >= 0x200b && cp <= 0x200f) || // zero-width space/joiners, LRM/RLM
    (cp >= 0x202a && cp <= 0x202e) || // bidi embeddings/overrides
    (cp >= 0x2060 && cp <= 0x2064) || // word joiner, invisible operators
    (cp >= 0x2066 && cp <= 0x2069) || // bidi isolates
    cp === 0xfeff ||
    (cp >= 0xfe00 && cp <= 0xfe0f) || // variation selectors
    (cp >= 0xe0100 && cp <= 0xe01ef) ||
    cp === 0xe0001 ||
    cp === 0xe007f
  );
}

const isSpace = (ch: string) => ch === " " || ch === "\n" || ch === "\t" || ch === "\r" || ch === "\f" || ch === "\v" || ch === "\u00a0" || ch === "\u3000" || (ch >= "\u2000" && ch <= "\u200a") || ch === "\u2028" || ch === "\u2029" || ch === "\u202f" || ch === "\u205f";

/** Normalises `raw` for rule matching; linear in its length. */
export function normalize(raw: string): NormalizedText {
  const out: string[] = [];
  const offs: number[] = [];
  let lastSpace = true; // drop leading whitespace
  let invisibleCount = 0;
  let invisibleFirst = -1;
  let invisibleLast = -1;
  let insideWords = 0;
  let tag = "";
  let tagStart = -1;
  let tagEnd = -1;

  const emit = (s: string, at: number) => {
    for (const ch of s) {
      if (isSpace(ch)) {
        if (lastSpace) continue;
        out.push(" ");
        offs.push(at);
        lastSpace = true;
      } else {
        out.push(ch);
        offs.push(at);
        lastSpace = false;
      }
    }
  };

  let i = 0;
  while (i < raw.length) {
    const cp = raw.codePointAt(i)!;
    const width = cp > 0xffff ? 2 : 1;
    const ch = raw[i]!;
    // Escaped control sequences of serialised output, and YAML's folded-line backslashes.
    if (ch === "\\" && i + 1 < raw.length) {
      const next = raw[i + 1]!;
      if (next === "n" || next === "t" || next === "r") {
        emit(" ", i);
        i += 2;
        continue;
      }
      if (next === '"' || next === "'") {
        emit(next, i);
        i += 2;
        continue;
      }
      if (next === "\n" || next === " ") {
        emit(" ", i);
        i += 2;
        continue;
      }
    }
    if (cp >= 0xe0020 && cp <= 0xe007e) {
      if (tagStart < 0) tagStart = i;
      tag += String.fromCharCode(cp - 0xe0000);
      tagEnd = i + width;
      i += width;
      continue;
    }
    if (isInvisible(cp)) {
      invisibleCount++;
      if (invisibleFirst < 0) invisibleFirst = i;
      invisibleLast = i + width;
      if (cp !== 0x00ad && i > 0 && /\p{L}/u.test(raw[i - 1]!) && /\p{L}|[\u200b-\u200f\u2060\ufeff\u00ad]/u.test(raw[i + width] ?? "")) insideWords++;
      i += width;
      continue;
    }
    if (ch === "&") {
      const m = /^&(#x[0-9a-f]{1,6}|#[0-9]{1,7}|[a-z]{2,6}|#39);/i.exec(raw.slice(i, i + 12));
      if (m) {
        const name = m[1]!.toLowerCase();
        let decoded: string | undefined = NAMED_ENTITIES[name];
        if (!decoded && name.startsWith("#x")) decoded = safeFromCodePoint(parseInt(name.slice(2), 16));
        else if (!decoded && name.startsWith("#")) decoded = safeFromCodePoint(parseInt(name.slice(1), 10));
        if (decoded !== undefined) {
          emit(foldChars(decoded), i);
          i += m[0].length;
          continue;
        }
      }
    }
    const s = String.fromCodePoint(cp);
    emit(cp < 0x80 ? s.toLowerCase() : foldChars(s), i);
    i += width;
  }
  if (out.length > 0 && out[out.length - 1] === " ") {
    out.pop();
    offs.pop();
  }
  const offsets = new Int32Array(offs.length + 1);
  offsets.set(offs);
  offsets[offs.length] = raw.length;
  return {
    text: out.join(""),
    offsets,
    invisible: { count: invisibleCount, first: invisibleFirst, last: invisibleLast, insideWords },
    ...(tag ? { tagText: { text: tag, start: tagStart, end: tagEnd } } : {}),
  };
}

function safeFromCodePoint(cp: number): string | undefined {
  return Number.isFinite(cp) && cp >= 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : undefined;
}

/** NFKD, accents removed, lower-case, look-alikes folded; for one or a few characters. */
function foldChars(s: string): string {
  let folded = "";
  for (const ch of s.normalize("NFKD")) {
    if (/\p{M}/u.test(ch)) continue;
    const lower = ch.toLowerCase();
    folded += CONFUSABLES[lower] ?? lower;
  }
  return folded;
}

const LEET: Record<string, string> = { "0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", $: "s", "!": "i", "|": "l" };

/**
 * The de-leeted view of a normalised text (same length): in words mixing at least two letters with leet
 * digits/symbols, those read as letters. Returns undefined when nothing changes (the usual case).
 */
export function deleet(text: string): string | undefined {
  if (!/[a-z][0-9@$!|]|[0-9@$!|][a-z]/.test(text)) return undefined;
  let changed = false;
  const result = text.replace(/[a-z0-9@$!|]+/g, (word) => {
    if (!/[0-9@$!|]/.test(word) || !/[a-z].*[a-z]/.test(word)) return word;
    // e-mail addresses and long identifiers (IBANs, hashes) stay as they are.
    if (/^[a-z]{2}\d{6,}/.test(word) || /\d{5,}/.test(word)) return word;
    changed = true;
    return word.replace(/[0-9@$!|]/g, (c) => LEET[c] ?? c);
  });
  return changed ? result : undefined;
}

/** Maps a span of the normalised text back to the original text. */
export function originalSpan(norm: NormalizedText, start: number, end: number): { start: number; end: number } {
  const s = norm.offsets[Math.max(0, Math.min(start, norm.text.length))]!;
  // The end is the original position just after the last normalised character of the span.
  const lastIndex = Math.max(start, end - 1);
  const e = end <= start ? s : lastIndex < norm.text.length ? nextOriginal(norm, lastIndex) : norm.offsets[norm.text.length]!;
  return { start: s, end: Math.max(s, e) };
}

function nextOriginal(norm: NormalizedText, index: number): number {
  // Characters from one original code point share an offset; the span ends where the next one starts.
  const at = norm.offsets[index]!;
  for (let j = index + 1; j <= norm.text.length; j++) {
    const o = norm.offsets[j]!;
    if (o > at) return o;
  }
  return norm.offsets[norm.text.length]!;
}
