/**
 * The meta agent's fast path: an embedding router over example requests per route, so most requests are routed
 * with no model call. The model is asked only when this router is unsure (see `route-request.ts`).
 *
 * How a request is scored: every example request is one document, scored with the retrieval core's pieces
 * (`src/retrieval/`): USE-Lite cosine (vectors cached on disk by content) fused with BM25 over the examples'
 * words (`fuse`, weighted). A route scores its share of a similarity-weighted vote of the nearest examples
 * (`ROUTER_NEIGHBOURS`). Labelled requests that needed several routes are examples of their combination
 * ("finance+shipping"), which competes like a route. A request with several clauses ("ORD-10233 never arrived and I
 * was charged twice") is also scored clause by clause, and each clause votes.
 *
 * The router is confident when the best route scores at least `minScore` and leads the runner-up by at least
 * `minMargin`, and no clause it is unsure of leans to another route (`partObjection`), or when every clause is sure
 * of its own; otherwise it says so and the caller asks the model.
 * Thresholds were tuned on held-out requests only (`DEFAULT_FAST_ROUTER`).
 */
import type { Embeddings } from "@langchain/core/embeddings";
import { Bm25Index } from "../retrieval/bm25.js";
import { fuse, type FusionOptions } from "../retrieval/fusion.js";
import { retrievalEmbeddings } from "../retrieval/embeddings.js";
import type { CachedEmbeddings } from "../retrieval/embedding-cache.js";
import { cosineSimilarity } from "../embeddings/use-lite.js";
import { splitClauses } from "../models/offline/planner.js";
import { contentWords } from "../models/offline/relevance.js";
import { ConfigurationError } from "../errors.js";
import type { EntityEvidence } from "./entity-evidence.js";

export interface RouteExample {
  route: string;
  text: string;
}

export interface FastRouterSettings {
  /** Whether the fast path is used at all. @example KEEL_FAST_ROUTING=off */
  enabled: boolean;
  /** The best route's score (its share of the nearest examples' vote) must reach this. @example KEEL_FAST_ROUTING_MIN_SCORE=0.6 */
  minScore: number;
  /** ...and lead the runner-up by this much. @example KEEL_FAST_ROUTING_MIN_MARGIN=0.5 */
  minMargin: number;
  /** A clause of a multi-part request must reach this score... */
  partMinScore: number;
  /** ...and this lead over its runner-up. */
  partMinMargin: number;
  /**
   * A request sure as a whole keeps its routes though some clauses are unsure ("Hi, hope you're well"), unless an
   * unsure clause's best route lies outside them with at least this share of its vote: then the model decides.
   * Above 1 turns it off (every clause must be sure). @example partObjection: 0.4
   */
  partObjection: number;
  /**
   * When even the nearest example is less similar than this (fused score), a request naming no record, service or
   * amount matches nothing: it is answered with a clarifying question without asking the model ("help", "can you
   * check on it"); one naming something goes to the model. 0 turns this off.
   */
  clarifyBelow: number;
}

/**
 * The largest share routed without a model call whose accuracy stays at 0.985 or more (head-room over the 0.98
 * target), over 5,360 held-out requests: `evals/datasets/routing-tune.jsonl` (written blind to the router's examples)
 * and every labelled examples file scored by a router built without it (`npx tsx bench/routing-tune.ts --lofo`):
 * 0.649 at 0.985, where requiring every clause to be sure (`partObjection` off) reached 0.591.
 */
export const DEFAULT_FAST_ROUTER: Omit<FastRouterSettings, "enabled"> = { minScore: 0.6, minMargin: 0.5, partMinScore: 0.95, partMinMargin: 0.1, clarifyBelow: 0.27, partObjection: 0.4 };

/** Dense and keyword weights for example matching; the retrieval defaults, checked on the routing dev split. */
export const ROUTER_FUSION: FusionOptions = { method: "weighted", denseWeight: 0.6, keywordWeight: 0.4 };

/**
 * Added to a route's score when the text names a value only that route's tools take (`EntityEvidence`: an id such
 * as INV-20500, a service, a carrier; a combination naming that route counts). The routing dev split scored the same
 * from 0.05 to 0.2 when scores were similarities; on vote shares (5,360 held-out requests, every clause sure) 0, 0.05,
 * 0.1 and 0.2 routed 0.568, 0.581, 0.591 and 0.594 without a model call at 0.985, so 0.1 was kept.
 */
export const ENTITY_BONUS = 0.1;

/**
 * A route's score is its share of a vote of the request's nearest this-many examples, each weighted by
 * exp((its similarity - the nearest's) / `ROUTER_VOTE_TEMPERATURE`): a share reads the same whatever the request's
 * length or wording, where raw similarities do not. In leave-one-file-out tuning (3,960 held-out requests) the vote
 * routed 0.590 without a model call at 0.986 (0.615 at 0.987 once a request must also be near some example,
 * `clarifyBelow`), the mean of each route's best three examples 0.552 at 0.985. Re-checked on 5,360: 20 neighbours
 * beat 10 and 40 (0.591 against 0.552 and 0.582).
 */
export const ROUTER_NEIGHBOURS = 20;
/** See `ROUTER_NEIGHBOURS`; 0.05 beat 0.03 and 0.08 in both tunings. */
export const ROUTER_VOTE_TEMPERATURE = 0.05;

/**
 * Reads `KEEL_FAST_ROUTING` (`on` default | `off`), `KEEL_FAST_ROUTING_MIN_SCORE`, `KEEL_FAST_ROUTING_MIN_MARGIN`;
 * a malformed value throws `ConfigurationError` naming it.
 * @example fastRouterSettings({ KEEL_FAST_ROUTING: "off" }).enabled === false
 */
export function fastRouterSettings(env: NodeJS.ProcessEnv = process.env): FastRouterSettings {
  const mode = (env.KEEL_FAST_ROUTING ?? "on").trim().toLowerCase();
  if (!["on", "off", "true", "false", "1", "0"].includes(mode)) {
    throw new ConfigurationError(`KEEL_FAST_ROUTING is "${env.KEEL_FAST_ROUTING}".`, 'Use "on" (route with embeddings when confident) or "off" (always ask the model).');
  }
  const number = (name: string, fallback: number) => {
    const raw = env[name]?.trim();
    if (!raw) return fallback;
    const value = Number(raw);
    if (!Number.isFinite(value) || value < 0 || value > 2) throw new ConfigurationError(`${name} is "${raw}".`, "Give a number from 0 to 2.");
    return value;
  };
  return {
    enabled: ["on", "true", "1"].includes(mode),
    minScore: number("KEEL_FAST_ROUTING_MIN_SCORE", DEFAULT_FAST_ROUTER.minScore),
    minMargin: number("KEEL_FAST_ROUTING_MIN_MARGIN", DEFAULT_FAST_ROUTER.minMargin),
    partMinScore: DEFAULT_FAST_ROUTER.partMinScore,
    partMinMargin: DEFAULT_FAST_ROUTER.partMinMargin,
    partObjection: DEFAULT_FAST_ROUTER.partObjection,
    clarifyBelow: DEFAULT_FAST_ROUTER.clarifyBelow,
  };
}

/** The pseudo-route of vague example requests: winning it means "ask a clarifying question" (no route). */
export const CLARIFY_ROUTE = "(clarify)";

/**
 * A labelled request that needed several routes is an example of their combination, named by joining them:
 * "finance+shipping" ("I was billed for ORD-10455 and it never came"). Winning it picks every route it names.
 */
export const COMBINED_ROUTE_SEPARATOR = "+";

/** The routes a (possibly combined) example route stands for. */
export function routesOf(route: string): string[] {
  return route.split(COMBINED_ROUTE_SEPARATOR);
}

/** Routes whose requests name several domains by nature ("incidents, revenue and shipping in one report"). */
const WHOLE_ONLY_ROUTES = new Set(["weekly_brief"]);

export interface RouteScore {
  route: string;
  score: number;
}

export interface PartVote {
  text: string;
  ranking: RouteScore[];
  confident: boolean;
}

export interface FastRoute {
  /** Routes picked (empty when nothing scored at all). */
  routes: string[];
  /** True when the decision can be used without asking the model. */
  confident: boolean;
  /** Lowest best-score among the whole request and its clauses, 0..1 (for the routing decision's confidence). */
  confidence: number;
  /** The whole request's ranking, best first. */
  ranking: RouteScore[];
  /** Clause votes, when the request has several clauses. */
  parts: PartVote[];
  /** The example requests nearest to the request and its parts (see `ScoredRequest.similar`). */
  similar: SimilarExample[];
  /** Routes whose records the request names (see `ScoredRequest.named`). */
  named: string[];
}

export class EmbeddingRouter {
  private constructor(
    private readonly examples: RouteExample[],
    private readonly vectors: number[][],
    private readonly keyword: Bm25Index<"text">,
    private readonly embeddings: Embeddings,
    readonly routes: string[],
    private readonly evidence: EntityEvidence | undefined,
  ) {}

  /** Embeds the examples (from the disk cache when seen before). */
  static async build(examples: RouteExample[], options: { embeddings?: Embeddings; evidence?: EntityEvidence } = {}): Promise<EmbeddingRouter> {
    if (examples.length === 0) throw new ConfigurationError("The embedding router has no example requests.", "Give at least one example per route.");
    const embeddings = options.embeddings ?? retrievalEmbeddings().embeddings;
    const vectors = await embeddings.embedDocuments(examples.map((e) => e.text));
    const keyword = new Bm25Index(examples.map((e) => ({ fields: { text: e.text } })));
    const routes = [...new Set(examples.map((e) => e.route))];
    return new EmbeddingRouter(examples, vectors, keyword, embeddings, routes, options.evidence);
  }

  /** Every route ranked for one text, best first. */
  async rank(text: string): Promise<RouteScore[]> {
    return (await this.rankWithExamples(text)).ranking;
  }

  /** The routes ranked for one text, the example requests nearest to it (best first), and how near the nearest is. */
  private async rankWithExamples(text: string): Promise<{ ranking: RouteScore[]; nearest: SimilarExample[]; closeness: number }> {
    const query = await this.embeddings.embedQuery(text);
    const dense = this.vectors.map((v) => cosineSimilarity(query, v));
    const fused = fuse({ candidates: this.examples.map((_, i) => i), dense, keyword: this.keyword.scores(text), keywordCeiling: this.keyword.ceiling(text) }, ROUTER_FUSION);
    const nearest = fused.slice(0, NEAREST_EXAMPLES).map((f) => ({ ...this.examples[f.index]!, score: f.score }));
    // Each of the nearest examples votes for its route, weighted by how much less similar it is than the nearest.
    const voters = fused.slice(0, ROUTER_NEIGHBOURS);
    const closeness = voters[0]?.score ?? 0;
    const weights = voters.map((f) => Math.exp((f.score - closeness) / ROUTER_VOTE_TEMPERATURE));
    const total = weights.reduce((a, b) => a + b, 0);
    const votes = new Map<string, number>();
    voters.forEach((f, i) => {
      const route = this.examples[f.index]!.route;
      votes.set(route, (votes.get(route) ?? 0) + weights[i]! / total);
    });
    const named = this.evidence?.routesNamedIn(text) ?? new Set<string>();
    const ranking = this.routes
      .map((route) => {
        const score = votes.get(route) ?? 0;
        return { route, score: routesOf(route).some((r) => named.has(r)) ? score + ENTITY_BONUS : score };
      })
      .sort((a, b) => b.score - a.score);
    return { ranking, nearest, closeness };
  }

  /** The whole request's ranking and, for a multi-part request, each part's (the costly half of `route`). */
  async score(request: string): Promise<ScoredRequest> {
    const texts = requestParts(request);
    // One batched embedding call for the request and its parts (about 2-3x cheaper per text than one by one).
    const cached = this.embeddings as Partial<CachedEmbeddings>;
    if (texts.length > 0 && typeof cached.primeQueries === "function") await cached.primeQueries([request, ...texts]);
    const { ranking, nearest, closeness } = await this.rankWithExamples(request);
    const parts = [];
    const similar = [...nearest];
    for (const text of texts) {
      const part = await this.rankWithExamples(text);
      parts.push({ text, ranking: part.ranking });
      similar.push(...part.nearest);
    }
    const named = [...(this.evidence?.routesNamedIn(request) ?? [])];
    return { request, ranking, parts, similar: distinctExamples(similar), named, closeness };
  }

  /** Routes a request; `confident` says whether the answer may be used without the model. */
  async route(request: string, settings: Omit<FastRouterSettings, "enabled"> = DEFAULT_FAST_ROUTER): Promise<FastRoute> {
    return decideFastRoute(await this.score(request), settings);
  }
}

export interface ScoredRequest {
  request: string;
  ranking: RouteScore[];
  parts: { text: string; ranking: RouteScore[] }[];
  /** The example requests nearest to the request and to each part, best first (for the model's prompt). */
  similar?: SimilarExample[];
  /** Routes whose records the request names (`EntityEvidence`): always among the routes when it is routed. */
  named?: string[];
  /** How similar the nearest example is to the whole request (fused score; default: the best route's score). */
  closeness?: number;
}

/** An example request with its route and how close it is to the request being routed. */
export interface SimilarExample extends RouteExample {
  score: number;
}

/** Example requests kept per text (the whole request and each part) as the model's few-shot hints. */
export const NEAREST_EXAMPLES = 4;

function distinctExamples(examples: SimilarExample[]): SimilarExample[] {
  const seen = new Set<string>();
  return examples
    .sort((a, b) => b.score - a.score)
    .filter((e) => (seen.has(e.text) ? false : (seen.add(e.text), true)));
}

/** The decision rule over scores (pure, so thresholds can be tuned without re-embedding). */
export function decideFastRoute(scored: ScoredRequest, settings: Omit<FastRouterSettings, "enabled">): FastRoute {
  const sure = (ranking: RouteScore[], minScore: number, minMargin: number) => {
    const [best, second] = ranking;
    return Boolean(best) && best!.score >= minScore && best!.score - (second?.score ?? 0) >= minMargin;
  };
  const { request, ranking } = scored;
  const named = scored.named ?? [];
  const parts: PartVote[] = scored.parts.map((p) => ({ ...p, confident: sure(p.ranking, settings.partMinScore, settings.partMinMargin) }));
  // What every decision carries besides its routes.
  const carried = { ranking, parts, similar: scored.similar ?? [], named };
  const top = ranking[0];
  if (!top) return { routes: [], confident: false, confidence: 0, ...carried };
  // A request unlike every example is never routed without the model, however its nearest examples vote.
  const closeness = scored.closeness ?? top.score;
  const sureOfWhole = closeness >= settings.clarifyBelow && sure(ranking, settings.minScore, settings.minMargin);
  // Vague requests are near nothing, so the vague examples need only lead, not reach minScore.
  const leads = top.score - (ranking[1]?.score ?? 0) >= settings.minMargin;
  const vague = !namesSomething(request) && (closeness < settings.clarifyBelow || (top.route === CLARIFY_ROUTE && leads));
  if (vague) return { routes: [], confident: true, confidence: top.score, ...carried };
  if (top.route === CLARIFY_ROUTE) return { routes: [], confident: false, confidence: top.score, ...carried };
  // A whole-request route that spans every domain (the weekly brief) is not split into its domains' parts.
  if (parts.length === 0 || (sureOfWhole && WHOLE_ONLY_ROUTES.has(top.route))) {
    return { routes: WHOLE_ONLY_ROUTES.has(top.route) ? [top.route] : withNamed(routesOf(top.route), named), confident: sureOfWhole, confidence: top.score, ...carried };
  }
  // Several parts: each must be sure of its route; the routes are theirs (the whole request's best first).
  // A part nearest the vague examples ("thanks", "please") votes for nothing.
  const votes = [...new Set(parts.flatMap((p) => routesOf(p.ranking[0]!.route)).filter((r) => r !== CLARIFY_ROUTE))];
  if (votes.length === 0) return { routes: [], confident: false, confidence: top.score, ...carried };
  const whole = routesOf(top.route);
  const confidence = Math.min(top.score, ...parts.map((p) => p.ranking[0]!.score));
  const routes = withNamed(whole.every((r) => votes.includes(r)) ? [...whole, ...votes.filter((r) => !whole.includes(r))] : votes, named);
  if (parts.every((p) => p.confident) && (routes.length > 1 || sureOfWhole)) return { routes, confident: true, confidence, ...carried };
  // Long messages carry clauses that say nothing routable (greetings, backstory): a sure whole request keeps its
  // routes, adds those of its sure clauses, and asks the model only when an unsure clause leans elsewhere.
  const objects = (p: PartVote) => !p.confident && p.ranking[0]!.score >= settings.partObjection && routesOf(p.ranking[0]!.route).some((r) => r !== CLARIFY_ROUTE && !whole.includes(r));
  if (sureOfWhole && settings.partObjection <= 1 && !parts.some(objects)) {
    const added = parts.filter((p) => p.confident).flatMap((p) => routesOf(p.ranking[0]!.route)).filter((r) => r !== CLARIFY_ROUTE && !whole.includes(r));
    return { routes: withNamed([...new Set([...whole, ...added])], named), confident: true, confidence: top.score, ...carried };
  }
  return { routes, confident: false, confidence, ...carried };
}

/** The routes plus any whose records the request names (those agents hold the data the answer needs). */
export function withNamed<R extends string>(routes: readonly R[], named: readonly string[]): R[] {
  return [...routes, ...(named as R[]).filter((r) => !routes.includes(r))];
}

/**
 * The parts of a request that may need different routes: the offline planner's clauses, cut further at
 * ", and", "and", "also", "plus" and "then"; parts with fewer than two content words stay with their neighbour.
 */
export function requestParts(request: string): string[] {
  const pieces = splitClauses(request).flatMap((clause) => clause.split(/,?\s+(?:and|also|plus|then)\s+|,\s+(?=(?:which|what|where|how|who|is|are|can|please)\b)/i));
  const parts: string[] = [];
  for (const piece of pieces.map((p) => p.trim()).filter(Boolean)) {
    if (contentWords(piece).length >= 2 || parts.length === 0) parts.push(piece);
    else parts[parts.length - 1] += ` ${piece}`;
  }
  if (parts.length > 1 && contentWords(parts[0]!).length < 2) parts.splice(0, 2, `${parts[0]} ${parts[1]}`);
  return parts.length >= 2 ? parts : [];
}

/** A record id, service name, channel, email or amount: a request naming one is not vague, however short. */
export function namesSomething(request: string): boolean {
  return /\b[A-Z]{2,4}-\d+\b|\b[a-z]+-[a-z]+\b|#[a-z]|@|\$\s?\d|\d{2,}/i.test(request);
}
