/**
 * The app's tool index: every primitive tool of every task agent, embedded once per process (and cached on
 * disk by content), shared by the agents' tool-selection middleware and their `search_tools`.
 */
import { ToolIndex } from "../../src/retrieval/tool-index.js";
import { toolDocumentFromTool } from "../../src/retrieval/tool-document.js";
import { openToolStore } from "../../src/retrieval/tool-store.js";
import type { KeelTool } from "../../src/toolkit/define-tool.js";
import { supportTools } from "../../tools/support/index.js";
import { incidentTools } from "../../tools/incidents/index.js";
import { financeTools } from "../../tools/finance/index.js";
import { shippingTools } from "../../tools/shipping/index.js";

export const DOMAIN_TOOLS = {
  support: supportTools as KeelTool[],
  incidents: incidentTools as KeelTool[],
  finance: financeTools as KeelTool[],
  shipping: shippingTools as KeelTool[],
};

let building: Promise<ToolIndex> | undefined;
const extra: KeelTool[] = [];

/** Adds tools from elsewhere (MCP servers) to the index; call before the first selection. */
export function registerExtraTools(tools: KeelTool[]): void {
  extra.push(...tools);
  building = undefined;
}

export function appToolIndex(): Promise<ToolIndex> {
  // In memory, or in PostgreSQL with DATABASE_URL (src/retrieval/tool-store.ts). A failed start is retried next time.
  building ??= openToolStore()
    .then(({ store }) => ToolIndex.build([...Object.values(DOMAIN_TOOLS).flat(), ...extra].map(toolDocumentFromTool), { store }))
    .catch((error: unknown) => {
      building = undefined;
      throw error;
    });
  return building;
}
