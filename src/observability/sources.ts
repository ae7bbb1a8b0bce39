/**
 * Metrics read from the parts of Keel that keep their own counts, registered once by whoever serves `/metrics`
 * (src/server/http-app.ts, the CLI's metrics server): the exact model cache's hits and misses and the circuit
 * breakers' states. Kept out of metrics.ts so recording a metric never loads the cache or reliability layers.
 */
import { exactCacheStats } from "../cache/exact-cache.js";
import { breakerStates } from "../reliability/breaker.js";
import { addCacheSource, setBreakerSource } from "./metrics.js";

let registered = false;

export function registerMetricSources(): void {
  if (registered) return;
  registered = true;
  addCacheSource("exact", () => exactCacheStats());
  setBreakerSource(() => breakerStates());
}
