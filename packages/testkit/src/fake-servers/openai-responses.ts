import { stringOf } from "@asm/provider-utils";
import type { ServerResponse } from "node:http";
import {
  sendJson,
  SseWriter,
  startFakeHttpServer,
  type FakeRequestContext,
  type RecordedRequest,
} from "./http-server.js";
import { ReplyScript, scriptedServer, type ScriptedFakeServer } from "./scripted-server.js";
import { responsesFailedEvents, responsesJson, responsesSseEvents, type ResponsesSseEvent } from "./openai-responses-encode.js";
import { defaultResponsesResponder } from "./openai-responses-replies.js";
import { toResponsesTurn } from "./openai-responses-turn.js";
import type { ResponsesErrorReply, ResponsesMessageReply, ResponsesReply, ResponsesResponder, ResponsesTurn } from "./openai-responses-types.js";

// The reply builders and request readers belong with the server for callers of the package index.
export { openAIResponsesReplies, defaultResponsesResponder } from "./openai-responses-replies.js";
export { toResponsesTurn, responsesTextOf } from "./openai-responses-turn.js";

/** What the Ollama-native routes answer (`/api/version`, `/api/tags`, `/api/show`, `/api/ps`). */
export interface FakeOllamaOptions {
  /** Reported by `GET /api/version` (default `0.13.5`). */
  version?: string;
  /** Installed models (default `["gpt-oss:20b"]`). */
  models?: readonly string[];
  /** Models reported as loaded by `GET /api/ps` (default none). */
  loaded?: readonly string[];
}

/** Options of {@link startFakeOpenAIResponses}. */
export interface FakeOpenAIResponsesOptions {
  /** Replies used in order, one per `/v1/responses` call, before falling back to `respond`. */
  replies?: Array<ResponsesReply | ResponsesResponder>;
  /** Decides a call's reply when the queue is empty (default: `OK`, or echo a tool output). */
  respond?: ResponsesResponder;
  /** When set, a call without `Authorization: Bearer <apiKey>` gets a 401 (and uses no reply). */
  apiKey?: string;
  /** Also answer Ollama's native routes, so the same server stands in for a local Ollama. */
  ollama?: FakeOllamaOptions;
  /** Port to bind on 127.0.0.1 (default: a free one). */
  port?: number;
}

/** A running fake OpenAI Responses API; `turns` are the `/v1/responses` calls. */
export interface FakeOpenAIResponsesServer extends ScriptedFakeServer<ResponsesTurn, ResponsesReply, FakeOpenAIResponsesServer> {
  /** The API base URL to give clients (`http://127.0.0.1:PORT/v1`). */
  readonly baseUrl: string;
}

const ERRORS: Record<number, { type: string; code: string | null; message: string }> = {
  400: { type: "invalid_request_error", code: null, message: "Invalid request." },
  401: { type: "invalid_request_error", code: "invalid_api_key", message: "Incorrect API key provided: dummy" },
  403: { type: "invalid_request_error", code: "unsupported_country_region_territory", message: "You are not allowed to use this model." },
  404: { type: "invalid_request_error", code: "model_not_found", message: "The model does not exist or you do not have access to it." },
  429: { type: "requests", code: "rate_limit_exceeded", message: "Rate limit reached for requests" },
  500: { type: "server_error", code: null, message: "The server had an error while processing your request." },
  503: { type: "server_error", code: null, message: "The engine is currently overloaded, please try again later" },
};

/**
 * Starts a fake OpenAI Responses API on `127.0.0.1`: `POST /v1/responses` answered from the
 * scripted queue, then from the responder, as the server-sent events `codex` 0.169.0 reads
 * (`response.created`, `response.output_item.added`, text or function-call-argument deltas,
 * `response.output_item.done`, `response.completed` with usage), or as one JSON response when the
 * body does not ask for `stream`. A tool call's output comes back as a `function_call_output` item
 * in the client's next call (see `ResponsesTurn.continuingAfterTool`). Replies can also be HTTP
 * errors, `response.failed`, delays, dropped connections or hangs. With `ollama`, Ollama's native
 * routes answer too (Codex's OSS route itself only calls `POST <CODEX_OSS_BASE_URL>/responses`).
 * Anything else gets a 404 error body. Every request is recorded.
 *
 * @example
 * ```ts
 * const api = await startFakeOpenAIResponses();
 * api.respondWith(openAIResponsesReplies.shellThenText("echo hi", "The command printed: hi"));
 * // write fakeCodexConfigToml({ baseUrl: api.baseUrl }) to $CODEX_HOME/config.toml, run `codex exec` …
 * expect(api.turns[1]?.toolOutputs[0]?.output).toContain("hi");
 * await api.close();
 * ```
 */
export async function startFakeOpenAIResponses(options: FakeOpenAIResponsesOptions = {}): Promise<FakeOpenAIResponsesServer> {
  const replies = new ReplyScript<ResponsesTurn, ResponsesReply>(options.replies, options.respond ?? defaultResponsesResponder);
  let responseCount = 0;

  async function handle(request: RecordedRequest, response: ServerResponse, context: FakeRequestContext): Promise<void> {
    if (options.ollama !== undefined && ollamaRoute(request, response, options.ollama)) return;
    if (request.method !== "POST" || request.path !== "/v1/responses") {
      sendError(response, { kind: "error", status: 404, code: null, message: `Not found: ${request.method} ${request.path}` });
      return;
    }
    const turn = toResponsesTurn(request, replies.turns.length + 1);
    if (options.apiKey !== undefined && request.headers.authorization !== `Bearer ${options.apiKey}`) {
      replies.turns.push(turn);
      sendError(response, { kind: "error", status: 401 });
      return;
    }
    await answer(await replies.replyTo(turn), turn, response, context);
  }

  async function answer(reply: ResponsesReply, turn: ResponsesTurn, response: ServerResponse, context: FakeRequestContext): Promise<void> {
    switch (reply.kind) {
      case "hang":
        // Leave the response open; the client's abort or the server's close ends it.
        return;
      case "drop":
        if (await context.sleep(reply.delayMs ?? 0)) response.socket?.destroy();
        return;
      case "error":
        if (await context.sleep(reply.delayMs ?? 0)) sendError(response, reply);
        return;
      case "failed": {
        if (!(await context.sleep(reply.delayMs ?? 0))) return;
        const writer = new SseWriter(response, context);
        writer.begin(200, withRequestId());
        if (await writeAll(writer, responsesFailedEvents(turn, reply.message, reply.code ?? "server_error"))) writer.end();
        return;
      }
      case "message":
        if (!(await context.sleep(reply.delayMs ?? 0))) return;
        if (turn.body.stream === true) await stream(reply, turn, response, context);
        else if (reply.cut?.mode === "drop") response.socket?.destroy();
        else if (reply.cut?.mode !== "hang") sendJson(response, 200, responsesJson(reply, turn), withRequestId());
        return;
    }
  }

  async function stream(reply: ResponsesMessageReply, turn: ResponsesTurn, response: ServerResponse, context: FakeRequestContext): Promise<void> {
    const writer = new SseWriter(response, context, reply.chunkDelayMs ?? 0);
    writer.begin(200, withRequestId());
    const events = responsesSseEvents(reply, turn);
    if (!(await writeAll(writer, events.slice(0, reply.cut?.afterEvents ?? events.length)))) return;
    if (reply.cut === undefined) writer.end();
    else if (reply.cut.mode === "drop") writer.drop();
    // mode "hang": keep the stream open and silent.
  }

  function sendError(response: ServerResponse, reply: ResponsesErrorReply): void {
    const base = ERRORS[reply.status] ?? { type: reply.status >= 500 ? "server_error" : "invalid_request_error", code: null, message: `HTTP ${reply.status}` };
    const error = {
      message: reply.message ?? base.message,
      type: reply.type ?? base.type,
      param: null,
      code: reply.code === undefined ? base.code : reply.code,
    };
    sendJson(response, reply.status, { error }, withRequestId(reply.headers));
  }

  function withRequestId(headers: Record<string, string> = {}): Record<string, string> {
    responseCount += 1;
    return { "x-request-id": `req_fake_${responseCount}`, ...headers };
  }

  const server = await startFakeHttpServer({ handle, ...(options.port === undefined ? {} : { port: options.port }) });
  return scriptedServer<ResponsesTurn, ResponsesReply, FakeOpenAIResponsesServer>(server, replies, {
    get baseUrl() {
      return `${server.url}/v1`;
    },
  });
}

async function writeAll(writer: SseWriter, events: readonly ResponsesSseEvent[]): Promise<boolean> {
  for (const event of events) if (!(await writer.event(event.event, event.data))) return false;
  return true;
}

function ollamaModel(name: string) {
  return {
    name,
    model: name,
    modified_at: "2026-01-01T00:00:00Z",
    size: 13_000_000_000,
    digest: "0".repeat(64),
    details: { format: "gguf", family: "gptoss", parameter_size: "20.9B", quantization_level: "MXFP4" },
  };
}

function ollamaRoute(request: RecordedRequest, response: ServerResponse, ollama: FakeOllamaOptions): boolean {
  const models = ollama.models ?? ["gpt-oss:20b"];
  switch (`${request.method} ${request.path}`) {
    case "GET /api/version":
      sendJson(response, 200, { version: ollama.version ?? "0.13.5" });
      return true;
    case "GET /api/tags":
      sendJson(response, 200, { models: models.map(ollamaModel) });
      return true;
    case "GET /api/ps":
      sendJson(response, 200, { models: (ollama.loaded ?? []).map(ollamaModel) });
      return true;
    case "POST /api/show": {
      const body = (typeof request.body === "object" && request.body !== null ? request.body : {}) as { model?: unknown; name?: unknown };
      const name = stringOf(body.model ?? body.name);
      const found = models.find((model) => model === name || model === `${name}:latest`);
      if (found === undefined) sendJson(response, 404, { error: `model '${name}' not found` });
      else sendJson(response, 200, { ...ollamaModel(found), capabilities: ["completion", "tools", "thinking"], model_info: { "general.context_length": 131072 } });
      return true;
    }
    default:
      return false;
  }
}
