/**
 * Groundedness of policy answers: every knowledge-base id the answer cites (KB-…) must exist and must be among
 * the articles retrieved in that same run (found in a tool result), and the answer must cite at least one.
 * Score: the share of cited ids that are grounded; 0 when nothing is cited.
 *
 * @example
 * groundedness("Refunds within 30 days (KB-001).", ["KB-001", "KB-015"], new Set(["KB-001", "KB-015"]));
 * // { score: 1, cited: ["KB-001"], ungrounded: [] }
 */
const KB_ID = /\bKB-\d{3}\b/g;

export function citedArticles(text: string): string[] {
  return [...new Set(text.match(KB_ID) ?? [])];
}

/** Ids of articles in tool results (search hits, articles read) of the run. */
export function retrievedArticles(toolResults: readonly string[]): string[] {
  return [...new Set(toolResults.flatMap((r) => r.match(KB_ID) ?? []))];
}

export function groundedness(answer: string, retrieved: readonly string[], existing: ReadonlySet<string>) {
  const cited = citedArticles(answer);
  const inRun = new Set(retrieved);
  const ungrounded = cited.filter((id) => !existing.has(id) || !inRun.has(id));
  return { score: cited.length === 0 ? 0 : (cited.length - ungrounded.length) / cited.length, cited, ungrounded };
}
