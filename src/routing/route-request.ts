/**
 * Routing with a fast path: the embedding router decides when it is confident; otherwise the model decides
 * (`decideRoute`, one structured-output call), as before. Returns where the decision came from, so callers can
 * count model calls saved and benches can score the fast share on its own.
 */
import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { decideRoute, routingThreshold, type RouteDecision, type RoutingHint } from "../../graphs/meta/router.js";
import type { RouteName } from "../../graphs/meta/directory.js";
import { EmbeddingRouter, fastRouterSettings, namesSomething, withNamed, type FastRoute, type FastRouterSettings } from "./embedding-router.js";
import { appRouteExamples } from "./route-examples.js";
import { EntityEvidence } from "./entity-evidence.js";
import { DOMAIN_TOOLS } from "../../graphs/agents/tool-index.js";
import { recordCacheLookup } from "../observability/metrics.js";

export type RoutedDecision = RouteDecision & {
  /** `embedding`: the fast path decided, no model call; `model`: the router model decided. */
  source: "embedding" | "model";
  fast?: FastRoute;
};

let shared: Promise<EmbeddingRouter> | undefined;

/** The app's embedding router, built once per process over `appRouteExamples()`. */
export function appEmbeddingRouter(): Promise<EmbeddingRouter> {
  shared ??= EmbeddingRouter.build(appRouteExamples(), { evidence: EntityEvidence.fromTools(DOMAIN_TOOLS) }).catch((error: unknown) => {
    shared = undefined;
    throw error;
  });
  return shared;
}

export interface RouteRequestOptions {
  /**
   * Asked when the fast path is off or unsure: a model (one `decideRoute` call), or a function that decides
   * (e.g. through the reliability layer's model chain). Built or called only when needed.
   * @example { model: () => chatModel("fast") }
   */
  model: (() => BaseChatModel) | { decide: (request: string, similar: RoutingHint[]) => Promise<RouteDecision> };
  /** Default: `appEmbeddingRouter()`. */
  router?: EmbeddingRouter;
  /** Default: `fastRouterSettings()` (environment). */
  settings?: FastRouterSettings;
}

let warned = false;
function warnOnce(message: string): void {
  if (!warned) console.warn(message);
  warned = true;
}

export async function routeRequest(request: string, options: RouteRequestOptions): Promise<RoutedDecision> {
  const settings = options.settings ?? fastRouterSettings();
  let fast: FastRoute | undefined;
  if (settings.enabled) {
    try {
      const router = options.router ?? (await appEmbeddingRouter());
      fast = await router.route(request, settings);
    } catch (error) {
      // An embedding model that fails costs a model call, never the request.
      warnOnce(`Fast routing is unavailable (${(error as Error).message}); routing with the model.`);
    }
    // The fast path's hit rate: answered by the embedding router, or passed on to the model.
    recordCacheLookup("routing_fast_path", fast?.confident === true);
    if (fast?.confident) {
      return {
        routes: fast.routes as RouteName[],
        // Confident by the router's own thresholds: never below the meta agent's routing threshold, or it would clarify.
        confidence: Number(Math.min(1, Math.max(fast.confidence, routingThreshold())).toFixed(2)),
        reason:
          fast.routes.length > 0
            ? `Embedding router: closest example requests are ${fast.routes.join(" + ")} (score ${fast.confidence.toFixed(2)}).`
            : `Embedding router: the request matches no example (best score ${fast.confidence.toFixed(2)}); asking what it is about.`,
        source: "embedding",
        fast,
      };
    }
  }
  // The router's nearest labelled examples go into the model's prompt as few-shot hints (dynamic few-shot).
  const similar: RoutingHint[] = (fast?.similar ?? []).map(({ route, text }) => ({ route, text }));
  const decision = typeof options.model === "function" ? await decideRoute(options.model(), request, similar) : await options.model.decide(request, similar);
  return { ...withNamedRecords(decision, request, fast?.named ?? []), source: "model", ...(fast ? { fast } : {}) };
}

/**
 * The model's decision, held to two rules about records: an agent whose records the request names (`EntityEvidence`:
 * INV-20500 is finance's) is always among the routes, and a request naming a record, service or amount is routed,
 * not met with a clarifying question, when the model names a route or the record names one (it says what it is about).
 */
export function withNamedRecords(decision: RouteDecision, request: string, named: readonly string[]): RouteDecision {
  const routes = withNamed(decision.routes, named);
  if (routes.length === 0 || !namesSomething(request)) return decision;
  const confidence = Math.max(decision.confidence, routingThreshold());
  const added = routes.length > decision.routes.length ? ` Records named in the request add ${routes.slice(decision.routes.length).join(", ")}.` : "";
  return { ...decision, routes, confidence, reason: `${decision.reason}${added}` };
}
