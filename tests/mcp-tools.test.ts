/** An MCP server's tool joins the index and the agent's scope, is retrieved for a matching request, and is called. */
import { describe, it, expect, afterAll } from "vitest";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { MemorySaver } from "@langchain/langgraph";
import { createKeelApp, type KeelApp } from "../graphs/app.js";
import type { ProgressEvent } from "../graphs/progress.js";
import { readMcpConfig } from "../src/mcp/mcp-tools.js";
import { ConfigurationError } from "../src/errors.js";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "keel-mcp-"));
const configFile = path.join(dir, "mcp.json");
fs.writeFileSync(
  configFile,
  JSON.stringify({
    servers: {
      fx: { command: process.execPath, args: ["--import", "tsx", path.resolve("tests/fixtures/mcp-fx-server.ts")], agent: "finance", sideEffect: "read", idempotent: true, scopes: ["finance:read"] },
    },
  }),
);

let app: KeelApp | undefined;
afterAll(async () => app?.close());

describe("MCP tools", () => {
  it("retrieves and calls a tool served by a local MCP server process", async () => {
    app = await createKeelApp({ checkpointer: new MemorySaver(), mcpConfigFile: configFile });
    const events: ProgressEvent[] = [];
    const turn = await app.run("Convert the invoice total of 99 USD to EUR for the customer's finance team", { onProgress: (e) => events.push(e) });
    const call = events.find((e) => e.kind === "tool_call" && e.tool === "convert_currency");
    expect(call).toMatchObject({ agent: "finance", args: { amount: 99, from: "USD", to: "EUR" } });
    expect(turn.answer).toContain("91.08");
  });

  it.each([
    ['{"servers":{"fx":{"command":"node"}}}', /servers\.fx\.agent/],
    ['{"servers":{"fx":{"command":"node","agent":"sales","sideEffect":"read"}}}', /servers\.fx\.agent/],
    ["not json", /cannot be read as JSON/],
  ])("a malformed config %s is refused naming the entry", (text, message) => {
    const file = path.join(dir, `bad-${Math.random().toString(36).slice(2)}.json`);
    fs.writeFileSync(file, text);
    expect(() => readMcpConfig(file)).toThrow(ConfigurationError);
    expect(() => readMcpConfig(file)).toThrow(message);
  });
});
