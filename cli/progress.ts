/** One line of progress per event, for the terminal. */
import type { ProgressEvent, TokenEvent } from "../graphs/progress.js";

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

/**
 * Prints streamed answer text on the terminal as it arrives, one line per agent ("  [finance] ..."), and closes
 * the line before the next progress line, so tokens and progress never share a line.
 */
export class TokenPrinter {
  private current: string | undefined;
  constructor(private readonly write: (text: string) => void) {}

  token(event: TokenEvent): void {
    if (this.current !== event.agent) {
      this.end();
      this.write(`  [${event.agent}] ✎ `);
      this.current = event.agent;
    }
    this.write(event.text.replace(/\n/g, `\n  [${event.agent}]   `));
  }

  /** Ends the open token line, if any. */
  end(): void {
    if (this.current !== undefined) this.write("\n");
    this.current = undefined;
  }

  /** Progress text, after ending the open token line. */
  progress(text: string): void {
    this.end();
    this.write(text);
  }
}
