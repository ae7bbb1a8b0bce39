/** The app's primitive tools as `ToolDocument`s (imported lazily by the retrieval bench's `--dataset app`). */
import { toolDocumentFromTool, type ToolDocument } from "../src/retrieval/tool-document.js";
import { supportTools } from "../tools/support/index.js";
import { incidentTools } from "../tools/incidents/index.js";
import { financeTools } from "../tools/finance/index.js";
import { shippingTools } from "../tools/shipping/index.js";
import { reportTools } from "../tools/reports/index.js";

export async function appToolDocuments(): Promise<ToolDocument[]> {
  return [...supportTools, ...incidentTools, ...financeTools, ...shippingTools, ...reportTools].map((tool) => toolDocumentFromTool(tool));
}
