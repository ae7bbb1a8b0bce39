/** Knowledge base: keyword search over policies and FAQs, and reading one article. */
import { z } from "zod";
import { defineTool } from "../../src/toolkit/define-tool.js";
import type { ArticleRow } from "../../src/db/rows.js";
import { requireRow } from "../shared/db-helpers.js";
import { idField, limitField } from "../shared/fields.js";

const STOPWORDS = new Set(
  "the and for with that this what when where which who how our your are was were can could should would does did has have about from into policy policies".split(" "),
);
const SNIPPET_CHARS = 180;

export const searchPolicies = defineTool({
  name: "search_policies",
  description:
    "Keyword search over the company's policies and FAQs (refunds, service credits, escalation, SLAs, billing ...). Use it " +
    "before acting on a customer's request to find the rule that applies, and cite the article id. Returns the best matching " +
    "article ids, titles and snippets; read a full article with get_kb_article.",
  schema: z.object({
    query: z.string().trim().min(2).max(200).describe("Keywords describing the topic, e.g. refund duplicate charge"),
    limit: limitField(5, 10),
  }),
  metadata: {
    domain: "support",
    sideEffect: "read",
    idempotent: true,
    scopes: ["support:read"],
    examples: ["What is our refund policy?", "Do service credits need approval?", "When must a ticket be escalated?"],
    retrievalExamples: [
      "What does our policy say about refunds for annual plans?",
      "Are agents allowed to give credits without manager approval?",
      "What's the rule for compensating an SLA breach?",
      "How long does a customer have to dispute a charge?",
      "Is there a policy on changing an order after it's placed?",
      "What is the maximum goodwill credit we can give?",
      "When are we supposed to escalate to engineering?",
      "Do we have an FAQ about billing cycles?",
      "what's the procedure if a customer was double charged?",
      "Can customers cancel within 30 days for a full refund?",
    ],
  },
  run: ({ query, limit }, ctx) => {
    const terms = searchTerms(query);
    const articles = ctx.db.sql.prepare("SELECT * FROM kb_articles WHERE kind IN ('policy','faq') ORDER BY id").all() as ArticleRow[];
    const results = articles
      .map((a) => ({ a, score: score(a, terms) }))
      .filter((r) => r.score > 0)
      .sort((x, y) => y.score - x.score || x.a.id.localeCompare(y.a.id))
      .slice(0, limit)
      .map(({ a, score }) => ({ article_id: a.id, kind: a.kind, title: a.title, snippet: snippet(a.body, terms), score }));
    return { query, count: results.length, results };
  },
});

export const getKbArticle = defineTool({
  name: "get_kb_article",
  description:
    "Reads one knowledge-base article (policy, FAQ or runbook) in full by its id. Use it after search_policies when the snippet " +
    "is not enough to decide; cite the article id in your answer. Returns the title, body, tags and last update.",
  schema: z.object({ article_id: idField("article_id", "The article's id") }),
  metadata: {
    domain: "support",
    sideEffect: "read",
    idempotent: true,
    scopes: ["support:read"],
    examples: ["Show me KB-001", "Read the service credit policy KB-002", "What exactly does KB-005 say?"],
    retrievalExamples: [
      "Open the article KB-003",
      "Show me the full text of KB-010",
      "Read the whole policy article KB-002 so I can quote it",
      "What are the exact steps in KB-004?",
      "Pull the knowledge base article with id KB-007",
      "give me the full FAQ entry KB-006",
    ],
  },
  run: ({ article_id }, ctx) => {
    const a = requireRow<ArticleRow>(ctx.db, "kb_articles", article_id, "knowledge-base article", "article_id");
    return {
      article_id: a.id,
      kind: a.kind,
      title: a.title,
      body: a.body,
      tags: a.tags.split(",").map((t) => t.trim()).filter(Boolean),
      ...(a.service_id ? { service_id: a.service_id } : {}),
      updated_at: a.updated_at,
    };
  },
});

/** Lower-case word stems of the query, without stopwords and short words. */
function searchTerms(query: string): string[] {
  const words = query.toLowerCase().match(/[a-z0-9]+/g) ?? [];
  return [...new Set(words.filter((w) => w.length >= 3 && !STOPWORDS.has(w)).map(stem))];
}

/** A crude stem so "refunds", "refunded" and "refunding" all match "refund". */
function stem(word: string): string {
  for (const suffix of ["ing", "ed", "es", "s"]) {
    if (word.endsWith(suffix) && word.length - suffix.length >= 4) return word.slice(0, -suffix.length);
  }
  return word;
}

function score(a: ArticleRow, terms: string[]): number {
  const title = a.title.toLowerCase();
  const tags = a.tags.toLowerCase();
  const body = a.body.toLowerCase();
  let total = 0;
  for (const term of terms) {
    if (title.includes(term)) total += 3;
    if (tags.includes(term)) total += 2;
    total += Math.min(3, body.split(term).length - 1);
  }
  return total;
}

/** About `SNIPPET_CHARS` of the paragraph that matches the most terms, from its first match (or the body's start). */
function snippet(body: string, terms: string[]): string {
  const paragraphs = body.split(/\n\s*\n/);
  const hits = (p: string) => terms.filter((t) => p.toLowerCase().includes(t)).length;
  const best = paragraphs.reduce((a, b) => (hits(b) > hits(a) ? b : a), paragraphs[0] ?? "");
  const lower = best.toLowerCase();
  const positions = terms.map((t) => lower.indexOf(t)).filter((i) => i >= 0);
  let start = positions.length ? Math.max(0, Math.min(...positions) - 40) : 0;
  if (start > 0) start = best.indexOf(" ", start) + 1 || start;
  let end = Math.min(best.length, start + SNIPPET_CHARS);
  if (end < best.length && best.lastIndexOf(" ", end) > start) end = best.lastIndexOf(" ", end);
  const more = end < best.length || best !== paragraphs[paragraphs.length - 1];
  return `${start > 0 || best !== paragraphs[0] ? "…" : ""}${best.slice(start, end).trim()}${more ? "…" : ""}`;
}
