/**
 * STREET_ADDRESS: a street core found by grammar, then extended over the parts that usually follow it.
 *
 * Cores (one of):
 * - house number, 1-4 name words, an English street type ("77 Harbor Blvd", "370 3911 Fourth Avenue", "12 King St W");
 * - a street type written first, with a house number before or after ("12 Rue de la Paix", "Rua Igreja 25",
 *   "ul. Północna 73", "Avda. Rio Nalon 58");
 * - a one-word continental street name and its number ("Hauptstraße 12", "Koskikatu 25", "Søndergade 52");
 * - P.O. boxes and US military addresses ("PSC 1437, Box 3833", "Unit 4719 Box 7394", "USNS Bergman", "APO AA 66791");
 * - "the corner of X and Y";
 * - weak: capitalized words and a number ("Damrak 12"), kept only when a strong part follows (unit, postcode,
 *   state and ZIP, country, APO/FPO) or an address cue precedes ("address:", "ship to", "lives at").
 *
 * Extensions, across commas, spaces and up to a few line breaks: unit ("Apt. 864", "Suite 200"), city (capitalized
 * words), state or province code with ZIP/postcode ("WA 98104", "ON M5V 2T6"), postcodes (US, CA, UK, NL, 4-5
 * digits), country names and codes. A lowercase word, a sentence mark or a blank line (unless a country or
 * postcode follows) ends the address. Cities, states and postcodes alone are not street addresses.
 */
import {
  COUNTRIES,
  COUNTRY_PHRASES,
  fold,
  NOT_NAMES,
  REGION_CODES,
  STREET_PREFIXES,
  STREET_SUFFIXES,
  STREET_WORD_ENDINGS,
  UNIT_WORDS,
} from "./lexicon.js";
import type { PiiSpan } from "./types.js";

interface Tok {
  text: string;
  key: string;
  start: number;
  end: number;
  num: boolean;
  i: number;
}

const TOK_RE = /\d+[A-Za-z]?(?:[\-\/]\d+[A-Za-z]?)?|[\p{L}\p{M}][\p{L}\p{M}'’\-]*\.?|\S/gu;

function tokenize(text: string): Tok[] {
  const out: Tok[] = [];
  for (const m of text.matchAll(TOK_RE)) {
    const t = m[0];
    out.push({ text: t, key: fold(t.replace(/\.$/, "")), start: m.index, end: m.index + t.length, num: /^\d/.test(t), i: out.length });
  }
  return out;
}

const isCapWord = (t: Tok) => /^\p{Lu}/u.test(t.text);
const isWord = (t: Tok) => /^[\p{L}\p{M}]/u.test(t.text);
const ORDINAL = /^\d{1,3}(?:st|nd|rd|th)$/i;
const STREET_PARTICLES = new Set(["de", "la", "le", "les", "du", "des", "of", "the", "van", "von", "der", "den", "del", "della", "da", "do", "dos", "das", "di", "y", "e", "am", "an", "im", "na", "sur", "saint", "st"]);
const DIRECTIONS = new Set(["n", "s", "e", "w", "ne", "nw", "se", "sw", "north", "south", "east", "west"]);
const WORD_ENDINGS = STREET_WORD_ENDINGS.map((e) => fold(e.replace(/\.$/, "")));
const hasStreetEnding = (key: string) => WORD_ENDINGS.some((e) => key.length > e.length + 2 && key.endsWith(e));
/** House numbers: up to 6 digits with an optional letter or "/12", "-14"; not a year-like 4-digit run after "in"/"since". */
const isHouse = (t: Tok | undefined) => !!t && t.num && /^\d{1,6}[A-Za-z]?(?:[\-\/]\d{1,5}[A-Za-z]?)?$/.test(t.text) && !ORDINAL.test(t.text);

/** Street types written in lower case between name and number ("Erzsébet tér 19", "Stensås terrasse 38"). */
const LOWER_STREET_TYPES = new Set(["tér", "út", "utca", "útja", "u", "körút", "krt", "terrasse", "vej", "gade", "allé", "alle", "gata", "gatan", "vägen", "väg", "veien", "vei", "straße", "strasse", "str", "weg", "laan", "straat", "plein", "gasse", "platz", "ulica", "ul", "trg", "cesta", "ulice", "náměstí", "nám", "z"]);
/** Full street words after a capitalized name, no number needed ("on Berg Hills Street"). */
const NAMED_STREET_WORDS = new Set(["Street", "Road", "Avenue", "Boulevard", "Lane", "Terrace", "Crescent", "Parkway", "Highway"]);

const ADDRESS_CUE = /\b(?:address(?:es)?|addr|ship(?:ping)? to|send (?:it )?to|sent to|deliver(?:ed|y)? to|return(?:ed)? to|mail(?:ed)? to|lives? at|living at|located at|located in|resides? at|meet (?:me |you )?at|moved to|street|residence|domicile)\b[^\n]{0,30}$/i;

export function detectAddresses(text: string): PiiSpan[] {
  const toks = tokenize(text);
  const lowerMode = !/\p{Lu}/u.test(text);
  const cap = (t: Tok | undefined) => !!t && isWord(t) && (lowerMode || isCapWord(t));
  const sameLine = (a: Tok, b: Tok) => !text.slice(a.end, b.start).includes("\n");
  const adjacent = (a: Tok, b: Tok) => /^[ \t]{1,3}$/.test(text.slice(a.end, b.start));
  /** A house number that does not continue an id ("INC-759") or a decimal. */
  const freeNumber = (t: Tok) => !/[\p{L}\p{N}\-.,$€£#:\/]$/u.test(text.slice(Math.max(0, t.start - 1), t.start));

  const cores: { start: number; end: number; last: number; kind: "strong" | "weak"; score: number }[] = [];
  const add = (from: Tok, to: Tok, kind: "strong" | "weak", score: number) => cores.push({ start: from.start, end: to.end, last: to.i, kind, score });

  for (let i = 0; i < toks.length; i++) {
    const t = toks[i]!;
    // (1) number-first English: [house] house Name{1,4} Suffix [Direction]
    if (isHouse(t) && freeNumber(t)) {
      let j = i + 1;
      if (isHouse(toks[j]) && adjacent(toks[j - 1]!, toks[j]!)) j++;
      const nameStart = j;
      let found = -1;
      while (j < toks.length && j - nameStart < 5 && adjacent(toks[j - 1]!, toks[j]!)) {
        const w = toks[j]!;
        const isSuffix = STREET_SUFFIXES.has(w.key) && (cap(w) || /\.$/.test(w.text)) && j > nameStart;
        if (isSuffix) found = j;
        if (!(cap(w) || ORDINAL.test(w.text) || STREET_PARTICLES.has(w.key))) break;
        if (isSuffix && !(toks[j + 1] && adjacent(w, toks[j + 1]!) && STREET_SUFFIXES.has(toks[j + 1]!.key) && cap(toks[j + 1]))) break;
        j++;
      }
      if (found > 0) {
        let end = found;
        const d = toks[end + 1];
        if (d && adjacent(toks[end]!, d) && DIRECTIONS.has(d.key) && (d.text.length <= 2 ? /^\p{Lu}+$/u.test(d.text) : cap(d))) end++;
        // "Koepenicker Str. 74": a house number after the street type.
        else if (isHouse(d) && adjacent(toks[end]!, d!)) end++;
        add(t, toks[end]!, "strong", 0.8);
        i = end;
        continue;
      }
    }
    // (2) street type first: [house] Prefix Name{1,5} [house]
    const prefixAt = (k: number) => {
      const w = toks[k];
      if (!w || !(cap(w) || /^(?:ul|c|str|av|avda|bd|leof)\.?$/i.test(w.text))) return false;
      if (w.text === "C" && toks[k + 1]?.text === "/") return true;
      return STREET_PREFIXES.has(w.key) || STREET_PREFIXES.has(`${w.key}.`);
    };
    {
      let k = i;
      const lead = isHouse(t) && freeNumber(t) && toks[i + 1] && adjacent(t, toks[i + 1]!) ? i : -1;
      if (lead >= 0) k = i + 1;
      if (lead >= 0 && isHouse(toks[k]) && toks[k + 1] && adjacent(toks[k]!, toks[k + 1]!)) k++;
      if (prefixAt(k) && (lead >= 0 || !isHouse(toks[k - 1]))) {
        // (lead may be two numbers: "479 95 Avenue des Tuileries")
        let j = k + 1;
        if (toks[k]!.text === "C" && toks[j]?.text === "/") j++;
        const nameStart = j;
        while (j < toks.length && j - nameStart < 6 && sameLine(toks[j - 1]!, toks[j]!) && /^[ \t]{0,3}$/.test(text.slice(toks[j - 1]!.end, toks[j]!.start))) {
          const w = toks[j]!;
          if (cap(w) || STREET_PARTICLES.has(w.key) || (isWord(w) && j > nameStart && cap(toks[j + 1]) && adjacent(w, toks[j + 1]!))) j++;
          else break;
        }
        let nameEnd = j - 1;
        while (nameEnd >= nameStart && STREET_PARTICLES.has(toks[nameEnd]!.key) && !cap(toks[nameEnd])) nameEnd--;
        j = nameEnd + 1;
        if (nameEnd >= nameStart) {
          const num = toks[j];
          const trailing = isHouse(num) && adjacent(toks[nameEnd]!, num!);
          if (trailing || lead >= 0) {
            add(toks[lead >= 0 ? lead : k]!, trailing ? num! : toks[nameEnd]!, "strong", 0.75);
            i = trailing ? j : nameEnd;
            continue;
          }
        }
      }
    }
    // (3) continental one-word street: [house] [Name{0,2}] Wordstraße house
    if (cap(t) && hasStreetEnding(t.key) && !NOT_NAMES.has(t.key)) {
      const num = toks[i + 1];
      if (isHouse(num) && adjacent(t, num!)) {
        let s = i;
        while (s > 0 && i - s < 2 && cap(toks[s - 1]) && adjacent(toks[s - 1]!, toks[s]!) && !NOT_NAMES.has(toks[s - 1]!.key)) s--;
        if (s > 0 && isHouse(toks[s - 1]) && adjacent(toks[s - 1]!, toks[s]!) && freeNumber(toks[s - 1]!)) s--;
        add(toks[s]!, num!, "strong", 0.75);
        i = i + 1;
        continue;
      }
    }
    // (4) [house] Cap{1,3} [street word] house: "Damrak 12" (weak), "Erzsébet tér 19", "Rákóczi út 13", "Victor Hugo u. 49"
    if (cap(t) && !NOT_NAMES.has(t.key) && !COUNTRIES.has(t.key) && t.text.length >= 3 && /\p{Ll}/u.test(t.text)) {
      let j = i;
      while (j + 1 < toks.length && j - i < 2 && cap(toks[j + 1]) && adjacent(toks[j]!, toks[j + 1]!) && !NOT_NAMES.has(toks[j + 1]!.key)) j++;
      let typed = false;
      const w = toks[j + 1];
      if (w && adjacent(toks[j]!, w) && LOWER_STREET_TYPES.has(w.text.toLowerCase().replace(/\.$/, "")) && !/^\p{Lu}/u.test(w.text)) {
        j++;
        typed = true;
      }
      const num = toks[j + 1];
      if (isHouse(num) && adjacent(toks[j]!, num!) && !/^(?:19|20)\d\d$/.test(num!.text)) {
        let s = i;
        if (s > 0 && isHouse(toks[s - 1]) && adjacent(toks[s - 1]!, toks[s]!) && freeNumber(toks[s - 1]!)) s--;
        add(toks[s]!, num!, typed ? "strong" : "weak", typed ? 0.7 : 0.6);
        i = j + 1;
        continue;
      }
      // "on Marina Fort Street": capitalized words and a full street word, no number.
      const sw = toks[j + 1];
      if (sw && adjacent(toks[j]!, sw) && NAMED_STREET_WORDS.has(sw.text) && /\b(?:on|at|in|to|from|of|off|along|near)[ \t]+$/.test(text.slice(Math.max(0, t.start - 8), t.start))) {
        add(t, sw, "strong", 0.55);
        i = j + 1;
        continue;
      }
    }
  }

  // (5) P.O. boxes and military addresses.
  const extra: { start: number; end: number; score: number }[] = [];
  const MIL = [
    /(?<![\p{L}\p{N}\-.,])(?:\d{1,6}[ ])?(?:P\.?[ ]?O\.?[ ]?Box|Post(?:al)?[ ]Office[ ]Box|Postbox)[ ]\d{1,6}\b/giu,
    /\b(?:PSC|Unit|CMR)[ ]\d{1,5},?[ ]Box[ ]\d{1,5}\b/giu,
    /\b(?:USNS|USS|USNV|USCGC|USNSV)[ ]\p{L}[\p{L}'\-]+(?:[ ]\p{Lu}[\p{L}'\-]+)?(?=[ \t]*\n[ \t]*(?:APO|FPO|DPO)\b)/giu,
    /\b(?:APO|FPO|DPO)[ ](?:AA|AE|AP)[ ]\d{5}\b/giu,
  ];
  for (const re of MIL) for (const m of text.matchAll(re)) extra.push({ start: m.index, end: m.index + m[0].length, score: 0.9 });

  // (6) "the corner of X and Y".
  for (const m of text.matchAll(/\b(?:the[ ]+)?corner[ ]+of[ ]+([^\n,;?!]{3,60}?)[ ]+and[ ]+((?:[\p{L}\d][\p{L}\p{M}'’\-]*\.?[ ]?){1,4})/giu)) {
    const x = m[1]!;
    if (!/\d|\b(?:st|street|road|rd|ave|avenue)\b/i.test(x) && !/^\p{Lu}/u.test(x)) continue;
    let end = m.index + m[0].length;
    while (end > m.index && /[ .]/.test(text[end - 1]!)) end--;
    extra.push({ start: m.index, end, score: 0.7 });
  }

  const spans: PiiSpan[] = [];
  for (const core of cores) {
    const ext = extend(text, core.end, lowerMode, core.kind === "strong");
    const cue = ADDRESS_CUE.test(text.slice(Math.max(0, core.start - 50), core.start));
    if (core.kind === "weak" && !ext.strong && !cue) continue;
    spans.push({ type: "STREET_ADDRESS", start: core.start, end: ext.end, value: text.slice(core.start, ext.end), score: core.score });
  }
  for (const e of extra) {
    const ext = extend(text, e.end, lowerMode, true);
    spans.push({ type: "STREET_ADDRESS", start: e.start, end: ext.end, value: text.slice(e.start, ext.end), score: e.score });
  }
  return mergeSpans(text, spans);
}

/** Overlapping or touching (", " / line break between) address pieces become one span. */
function mergeSpans(text: string, spans: PiiSpan[]): PiiSpan[] {
  spans.sort((a, b) => a.start - b.start || b.end - a.end);
  const out: PiiSpan[] = [];
  for (const s of spans) {
    const prev = out[out.length - 1];
    if (prev && (s.start <= prev.end || /^[ \t]*,?[ \t]*\n?[ \t]*,?[ \t]*$/.test(text.slice(prev.end, s.start)) && s.start - prev.end <= 4)) {
      if (s.end > prev.end) {
        prev.end = s.end;
        prev.value = text.slice(prev.start, prev.end);
      }
      prev.score = Math.max(prev.score, s.score);
      continue;
    }
    out.push({ ...s });
  }
  return out;
}

const SEP = /\.?(?:[ \t]*,[ \t]*(?:\n[ \t]*)?|[ \t]*\n(?:[ \t]*\n)?[ \t]*,?[ \t]*|[ \t]+)/y;
const UNIT = new RegExp(`(?:${UNIT_WORDS})[ ]?\\d{1,5}[A-Za-z]?\\b`, "iy");
const NUM_BEFORE_UNIT = new RegExp(`\\d{1,4}(?=[ ]+(?:${UNIT_WORDS})[ ]?\\d)`, "iy");
const MILITARY = /(?:APO|FPO|DPO)[ ](?:AA|AE|AP)[ ]\d{5}\b/iy;
const REGION_ZIP = /(\p{Lu}{2,3})[ ]+(\d{5}(?:-\d{4})?|[A-Z]\d[A-Z][ ]?\d[A-Z]\d|\d{4})(?![\p{L}\p{N}])/uy;
const POSTCODE = /(?:\d{5}(?:-\d{4})?|[A-Z]\d[A-Z][ ]?\d[A-Z]\d|[A-Z]{1,2}\d[A-Z\d]?[ ]\d[A-Z]{2}|\d{4}[ ]?[A-Z]{2}|\d{4})(?![\p{L}\p{N}\-])/uy;
const REGION = /(\p{Lu}{2,3})(?![\p{L}\p{N}])/uy;
const CITY = /\p{Lu}[\p{L}\p{M}'’\-]*\.?(?![\p{L}\p{M}\p{N}'’\-])(?:[ ](?:(?:de|del|la|le|du|des|da|do|na|am|an|im|sur|upon|on|en)[ ])?\p{Lu}[\p{L}\p{M}'’\-]*\.?(?![\p{L}\p{M}\p{N}'’\-])){0,3}(?:[ ]\(\p{Lu}[\p{L}]*\))?/uy;
const CITY_LOWER = /\p{Ll}[\p{L}\p{M}'’\-]*(?:[ ]\p{Ll}[\p{L}\p{M}'’\-]*){0,2}/uy;
const COUNTRY_RE = new RegExp(`(?:${COUNTRY_PHRASES.map((c) => c.replace(/[()]/g, "\\$&")).join("|")})(?![\\p{L}])`, "iuy");

function tryAt(re: RegExp, text: string, at: number): RegExpExecArray | null {
  re.lastIndex = at;
  return re.exec(text);
}

/** Extends an address from `end` over unit, city, region, postcode and country parts. */
function extend(text: string, end: number, lowerMode: boolean, strongCore = false): { end: number; strong: boolean } {
  let strong = false;
  let pos = end;
  let lines = 0;
  for (let parts = 0; parts < 8; parts++) {
    const sep = tryAt(SEP, text, pos);
    if (!sep || sep[0].length === 0) break;
    const newlines = (sep[0].match(/\n/g) ?? []).length;
    if (lines + newlines > 4) break;
    const at = pos + sep[0].length;
    const blank = newlines >= 2;
    let m: RegExpExecArray | null;
    let kind: "strong" | "weak" | null = null;
    let len = 0;
    if ((m = tryAt(UNIT, text, at)) || (m = tryAt(MILITARY, text, at))) {
      kind = "strong";
      len = m[0].length;
    } else if ((m = tryAt(REGION_ZIP, text, at)) && (REGION_CODES.has(m[1]!) || COUNTRIES.has(fold(m[1]!)))) {
      kind = "strong";
      len = m[0].length;
    } else if ((m = tryAt(COUNTRY_RE, text, at))) {
      kind = "strong";
      len = m[0].length;
    } else if ((m = tryAt(POSTCODE, text, at))) {
      kind = "strong";
      len = m[0].length;
    } else if ((m = tryAt(REGION, text, at)) && (REGION_CODES.has(m[1]!) || COUNTRIES.has(fold(m[1]!)))) {
      kind = m[1]!.length === 2 && COUNTRIES.has(fold(m[1]!)) ? "strong" : "weak";
      len = m[0].length;
    } else if ((m = tryAt(NUM_BEFORE_UNIT, text, at))) {
      kind = "weak";
      len = m[0].length;
    } else if ((m = tryAt(CITY, text, at))) {
      const words = m[0].split(/[ ]+/);
      const firstKey = fold(words[0]!.replace(/\.$/, ""));
      if (NOT_NAMES.has(firstKey) && !COUNTRIES.has(firstKey)) break;
      // Trim trailing sentence words ("Boston Thanks") and a final sentence dot.
      let city = m[0];
      const kept = words.filter((w, idx) => idx === 0 || !NOT_NAMES.has(fold(w.replace(/\.$/, ""))));
      if (kept.length !== words.length) city = words.slice(0, words.findIndex((w, idx) => idx > 0 && NOT_NAMES.has(fold(w.replace(/\.$/, ""))))).join(" ");
      city = city.replace(/\.$/, "");
      kind = COUNTRIES.has(fold(city)) ? "strong" : "weak";
      len = city.length;
    } else if (lowerMode && (m = tryAt(CITY_LOWER, text, at)) && !blank && (strong || strongCore)) {
      const words = m[0].split(" ").filter((w) => !NOT_NAMES.has(fold(w)));
      if (words.length !== m[0].split(" ").length || words.length === 0) break;
      kind = COUNTRIES.has(fold(m[0])) ? "strong" : "weak";
      len = m[0].length;
    }
    if (!kind || len === 0) break;
    // A blank line is crossed only towards a country or postcode line.
    if (blank && kind !== "strong") break;
    pos = at + len;
    lines += newlines;
    if (kind === "strong") strong = true;
  }
  return { end: pos, strong };
}
