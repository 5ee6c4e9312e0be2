import type { ServerResponse } from "node:http";
import { anthropicMessageJson, anthropicSseEvents } from "./anthropic-encode.js";
import { defaultAnthropicResponder } from "./anthropic-replies.js";
import { toAnthropicTurn } from "./anthropic-turn.js";
import type { AnthropicErrorReply, AnthropicMessageReply, AnthropicReply, AnthropicResponder, AnthropicTurn } from "./anthropic-types.js";
import { sendJson, SseWriter, startFakeHttpServer, type FakeRequestContext, type RecordedRequest } from "./http-server.js";
import { ReplyScript, scriptedServer, type ScriptedFakeServer } from "./scripted-server.js";

/** Options of {@link startFakeAnthropic}. */
export interface FakeAnthropicOptions {
  /** Replies used in order, one per `/v1/messages` call, before falling back to `respond`. */
  replies?: Array<AnthropicReply | AnthropicResponder>;
  /** Decides a call's reply when the queue is empty (default: `OK`, or echo a tool result). */
  respond?: AnthropicResponder;
  /** Port to bind on 127.0.0.1 (default: a free one). */
  port?: number;
}

/** A running fake Anthropic Messages API; `turns` are the `/v1/messages` calls. */
export type FakeAnthropicServer = ScriptedFakeServer<AnthropicTurn, AnthropicReply, FakeAnthropicServer>;

const ERROR_TYPES: Record<number, string> = {
  400: "invalid_request_error",
  401: "authentication_error",
  403: "permission_error",
  404: "not_found_error",
  413: "request_too_large",
  429: "rate_limit_error",
  500: "api_error",
  529: "overloaded_error",
};

const ERROR_MESSAGES: Record<string, string> = {
  authentication_error: "invalid x-api-key",
  permission_error: "Your API key does not have permission to use the specified resource.",
  rate_limit_error: "Number of request tokens has exceeded your per-minute rate limit",
  api_error: "Internal server error",
  overloaded_error: "Overloaded",
};

/**
 * Starts a fake Anthropic Messages API on `127.0.0.1`. `POST /v1/messages` (with or without
 * `?beta=true`) is answered from the scripted queue, then from the responder: as real SSE when the
 * body says `stream: true`, as one JSON message otherwise. `POST /v1/messages/count_tokens` gets
 * a token estimate; `HEAD`/`GET` preflights get 200; anything else a 404 error body. Every request
 * is recorded.
 *
 * @example
 * ```ts
 * const api = await startFakeAnthropic();
 * api.respondWith(anthropicReplies.toolThenText("Bash", { command: "echo hi" }, "The command printed: hi"));
 * // run `claude` with ANTHROPIC_BASE_URL=api.url …
 * expect(api.turns[1]?.toolResults[0]?.text).toBe("hi");
 * await api.close();
 * ```
 */
export async function startFakeAnthropic(options: FakeAnthropicOptions = {}): Promise<FakeAnthropicServer> {
  const replies = new ReplyScript<AnthropicTurn, AnthropicReply>(options.replies, options.respond ?? defaultAnthropicResponder);
  let responseCount = 0;

  async function handle(request: RecordedRequest, response: ServerResponse, context: FakeRequestContext): Promise<void> {
    if (request.method === "HEAD" || request.method === "GET" || request.method === "OPTIONS") {
      if (request.method === "HEAD" || request.method === "OPTIONS") {
        response.writeHead(200);
        response.end();
      } else {
        sendJson(response, 200, {});
      }
      return;
    }
    if (request.method === "POST" && request.path === "/v1/messages/count_tokens") {
      sendJson(response, 200, { input_tokens: Math.max(1, Math.ceil(request.rawBody.length / 4)) });
      return;
    }
    if (request.method !== "POST" || request.path !== "/v1/messages") {
      sendError(response, { kind: "error", status: 404, message: `Not found: ${request.method} ${request.path}` });
      return;
    }
    const turn = toAnthropicTurn(request, replies.turns.length + 1);
    await answer(await replies.replyTo(turn), turn, response, context);
  }

  async function answer(reply: AnthropicReply, turn: AnthropicTurn, response: ServerResponse, context: FakeRequestContext): Promise<void> {
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
      case "message":
        if (!(await context.sleep(reply.delayMs ?? 0))) return;
        if (turn.stream) await stream(reply, turn, response, context);
        else if (reply.cut?.mode === "drop") response.socket?.destroy();
        else if (reply.cut?.mode !== "hang") sendJson(response, 200, anthropicMessageJson(reply, turn), withRequestId(reply.headers));
        return;
    }
  }

  async function stream(reply: AnthropicMessageReply, turn: AnthropicTurn, response: ServerResponse, context: FakeRequestContext): Promise<void> {
    const writer = new SseWriter(response, context, reply.chunkDelayMs ?? 0);
    writer.begin(200, withRequestId(reply.headers));
    const events = anthropicSseEvents(reply, turn);
    const limit = reply.cut?.afterEvents ?? events.length;
    for (const [position, event] of events.entries()) {
      if (position >= limit) break;
      if (!(await writer.event(event.event, event.data))) return;
    }
    if (reply.cut === undefined) writer.end();
    else if (reply.cut.mode === "drop") writer.drop();
    // mode "hang": keep the stream open and silent.
  }

  function sendError(response: ServerResponse, reply: AnthropicErrorReply): void {
    const type = reply.type ?? ERROR_TYPES[reply.status] ?? (reply.status >= 500 ? "api_error" : "invalid_request_error");
    const message = reply.message ?? ERROR_MESSAGES[type] ?? `HTTP ${reply.status}`;
    sendJson(response, reply.status, { type: "error", error: { type, message } }, withRequestId(reply.headers));
  }

  function withRequestId(headers: Record<string, string> = {}): Record<string, string> {
    responseCount += 1;
    return { "request-id": `req_fake_${responseCount}`, ...headers };
  }

  const server = await startFakeHttpServer({ handle, ...(options.port === undefined ? {} : { port: options.port }) });
  return scriptedServer<AnthropicTurn, AnthropicReply, FakeAnthropicServer>(server, replies, {});
}
