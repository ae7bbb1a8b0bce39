/**
 * A local, scripted OpenAI-compatible server for tests.
 *
 * It speaks just enough of the Chat Completions API (`POST /v1/chat/completions`, streaming and not, plus
 * `GET /v1/models`) for the real `ChatOpenAI` client to run end to end without network: the app's provider
 * path, request serialisation, SSE parsing and error mapping all run for real, and only the model's answers
 * are scripted. Every request is recorded so a test can assert on what the client actually sent.
 *
 * Built on `node:http` alone so it adds no dependency and starts in a few milliseconds.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { seededRandom } from "../../src/reliability/faults.js";

/** One scripted model turn: text, tool calls, or both. */
export interface ScriptedReply {
  /** Assistant text. Streamed as several deltas when the request streams. @example "Hello there." */
  content?: string;
  /**
   * Tool calls the assistant makes. `arguments` given as an object is JSON-encoded; a string is sent verbatim
   * (useful to script arguments that are not valid JSON).
   * @example [{ name: "get_customer", arguments: { id: "C-1" } }]
   */
  tool_calls?: { name: string; arguments: Record<string, unknown> | string }[];
  /** Token usage to report. When absent a deterministic estimate (about chars / 4) is reported. */
  usage?: { prompt_tokens: number; completion_tokens: number };
}

/**
 * Faults to inject into one chat-completion request. Status faults answer with an OpenAI-style error body and
 * do not consume a scripted reply, so "fail twice, then succeed" scripts only the success.
 */
export interface FaultPlan {
  /** Answer with this HTTP error instead of a completion (429 and 500 as OpenAI words them; others generic). */
  status?: 429 | 500 | 400 | 401 | 502 | 503;
  /** `Retry-After` header (seconds) sent with the error. */
  retryAfterSeconds?: number;
  /** Wait this long before answering (or before erroring), to exercise client timeouts. */
  delayMs?: number;
  /** Truncate every tool call's `arguments` string so it is not valid JSON. No effect on text-only replies. */
  malformedToolCallJson?: boolean;
}

/** The subset of a chat-completions request body tests usually inspect; everything else is kept as sent. */
export interface ChatCompletionRequestBody {
  model?: string;
  messages?: { role: string; content?: unknown; tool_calls?: unknown; tool_call_id?: string; [key: string]: unknown }[];
  tools?: { type: string; function: { name: string; description?: string; parameters?: unknown; strict?: boolean } }[];
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
  [key: string]: unknown;
}

/** A request as the server received it. */
export interface RecordedRequest {
  method: string;
  /** Path without query string. @example "/v1/chat/completions" */
  path: string;
  /** Node's lower-cased request headers. @example headers["authorization"] === "Bearer test-key" */
  headers: IncomingHttpHeaders;
  /** Parsed JSON body, or `undefined` when the request had no (valid) JSON body. */
  body: ChatCompletionRequestBody | undefined;
}

export interface OpenAICompatibleServer {
  /** Base URL ending in `/v1`, ready for `configuration.baseURL`. @example "http://127.0.0.1:53817/v1" */
  url: string;
  /** Every request received, in arrival order (including `GET /v1/models` and unknown routes). */
  requests: RecordedRequest[];
  /** Faults injected so far, by kind. */
  injected: InjectedCounts;
  /** Stops listening, drops open connections and cancels pending delays. */
  close(): Promise<void>;
}

export interface OpenAICompatibleServerOptions {
  /** Scripted replies consumed in order, or a function deciding the reply from the request. */
  replies?: ScriptedReply[] | ((req: RecordedRequest) => ScriptedReply);
  /**
   * Per-request fault plan. `index` counts chat-completion requests only (0-based), so retries of one logical
   * call get consecutive indexes regardless of other traffic.
   */
  faults?: (req: RecordedRequest, index: number) => FaultPlan | undefined;
  /**
   * Rate-based, seeded faults for requests that `faults` leaves alone (see `RateFaults`): reproducible chaos for
   * soak tests and the `faults` bench.
   */
  faultRates?: RateFaults;
  /** Port to bind on 127.0.0.1; 0 (the default) picks a free one. */
  port?: number;
}

/**
 * Faults injected at random but reproducible rates (each 0..1, drawn per chat-completion request in order from
 * `seed`). Their sum must be at most 1.
 * @example { seed: 7, rate429: 0.05, rate500: 0.05, rateTimeout: 0.02, rateMalformed: 0.03, retryAfterSeconds: 1, timeoutDelayMs: 2000 }
 */
export interface RateFaults {
  seed: number;
  rate429?: number;
  rate500?: number;
  /** Share of requests answered only after `timeoutDelayMs`, to trip the client's timeout. */
  rateTimeout?: number;
  /** Share of requests whose tool-call arguments are cut so they are not valid JSON (text replies unaffected). */
  rateMalformed?: number;
  /** `Retry-After` sent with injected 429s (default 1). */
  retryAfterSeconds?: number;
  /** Delay of an injected timeout (default 5000 ms). */
  timeoutDelayMs?: number;
}

/** How many faults of each kind the server injected (per-request plans and rate-based alike). */
export interface InjectedCounts {
  status429: number;
  status500: number;
  timeout: number;
  malformed: number;
}

/** A fault plan function drawing from `rates`; usable as `faults` on its own or through `faultRates`. */
export function rateFaultPlan(rates: RateFaults): () => FaultPlan | undefined {
  const { rate429 = 0, rate500 = 0, rateTimeout = 0, rateMalformed = 0 } = rates;
  if (rate429 + rate500 + rateTimeout + rateMalformed > 1 + 1e-9) throw new Error("RateFaults: the rates add up to more than 1.");
  const random = seededRandom(rates.seed);
  return () => {
    const roll = random();
    if (roll < rate429) return { status: 429, retryAfterSeconds: rates.retryAfterSeconds ?? 1 };
    if (roll < rate429 + rate500) return { status: 500 };
    if (roll < rate429 + rate500 + rateTimeout) return { delayMs: rates.timeoutDelayMs ?? 5000 };
    if (roll < rate429 + rate500 + rateTimeout + rateMalformed) return { malformedToolCallJson: true };
    return undefined;
  };
}

/** Models advertised by `GET /v1/models`. */
const MODELS = ["gpt-4o-mini", "gpt-4o"];
/** Fixed `created` timestamp so responses are byte-for-byte reproducible. */
const CREATED = 1_700_000_000;

/**
 * Starts a scripted OpenAI-compatible server on 127.0.0.1.
 *
 * @example
 * ```ts
 * const server = await startOpenAICompatibleServer({ replies: [{ content: "Hi!" }] });
 * try {
 *   const model = new ChatOpenAI({ model: "gpt-4o-mini", apiKey: "test-key", maxRetries: 0,
 *     configuration: { baseURL: server.url } });
 *   const reply = await model.invoke("Hello");          // reply.content === "Hi!"
 *   server.requests[0].body?.messages;                  // what ChatOpenAI sent
 * } finally {
 *   await server.close();
 * }
 * ```
 */
export async function startOpenAICompatibleServer(
  options: OpenAICompatibleServerOptions = {},
): Promise<OpenAICompatibleServer> {
  const requests: RecordedRequest[] = [];
  /** Pending injected delays; `close()` ends them early so no handler outlives the server. */
  const pendingDelays = new Map<NodeJS.Timeout, () => void>();
  let completionIndex = 0;
  let scriptedUsed = 0;
  const injected: InjectedCounts = { status429: 0, status500: 0, timeout: 0, malformed: 0 };
  const ratePlan = options.faultRates ? rateFaultPlan(options.faultRates) : undefined;

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        pendingDelays.delete(timer);
        resolve();
      }, ms);
      pendingDelays.set(timer, resolve);
    });

  const nextReply = (req: RecordedRequest): ScriptedReply => {
    const { replies } = options;
    if (typeof replies === "function") return replies(req);
    const script = replies ?? [];
    if (scriptedUsed >= script.length) {
      throw new Error(
        `OpenAI-compatible test server: scripted replies exhausted (reply #${scriptedUsed + 1} requested, ` +
          `only ${script.length} scripted). Add a reply to the test's script.`,
      );
    }
    return script[scriptedUsed++]!;
  };

  /** `requestNumber` is the request's 1-based position in `requests`; it makes ids unique and stable. */
  const handleChatCompletion = async (req: RecordedRequest, requestNumber: number, res: ServerResponse) => {
    const body = req.body;
    if (!body || !Array.isArray(body.messages)) {
      return sendError(res, 400, "Request body must be JSON with a `messages` array.", "invalid_request_error");
    }
    const fault = options.faults?.(req, completionIndex++) ?? ratePlan?.() ?? {};
    if (fault.status === 429) injected.status429++;
    else if (fault.status === 500) injected.status500++;
    else if (fault.delayMs) injected.timeout++;
    if (fault.delayMs) await sleep(fault.delayMs);
    // The client gave up (timeout/abort) or the server closed while we waited: nobody to answer.
    if (res.destroyed || !res.socket || res.socket.destroyed) return;
    if (fault.status) {
      const headers: Record<string, string> =
        fault.retryAfterSeconds !== undefined ? { "retry-after": String(fault.retryAfterSeconds) } : {};
      if (fault.status === 429) return sendError(res, 429, "Rate limit reached (injected by test server).", "requests", "rate_limit_exceeded", headers);
      if (fault.status === 500) return sendError(res, 500, "Internal server error (injected by test server).", "server_error", null, headers);
      return sendError(res, fault.status, `HTTP ${fault.status} (injected by test server).`, fault.status < 500 ? "invalid_request_error" : "server_error", null, headers);
    }

    let reply: ScriptedReply;
    try {
      reply = nextReply(req);
    } catch (error) {
      return sendError(res, 500, error instanceof Error ? error.message : String(error), "server_error");
    }
    const malformed = (fault.malformedToolCallJson ?? false) && (reply.tool_calls?.length ?? 0) > 0;
    if (malformed) injected.malformed++;
    const completion = buildCompletion(body, reply, requestNumber, malformed);
    if (body.stream) streamCompletion(res, completion, body.stream_options?.include_usage === true);
    else sendJson(res, 200, completion);
  };

  const server = createServer((incoming, res) => {
    void (async () => {
      const raw = await readBody(incoming);
      const url = new URL(incoming.url ?? "/", "http://localhost");
      const recorded: RecordedRequest = {
        method: incoming.method ?? "GET",
        path: url.pathname,
        headers: incoming.headers,
        body: parseJson(raw),
      };
      const requestNumber = requests.push(recorded);

      if (recorded.method === "POST" && recorded.path === "/v1/chat/completions") {
        await handleChatCompletion(recorded, requestNumber, res);
      } else if (recorded.method === "GET" && recorded.path === "/v1/models") {
        sendJson(res, 200, {
          object: "list",
          data: MODELS.map((id) => ({ id, object: "model", created: CREATED, owned_by: "openai" })),
        });
      } else {
        sendError(res, 404, `No route for ${recorded.method} ${recorded.path} on the test server.`, "invalid_request_error");
      }
    })().catch((error: unknown) => {
      // A bug here must show up as a failing request, not as a hung test.
      if (!res.headersSent && !res.destroyed) sendError(res, 500, `Test server crashed: ${String(error)}`, "server_error");
      else res.destroy();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    injected,
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const [timer, wake] of pendingDelays) {
          clearTimeout(timer);
          wake(); // the handler then finds its socket gone and returns
        }
        pendingDelays.clear();
        // Keep-alive sockets from the OpenAI SDK would otherwise hold `close()` open until they time out.
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

// ---------------------------------------------------------------------------------------------------------
// Response building

interface ToolCallOut {
  id: string;
  type: "function";
  function: { name: string; arguments: string };
}

interface Completion {
  id: string;
  object: "chat.completion";
  created: number;
  model: string;
  choices: {
    index: 0;
    message: { role: "assistant"; content: string | null; tool_calls?: ToolCallOut[]; refusal: null };
    finish_reason: "stop" | "tool_calls";
    logprobs: null;
  }[];
  usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
}

function buildCompletion(
  body: ChatCompletionRequestBody,
  reply: ScriptedReply,
  requestNumber: number,
  malformed: boolean,
): Completion {
  const toolCalls: ToolCallOut[] = (reply.tool_calls ?? []).map((call, i) => {
    let args = typeof call.arguments === "string" ? call.arguments : JSON.stringify(call.arguments);
    // Cut before the closing brace so the string can never parse, even for `{}`.
    if (malformed) args = args.slice(0, Math.max(1, Math.floor(args.length / 2)));
    return { id: `call_${requestNumber}_${i}`, type: "function", function: { name: call.name, arguments: args } };
  });
  const content = reply.content ?? null;
  const promptTokens = reply.usage?.prompt_tokens ?? estimateTokens(messagesText(body.messages ?? []));
  const completionTokens =
    reply.usage?.completion_tokens ??
    estimateTokens((content ?? "") + toolCalls.map((c) => c.function.name + c.function.arguments).join(""));
  return {
    id: `chatcmpl-test-${requestNumber}`,
    object: "chat.completion",
    created: CREATED,
    model: body.model ?? MODELS[0]!,
    choices: [
      {
        index: 0,
        message: {
          role: "assistant",
          content,
          ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
          refusal: null,
        },
        finish_reason: toolCalls.length > 0 ? "tool_calls" : "stop",
        logprobs: null,
      },
    ],
    usage: { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens },
  };
}

/**
 * Replays a finished completion as SSE chunks the way OpenAI does: a role chunk, content in several deltas,
 * each tool call opened (index/id/name) then filled by argument fragments, a finish chunk, an optional usage
 * chunk with empty `choices`, then `[DONE]`.
 */
function streamCompletion(res: ServerResponse, completion: Completion, includeUsage: boolean): void {
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" });
  const { message, finish_reason } = completion.choices[0]!;
  const chunk = (delta: Record<string, unknown>, finishReason: string | null = null) => ({
    id: completion.id,
    object: "chat.completion.chunk",
    created: completion.created,
    model: completion.model,
    choices: [{ index: 0, delta, finish_reason: finishReason, logprobs: null }],
    // With include_usage OpenAI sends `usage: null` on every chunk but the last.
    ...(includeUsage ? { usage: null } : {}),
  });
  const send = (data: unknown) => res.write(`data: ${JSON.stringify(data)}\n\n`);

  send(chunk({ role: "assistant", content: "", refusal: null }));
  for (const piece of splitContent(message.content ?? "")) send(chunk({ content: piece }));
  (message.tool_calls ?? []).forEach((call, index) => {
    send(chunk({ tool_calls: [{ index, id: call.id, type: "function", function: { name: call.function.name, arguments: "" } }] }));
    for (const fragment of splitFixed(call.function.arguments, 8)) {
      send(chunk({ tool_calls: [{ index, function: { arguments: fragment } }] }));
    }
  });
  send(chunk({}, finish_reason));
  if (includeUsage) {
    send({ id: completion.id, object: "chat.completion.chunk", created: completion.created, model: completion.model, choices: [], usage: completion.usage });
  }
  res.end("data: [DONE]\n\n");
}

/** Word-sized deltas (each keeps its trailing whitespace) so concatenation restores the text exactly. */
function splitContent(text: string): string[] {
  return text.match(/\s*\S+\s*/g) ?? (text ? [text] : []);
}

function splitFixed(text: string, size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

/** Text of every message (string or text parts, plus assistant tool-call arguments) for the usage estimate. */
function messagesText(messages: NonNullable<ChatCompletionRequestBody["messages"]>): string {
  return messages
    .map((m) => {
      const content =
        typeof m.content === "string"
          ? m.content
          : Array.isArray(m.content)
            ? m.content.map((part: { text?: unknown }) => (typeof part?.text === "string" ? part.text : "")).join("")
            : "";
      return content + (m.tool_calls ? JSON.stringify(m.tool_calls) : "");
    })
    .join("");
}

/** Deterministic ~4-chars-per-token estimate; at least 1 so usage is never reported as zero. */
function estimateTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

// ---------------------------------------------------------------------------------------------------------
// HTTP helpers

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function parseJson(raw: string): ChatCompletionRequestBody | undefined {
  if (!raw) return undefined;
  try {
    const value: unknown = JSON.parse(raw);
    return value && typeof value === "object" && !Array.isArray(value) ? (value as ChatCompletionRequestBody) : undefined;
  } catch {
    return undefined;
  }
}

function sendJson(res: ServerResponse, status: number, payload: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(payload));
}

/** OpenAI's error envelope, so the SDK builds its typed `APIError` subclasses (RateLimitError, ...). */
function sendError(
  res: ServerResponse,
  status: number,
  message: string,
  type: string,
  code: string | null = null,
  headers: Record<string, string> = {},
): void {
  sendJson(res, status, { error: { message, type, param: null, code } }, headers);
}
