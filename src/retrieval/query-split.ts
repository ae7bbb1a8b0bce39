/**
 * Multi-intent requests ("First find a hotel in Paris. Then convert 1000 USD to EUR. Lastly ...") need one tool
 * per task, but ranked as a whole the first task's look-alike tools fill the top k. `splitQuery` cuts such a
 * request into its task sentences, so each can be ranked on its own and the rankings interleaved (`ToolIndex`
 * puts the whole request's two best first, then each part's best, then each part's second, ...).
 *
 * Rules: split at sentence ends, semicolons, line breaks and sequencing words (first, second, then, also,
 * after that, lastly, finally, ...; not "next", as in "the next 6 games"); keep parts that still say something (at least three content words after
 * dropping filler such as "could you help me with the following tasks"). A request with fewer than two such
 * parts is a single intent and is not split.
 */
import { tokenize } from "./bm25.js";

const SEQUENCERS =
  /\b(?:first(?:ly)?|second(?:ly)?|third(?:ly)?|fourth(?:ly)?|then|also|additionally|afterwards|after that|lastly|finally|moreover|furthermore|in addition)\b[,:]?/gi;

/** Words that make a part sound like a request without saying what to do. */
const FILLER = new Set(["help", "few", "thing", "task", "follow", "assist", "question", "request", "pleas", "know", "tell", "curiou", "interest", "wonder", "like", "would"].map((w) => w));

/** At most this many parts are ranked separately (beyond, the rest stays in the whole-request ranking). */
export const MAX_PARTS = 5;

/** The task parts of a request, or [] when it is a single intent. */
export function splitQuery(query: string): string[] {
  const text = query.replace(/\s+/g, " ").trim();
  if (text.length < 40) return [];
  const pieces = text
    .split(/(?<=[.?!])\s+(?=["'(]?[A-Z0-9])|[;\n]+|\s+-\s+/)
    .flatMap((s) => s.split(SEQUENCERS))
    .map((s) => s.replace(/^[\s,.:;"'-]+|[\s,"'-]+$/g, "").trim())
    .filter((s) => contentWords(s) >= 3);
  const parts = [...new Set(pieces)];
  return parts.length >= 2 ? parts.slice(0, MAX_PARTS) : [];
}

function contentWords(text: string): number {
  return tokenize(text).filter((w) => !FILLER.has(w)).length;
}

/**
 * Interleaves rankings: every list's first, then every list's second, and so on, skipping keys already
 * taken. Each list is best first.
 */
export function interleave<T>(lists: T[][], key: (item: T) => string, limit: number): T[] {
  const out: T[] = [];
  const seen = new Set<string>();
  const depth = Math.max(0, ...lists.map((l) => l.length));
  for (let r = 0; r < depth && out.length < limit; r++) {
    for (const list of lists) {
      const item = list[r];
      if (item === undefined) continue;
      const k = key(item);
      if (seen.has(k)) continue;
      seen.add(k);
      out.push(item);
      if (out.length >= limit) break;
    }
  }
  return out;
}
