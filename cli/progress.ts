/** One line of progress per event, for the terminal. */
import type { ProgressEvent } from "../graphs/progress.js";

export function formatProgress(event: ProgressEvent): string {
  switch (event.kind) {
    case "route": {
      if (event.source === "cache") return "→ answered from the semantic cache (same request before, data unchanged)\n";
      const via = event.source === "embedding" ? ", fast path" : "";
      return event.routes.length > 0
        ? `→ routing to ${event.routes.join(" + ")} (confidence ${event.confidence.toFixed(2)}${via})\n`
        : `→ not sure where to route (confidence ${event.confidence.toFixed(2)}${via})\n`;
    }
    case "tool_call":
      return `  [${event.agent}] calling ${event.tool} ${JSON.stringify(event.args)}\n`;
    case "tool_result":
      return `  [${event.agent}] ${event.tool} ${event.ok ? "done" : "returned an error"}\n`;
    case "agent_done":
      return `  [${event.agent}] finished\n`;
    case "approval":
      return `⏸ approval needed: ${event.description}\n`;
  }
}
