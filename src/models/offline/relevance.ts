/**
 * How the offline model judges relevance: sentence-embedding similarity (USE-Lite) to a candidate's texts, plus
 * a small bonus for shared content words. USE-Lite alone confuses close domains ("charged twice" lands near
 * shipping); the lexical term anchors words such as "refund" or "order" that carry the meaning.
 */
import { cosineSimilarity, offlineEmbeddings } from "../../embeddings/use-lite.js";

export interface Candidate {
  key: string;
  /** Description, examples: anything that says what the candidate is for. */
  texts: string[];
}

export interface Ranked {
  key: string;
  score: number;
}

const LEXICAL_WEIGHT = 0.25;

const STOPWORDS = new Set(
  "a an the and or but of to in on for with at by from is are was were be been it its this that these those i me my we our you your they them their he she his her what which who whom why how when where can could would should will do does did please there here about into than then so as if not no any all some".split(
    " ",
  ),
);

/** Lower-cased, lightly stemmed content words; ids like CUS-1042 split into "cus" and "1042". */
export function contentWords(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 1 && !STOPWORDS.has(w))
    .map(stem);
}

function stem(word: string): string {
  if (word.length > 5 && word.endsWith("ing")) return word.slice(0, -3);
  if (word.length > 4 && word.endsWith("ed")) return word.slice(0, -2);
  if (word.length > 4 && word.endsWith("es")) return word.slice(0, -2);
  if (word.length > 3 && word.endsWith("s")) return word.slice(0, -1);
  return word;
}

export async function rankCandidates(query: string, candidates: Candidate[]): Promise<Ranked[]> {
  const embeddings = offlineEmbeddings();
  const allTexts = candidates.flatMap((c) => c.texts);
  const [queryVector, ...vectors] = await embeddings.embedDocuments([query, ...allTexts]);
  const queryWords = new Set(contentWords(query).filter((w) => !/^\d+$/.test(w)));
  let offset = 0;
  const ranked = candidates.map((candidate) => {
    let dense = 0;
    for (let i = 0; i < candidate.texts.length; i++) dense = Math.max(dense, cosineSimilarity(queryVector!, vectors[offset + i]!));
    offset += candidate.texts.length;
    const words = new Set(candidate.texts.flatMap(contentWords));
    const shared = [...queryWords].filter((w) => words.has(w)).length;
    const lexical = queryWords.size === 0 ? 0 : Math.min(1, shared / Math.min(queryWords.size, 4));
    return { key: candidate.key, score: dense + LEXICAL_WEIGHT * lexical };
  });
  return ranked.sort((a, b) => b.score - a.score);
}
