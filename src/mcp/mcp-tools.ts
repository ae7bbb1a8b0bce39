/**
 * Tools from MCP servers (stdio), loaded with `@langchain/mcp-adapters` and given the same metadata as Keel's
 * own tools, so they join the tool index, the approval policy and the scope checks on equal terms.
 *
 * Configuration: `KEEL_MCP_CONFIG` names a JSON file:
 * @example
 * {
 *   "servers": {
 *     "fx": { "command": "node", "args": ["fx-server.js"], "agent": "finance",
 *             "sideEffect": "read", "idempotent": true, "scopes": ["finance:read"] }
 *   }
 * }
 */
import fs from "node:fs";
import { z } from "zod";
import { MultiServerMCPClient } from "@langchain/mcp-adapters";
import type { StructuredToolInterface } from "@langchain/core/tools";
import { ConfigurationError } from "../errors.js";
import { SIDE_EFFECTS, type KeelToolMetadata } from "../toolkit/define-tool.js";

const AGENTS = ["support", "incidents", "finance", "shipping"] as const;

const ServerSchema = z.object({
  command: z.string().min(1),
  args: z.array(z.string()).default([]),
  env: z.record(z.string(), z.string()).optional(),
  /** The task agent whose scope the server's tools join. */
  agent: z.enum(AGENTS),
  sideEffect: z.enum(SIDE_EFFECTS),
  idempotent: z.boolean().default(false),
  scopes: z.array(z.string()).default([]),
});
const McpConfigSchema = z.object({ servers: z.record(z.string().regex(/^[a-z][a-z0-9_-]*$/), ServerSchema) });
export type McpConfig = z.infer<typeof McpConfigSchema>;

/** A tool from an MCP server, with Keel metadata attached. */
export type McpTool = StructuredToolInterface & { metadata: KeelToolMetadata };

export function readMcpConfig(file: string): McpConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (error) {
    throw new ConfigurationError(`KEEL_MCP_CONFIG ${file} cannot be read as JSON (${(error as Error).message}).`, "Point it at a JSON file like the example in src/mcp/mcp-tools.ts.");
  }
  const parsed = McpConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigurationError(`KEEL_MCP_CONFIG ${file}: ${issue.path.join(".")}: ${issue.message}.`, "Fix that entry; every server needs command, agent and sideEffect.");
  }
  return parsed.data;
}

export interface LoadedMcpTools {
  byAgent: Partial<Record<(typeof AGENTS)[number], McpTool[]>>;
  close(): Promise<void>;
}

/** Starts the configured servers and returns their tools grouped by the agent they serve. */
export async function loadMcpTools(config: McpConfig): Promise<LoadedMcpTools> {
  const client = new MultiServerMCPClient({
    mcpServers: Object.fromEntries(
      Object.entries(config.servers).map(([name, s]) => [name, { transport: "stdio" as const, command: s.command, args: s.args, ...(s.env ? { env: s.env } : {}) }]),
    ),
    throwOnLoadError: true,
    prefixToolNameWithServerName: false,
  });
  const byAgent: LoadedMcpTools["byAgent"] = {};
  try {
    const perServer = await client.initializeConnections();
    for (const [name, tools] of Object.entries(perServer)) {
      const server = config.servers[name]!;
      for (const tool of tools) {
        const withMetadata = tool as unknown as McpTool;
        withMetadata.metadata = { domain: server.agent, sideEffect: server.sideEffect, idempotent: server.idempotent, scopes: server.scopes, source: "mcp", server: name };
        (byAgent[server.agent] ??= []).push(withMetadata);
      }
    }
  } catch (error) {
    await client.close().catch(() => undefined);
    throw new ConfigurationError(`An MCP server failed to start or list its tools: ${(error as Error).message}.`, "Check its command in KEEL_MCP_CONFIG.");
  }
  return { byAgent, close: () => client.close() };
}
