/** Read tools over what people wrote: chat channel messages and runbooks. */
import { z } from "zod";
import { defineTool } from "../../src/toolkit/define-tool.js";
import { idField } from "../shared/fields.js";
import { ToolError, notFound } from "../../src/toolkit/tool-result.js";
import type { ArticleRow } from "../../src/db/rows.js";
import { type KeywordMatch, NO_KEYWORD_MATCH_NOTE, keywordClause, limitField, serviceIdField } from "./fields.js";

// The leading "#" is required: it keeps the pattern from matching ordinary words.
const CHANNEL_RE = /^#[a-z0-9][a-z0-9_-]{1,79}$/;

export const getChannelMessages = defineTool({
  name: "get_channel_messages",
  description:
    "Reads the latest messages of an internal chat channel (e.g. #inc-payments), oldest first, optionally only those containing some text. " +
    "Use it to see what responders said during an incident; it cannot post messages.",
  schema: z.object({
    channel: z
      .string()
      .trim()
      .toLowerCase()
      .regex(CHANNEL_RE, "must be a channel name like #inc-payments")
      .describe("The channel name, e.g. #inc-payments"),
    query: z
      .string()
      .trim()
      .min(2)
      .max(200)
      .optional()
      .describe("Only messages containing these keywords (case-insensitive; all of them, else any of them), e.g. 'rollback'."),
    limit: limitField(20, 100, "messages"),
  }),
  metadata: {
    domain: "incidents",
    sideEffect: "read",
    idempotent: true,
    scopes: ["incidents:read"],
    examples: ["What's being said in #inc-payments?", "Show the last 10 messages in #ops", "Did anyone mention a rollback in #inc-payments?"],
    retrievalExamples: [
      "What did the responders say in #inc-checkout?",
      "Catch me up on the incident channel",
      "Show recent messages in #sre",
      "Has anyone in #inc-payments posted an update in the last hour?",
      "Did someone mention the deploy in #ops?",
      "read the chat for the checkout incident",
    ],
  },
  run: ({ channel: name, query, limit = 20 }, ctx) => {
    const exists = ctx.db.sql.prepare("SELECT COUNT(*) FROM channel_messages WHERE channel = ?").pluck().get(name) as number;
    if (!exists) {
      const known = (ctx.db.sql.prepare("SELECT DISTINCT channel FROM channel_messages ORDER BY channel LIMIT 30").pluck().all() as string[]).join(", ");
      throw new ToolError("not_found", `No channel named ${name}.`, `Use one of the known channels: ${known}.`, "channel");
    }
    const params: unknown[] = [name, ctx.now.toISOString()];
    let clause = "channel = ? AND created_at <= ?";
    let match: { match: KeywordMatch; terms: string[] } | undefined;
    if (query) {
      const base = clause;
      const kw = keywordClause(
        (c, p) => ctx.db.sql.prepare(`SELECT COUNT(*) FROM channel_messages WHERE ${base} AND ${c}`).pluck().get(...params, ...p) as number,
        "body",
        query,
        true,
      );
      clause += ` AND ${kw.clause}`;
      params.push(...kw.params);
      match = { match: kw.match, terms: kw.terms };
    }
    const total = ctx.db.sql.prepare(`SELECT COUNT(*) FROM channel_messages WHERE ${clause}`).pluck().get(...params) as number;
    const latest = ctx.db.sql
      .prepare(`SELECT id, author, body, created_at FROM channel_messages WHERE ${clause} ORDER BY created_at DESC, id DESC LIMIT ?`)
      .all(...params, limit);
    return {
      channel: name,
      total_matched: total,
      returned: latest.length,
      ...(match ? { query_terms: match.terms, query_match: match.match } : {}),
      ...(match?.match === "none" ? { note: NO_KEYWORD_MATCH_NOTE } : {}),
      messages: latest.reverse(),
    };
  },
});

const STOPWORDS = new Set(
  "the a an and or of to in on for with is are was were be how what why when do does did i we our my it this that from at by about runbook runbooks".split(" "),
);

/** Lower-case word stem: a light plural strip so "errors" matches "error". */
function stem(word: string): string {
  if (word.length > 4 && word.endsWith("ies")) return `${word.slice(0, -3)}y`;
  if (word.length > 3 && word.endsWith("s") && !word.endsWith("ss")) return word.slice(0, -1);
  return word;
}

function tokens(text: string): string[] {
  return text.toLowerCase().split(/[^a-z0-9]+/).filter(Boolean).map(stem);
}

/** Search terms of a free-text query: stemmed words without stop words. */
export function searchTerms(query: string): string[] {
  return [...new Set(query.toLowerCase().split(/[^a-z0-9]+/).filter((t) => t.length >= 2 && !STOPWORDS.has(t)).map(stem))].slice(0, 12);
}

/** A runbook as the queries below select it (their kind is always runbook). */
type RunbookRow = Omit<ArticleRow, "kind">;

function termCounts(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const t of tokens(text)) counts.set(t, (counts.get(t) ?? 0) + 1);
  return counts;
}

/** Occurrences of `term` among counted tokens: exact, or as a prefix of 4+ letters ("elevat" finds "elevated"). */
function countTerm(counts: Map<string, number>, term: string): number {
  let n = counts.get(term) ?? 0;
  if (term.length >= 4) for (const [token, c] of counts) if (token !== term && token.startsWith(term)) n += c;
  return n;
}

/**
 * Ranks articles for a query: per term, title hits weigh 3, tag hits 2 and body hits 1 (at most 3), scaled by
 * the term's rarity across the candidates (so "error", present everywhere, counts for little); naming a
 * service id in the query adds a bonus to that service's runbook.
 */
function rankArticles(rows: RunbookRow[], query: string | undefined) {
  if (!query) return rows.map((row) => ({ row, score: 1 }));
  const terms = searchTerms(query);
  const docs = rows.map((row) => ({ row, title: termCounts(row.title), tags: termCounts(row.tags), body: termCounts(row.body) }));
  const n = docs.length;
  const idf = new Map(
    terms.map((t) => {
      const df = docs.filter((d) => countTerm(d.title, t) + countTerm(d.tags, t) + countTerm(d.body, t) > 0).length;
      return [t, Math.log(1 + (n - df + 0.5) / (df + 0.5))];
    }),
  );
  const q = query.toLowerCase();
  return docs.map((d) => {
    let score = 0;
    for (const t of terms) {
      const tf = 3 * countTerm(d.title, t) + 2 * countTerm(d.tags, t) + Math.min(3, countTerm(d.body, t));
      score += tf * idf.get(t)!;
    }
    if (d.row.service_id && q.includes(d.row.service_id)) score += 5;
    return { row: d.row, score: Math.round(score * 100) / 100 };
  });
}

function excerpt(body: string, terms: string[], size = 240): string {
  const lower = body.toLowerCase();
  const hit = terms.map((t) => lower.indexOf(t)).filter((i) => i >= 0).sort((a, b) => a - b)[0] ?? 0;
  const start = Math.max(0, hit - 60);
  const text = body.slice(start, start + size).replace(/\s+/g, " ").trim();
  return `${start > 0 ? "…" : ""}${text}${start + size < body.length ? "…" : ""}`;
}

export const searchRunbooks = defineTool({
  name: "search_runbooks",
  description:
    "Keyword search over the runbooks (kb articles of kind runbook), optionally only those of one service; returns article ids, titles, " +
    "a relevance score and an excerpt, best first. Use it to find the procedure for a symptom; read the full steps with get_runbook.",
  schema: z.object({
    query: z.string().trim().min(2).max(300).optional().describe("Symptom or keywords to search for, e.g. 'elevated 5xx errors'."),
    service_id: serviceIdField("Only runbooks for this service").optional(),
    limit: limitField(5, 10, "runbooks"),
  }),
  metadata: {
    domain: "incidents",
    sideEffect: "read",
    idempotent: true,
    scopes: ["incidents:read"],
    examples: ["Find the runbook for payments-api", "Is there a runbook for elevated 5xx errors?", "How do we handle a database failover?"],
    retrievalExamples: [
      "Do we have a runbook for high latency?",
      "What's the procedure when a queue backs up?",
      "Find runbooks for checkout-web",
      "How do we recover from a failed deploy?",
      "Which runbook covers certificate expiry?",
      "is there documented guidance for restarting the payments workers?",
      "search runbooks for disk full",
    ],
  },
  run: ({ query, service_id, limit = 5 }, ctx) => {
    if (!query && !service_id) {
      throw new ToolError("invalid_arguments", "Give a query, a service_id, or both.", "Ask the user which service or symptom the runbook is for.", "query");
    }
    const rows = ctx.db.sql
      .prepare(
        `SELECT id, title, body, tags, service_id, updated_at FROM kb_articles
          WHERE kind = 'runbook' ${service_id ? "AND service_id = ?" : ""} ORDER BY id`,
      )
      .all(...(service_id ? [service_id] : [])) as RunbookRow[];
    const terms = query ? searchTerms(query) : [];
    const scored = rankArticles(rows, query)
      .filter((s) => s.score > 0)
      .sort((a, b) => b.score - a.score || a.row.id.localeCompare(b.row.id))
      .slice(0, limit);
    return {
      query: query ?? null,
      service_id: service_id ?? null,
      returned: scored.length,
      runbooks: scored.map(({ row, score }) => ({
        id: row.id,
        title: row.title,
        service_id: row.service_id,
        tags: row.tags.split(",").map((t) => t.trim()).filter(Boolean),
        score,
        excerpt: excerpt(row.body, terms),
      })),
    };
  },
});

export const getRunbook = defineTool({
  name: "get_runbook",
  description:
    "Gets the full text of one runbook by its article id (from search_runbooks), with its service and tags. " +
    "Use it to read the actual steps before acting on an incident; it only returns runbooks, not policies or FAQs.",
  schema: z.object({
    article_id: idField("article_id", "The runbook's article id (from search_runbooks)"),
  }),
  metadata: {
    domain: "incidents",
    sideEffect: "read",
    idempotent: true,
    scopes: ["incidents:read"],
    examples: ["Open runbook KB-101", "Show me the steps of the payments-api runbook"],
    retrievalExamples: [
      "Open runbook KB-102",
      "Read me the full steps of KB-104",
      "Show the runbook article KB-101 in full",
      "What are the exact recovery steps in runbook KB-103?",
      "Pull up the whole checkout-web runbook so I can follow it",
      "get the text of this runbook",
    ],
  },
  run: ({ article_id }, ctx) => {
    const row = ctx.db.sql
      .prepare("SELECT id, title, body, tags, service_id, updated_at FROM kb_articles WHERE id = ? AND kind = 'runbook'")
      .get(article_id) as RunbookRow | undefined;
    if (!row) throw notFound("runbook", article_id, "article_id");
    return { ...row, tags: row.tags.split(",").map((t) => t.trim()).filter(Boolean) };
  },
});
