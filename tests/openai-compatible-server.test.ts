/**
 * Drives the real `ChatOpenAI` against the local OpenAI-compatible test server, so the provider path
 * (request serialisation, response/SSE parsing, usage and error mapping) is covered without network.
 */
import { describe, it, expect, afterEach } from "vitest";
import { ChatOpenAI } from "@langchain/openai";
import { AIMessageChunk, HumanMessage, SystemMessage } from "@langchain/core/messages";
import { tool } from "@langchain/core/tools";
import { z } from "zod";
import {
  startOpenAICompatibleServer,
  type OpenAICompatibleServer,
  type OpenAICompatibleServerOptions,
} from "./support/openai-compatible-server.js";

let server: OpenAICompatibleServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function setup(options: OpenAICompatibleServerOptions, fields: { streamUsage?: boolean; timeout?: number } = {}) {
  server = await startOpenAICompatibleServer(options);
  const model = new ChatOpenAI({
    model: "gpt-4o-mini",
    apiKey: "test-key",
    maxRetries: 0,
    configuration: { baseURL: server.url },
    ...fields,
  });
  return { server, model };
}

const getCustomer = tool(async ({ customerId }) => `customer ${customerId}`, {
  name: "get_customer",
  description: "Look up a customer by id.",
  schema: z.object({
    customerId: z.string().describe("Customer id, e.g. C-1"),
    includeOrders: z.boolean().describe("Whether to include recent orders"),
  }),
});

describe("OpenAI-compatible test server with ChatOpenAI", () => {
  it.each([
    { label: "scripted usage", usage: { prompt_tokens: 42, completion_tokens: 7 }, input: 42, output: 7 },
    // "Say hello." is 10 chars -> ceil(10/4) = 3; "Hello from the test server." is 27 chars -> 7.
    { label: "estimated usage", usage: undefined, input: 3, output: 7 },
  ])("returns a plain text reply and maps $label to usage_metadata", async ({ usage, input, output }) => {
    const { server, model } = await setup({ replies: [{ content: "Hello from the test server.", usage }] });

    const reply = await model.invoke("Say hello.");

    expect(reply.content).toBe("Hello from the test server.");
    expect(reply.tool_calls).toEqual([]);
    expect(reply.usage_metadata).toMatchObject({ input_tokens: input, output_tokens: output, total_tokens: input + output });
    expect(reply.response_metadata).toMatchObject({ model_name: "gpt-4o-mini", finish_reason: "stop" });
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]!.path).toBe("/v1/chat/completions");
    expect(server.requests[0]!.headers.authorization).toBe("Bearer test-key");
    expect(server.requests[0]!.body?.stream).toBeFalsy();
  });

  it("parses a scripted tool call and records the tool's JSON schema", async () => {
    const { server, model } = await setup({
      replies: [{ tool_calls: [{ name: "get_customer", arguments: { customerId: "C-1", includeOrders: true } }] }],
    });

    const reply = await model.bindTools([getCustomer]).invoke("Who is customer C-1?");

    expect(reply.tool_calls).toEqual([
      expect.objectContaining({ name: "get_customer", args: { customerId: "C-1", includeOrders: true }, id: "call_1_0" }),
    ]);
    expect(reply.response_metadata).toMatchObject({ finish_reason: "tool_calls" });
    const tools = server.requests[0]!.body?.tools;
    expect(tools).toHaveLength(1);
    expect(tools![0]).toMatchObject({
      type: "function",
      function: {
        name: "get_customer",
        description: "Look up a customer by id.",
        parameters: {
          type: "object",
          properties: {
            customerId: { type: "string", description: "Customer id, e.g. C-1" },
            includeOrders: { type: "boolean", description: "Whether to include recent orders" },
          },
          required: ["customerId", "includeOrders"],
        },
      },
    });
  });

  it.each([
    { label: "without", fault: undefined },
    { label: "with", fault: { malformedToolCallJson: true } },
  ])("surfaces a tool call $label malformed argument JSON as it really arrived", async ({ fault }) => {
    const { model } = await setup({
      replies: [{ tool_calls: [{ name: "get_customer", arguments: { customerId: "C-1", includeOrders: false } }] }],
      faults: () => fault,
    });

    const reply = await model.bindTools([getCustomer]).invoke("Who is customer C-1?");

    if (fault) {
      // LangChain cannot parse truncated JSON, so the call lands in invalid_tool_calls with the raw string.
      expect(reply.tool_calls).toEqual([]);
      expect(reply.invalid_tool_calls).toHaveLength(1);
      expect(reply.invalid_tool_calls![0]).toMatchObject({ name: "get_customer" });
      expect(() => JSON.parse(reply.invalid_tool_calls![0]!.args!)).toThrow();
    } else {
      expect(reply.tool_calls![0]!.args).toEqual({ customerId: "C-1", includeOrders: false });
      expect(reply.invalid_tool_calls ?? []).toEqual([]);
    }
  });

  it.each([
    { streamUsage: true, usage: { input_tokens: 11, output_tokens: 8, total_tokens: 19 } },
    // Without stream_options.include_usage the server must not send the usage chunk.
    { streamUsage: false, usage: undefined },
  ])("streams text in several chunks that concatenate to the full reply (streamUsage $streamUsage)", async ({ streamUsage, usage }) => {
    const text = "Streaming works one word at a time.";
    const { server, model } = await setup(
      { replies: [{ content: text, usage: { prompt_tokens: 11, completion_tokens: 8 } }] },
      { streamUsage },
    );

    const chunks: AIMessageChunk[] = [];
    for await (const chunk of await model.stream("Stream please.")) chunks.push(chunk);
    const full = chunks.reduce((acc, chunk) => acc.concat(chunk));

    expect(chunks.filter((c) => typeof c.content === "string" && c.content.length > 0).length).toBeGreaterThan(3);
    expect(full.content).toBe(text);
    if (usage) expect(full.usage_metadata).toMatchObject(usage);
    else expect(full.usage_metadata).toBeUndefined();
    expect(server.requests[0]!.body?.stream).toBe(true);
    expect(server.requests[0]!.body?.stream_options?.include_usage === true).toBe(streamUsage);
  });

  it("streams tool calls that assemble into parsed calls", async () => {
    const { model } = await setup({
      replies: [
        {
          content: "Checking both.",
          tool_calls: [
            { name: "get_customer", arguments: { customerId: "C-1", includeOrders: true } },
            { name: "get_customer", arguments: { customerId: "C-22", includeOrders: false } },
          ],
        },
      ],
    });

    let full: AIMessageChunk | undefined;
    for await (const chunk of await model.bindTools([getCustomer]).stream("Compare C-1 and C-22.")) {
      full = full ? full.concat(chunk) : chunk;
    }

    expect(full?.content).toBe("Checking both.");
    expect(full?.tool_calls).toEqual([
      expect.objectContaining({ name: "get_customer", args: { customerId: "C-1", includeOrders: true }, id: "call_1_0" }),
      expect.objectContaining({ name: "get_customer", args: { customerId: "C-22", includeOrders: false }, id: "call_1_1" }),
    ]);
  });

  it.each([
    { status: 429 as const, retryAfterSeconds: 7 },
    { status: 500 as const, retryAfterSeconds: undefined },
  ])("surfaces an injected $status as an error with that status (maxRetries 0)", async ({ status, retryAfterSeconds }) => {
    const { server, model } = await setup({
      replies: [{ content: "never sent" }],
      faults: (_req, index) => (index === 0 ? { status, retryAfterSeconds } : undefined),
    });

    const error = await model.invoke("Hi").then(
      () => undefined,
      (e: unknown) => e as { status?: number; headers?: Headers; message?: string },
    );

    expect(error).toBeDefined();
    expect(error!.status).toBe(status);
    if (retryAfterSeconds !== undefined) expect(error!.headers?.get("retry-after")).toBe(String(retryAfterSeconds));
    expect(server.requests).toHaveLength(1); // maxRetries 0 really means one attempt
    // The fault did not consume the scripted reply, so the next call succeeds.
    await expect(model.invoke("Hi again")).resolves.toMatchObject({ content: "never sent" });
  });

  it("answers with a clear 500 when the script runs out", async () => {
    const { model } = await setup({ replies: [{ content: "only one" }] });

    await model.invoke("first");
    await expect(model.invoke("second")).rejects.toMatchObject({
      status: 500,
      message: expect.stringContaining("scripted replies exhausted"),
    });
  });

  it.each([
    // The OpenAI SDK's own request timeout, which LangChain maps to a retryable TimeoutError.
    { label: "client timeout", fields: { timeout: 100 }, callOptions: {}, name: "TimeoutError" },
    // LangChain's per-call timeout aborts through an AbortSignal instead.
    { label: "call timeout", fields: {}, callOptions: { timeout: 100 }, name: "AbortError" },
  ])("fails with $name when an injected delay outlasts the $label", async ({ fields, callOptions, name }) => {
    const { model } = await setup({ replies: [{ content: "too late" }], faults: () => ({ delayMs: 5_000 }) }, fields);

    const started = Date.now();
    await expect(model.invoke("Hi", callOptions)).rejects.toMatchObject({ name });
    expect(Date.now() - started).toBeLessThan(4_000); // gave up on the delay, did not wait it out
  });

  it("records the system and user messages ChatOpenAI sent", async () => {
    const { server, model } = await setup({
      replies: (req) => ({ content: `You said: ${String(req.body?.messages?.at(-1)?.content)}` }),
    });

    const reply = await model.invoke([
      new SystemMessage("You are Keel's support agent."),
      new HumanMessage("Where is order O-9?"),
    ]);

    expect(reply.content).toBe("You said: Where is order O-9?");
    expect(server.requests[0]!.body).toMatchObject({
      model: "gpt-4o-mini",
      messages: [
        { role: "system", content: "You are Keel's support agent." },
        { role: "user", content: "Where is order O-9?" },
      ],
    });
  });

  it("lists models on GET /v1/models", async () => {
    const { server } = await setup({});

    const response = await fetch(`${server.url}/models`);
    const body = (await response.json()) as { object: string; data: { id: string }[] };

    expect(response.status).toBe(200);
    expect(body.object).toBe("list");
    expect(body.data.map((m) => m.id)).toContain("gpt-4o-mini");
  });
});
