import type { ServerResponse } from "node:http";
import { defaultGeminiResponder, defaultGeminiUtilityResponder } from "./gemini-replies.js";
import { GEMINI_MODEL_PATH, textOf, toGeminiTurn } from "./gemini-turn.js";
import type { GeminiErrorReply, GeminiMessageReply, GeminiReply, GeminiResponder, GeminiTurn } from "./gemini-types.js";
import {
  sendJson,
  SseWriter,
  startFakeHttpServer,
  type FakeRequestContext,
  type RecordedRequest,
} from "./http-server.js";
import { ReplyScript, scriptedServer, type ScriptedFakeServer } from "./scripted-server.js";

/** Options of {@link startFakeGemini}. */
export interface FakeGeminiOptions {
  /** Replies used in order, one per `streamGenerateContent` call, before falling back to `respond`. */
  replies?: Array<GeminiReply | GeminiResponder>;
  /** Decides a `streamGenerateContent` call's reply when the queue is empty (default: `OK`, or echo a function response). */
  respond?: GeminiResponder;
  /** Decides `generateContent` replies (default: the model-router JSON when JSON is asked for, else `OK`). */
  respondUtility?: GeminiResponder;
  /** When set, a call with another API key gets the API's real 401 answer. */
  apiKey?: string;
  /** Port to bind on 127.0.0.1 (default: a free one). */
  port?: number;
}

/**
 * A running fake Gemini API (`generativelanguage.googleapis.com` shape); `turns` are the
 * `streamGenerateContent` calls (the model turns), and `reset()` also forgets the utility calls.
 */
export interface FakeGeminiServer extends ScriptedFakeServer<GeminiTurn, GeminiReply, FakeGeminiServer> {
  /** The `generateContent` calls so far (router and other utility calls), parsed. */
  readonly utilityCalls: GeminiTurn[];
}

const RPC_STATUS: Record<number, string> = {
  400: "INVALID_ARGUMENT",
  401: "UNAUTHENTICATED",
  403: "PERMISSION_DENIED",
  404: "NOT_FOUND",
  429: "RESOURCE_EXHAUSTED",
  500: "INTERNAL",
  503: "UNAVAILABLE",
  504: "DEADLINE_EXCEEDED",
};

const ERROR_MESSAGES: Record<number, string> = {
  400: "Request contains an invalid argument.",
  401: "API key not valid. Please pass a valid API key.",
  403: "The caller does not have permission",
  404: "Requested entity was not found.",
  429: "Resource has been exhausted (e.g. check quota).",
  500: "Internal error encountered.",
  503: "The model is overloaded. Please try again later.",
  504: "Deadline expired before operation could complete.",
};

/**
 * Starts a fake Gemini API on `127.0.0.1`, enough for the real Gemini CLI
 * (`GOOGLE_GEMINI_BASE_URL=<url>`, `GEMINI_API_KEY=<anything>`):
 * `POST /v1beta/models/{model}:streamGenerateContent?alt=sse` is answered from the scripted queue,
 * then from the responder, as SSE chunks; `:generateContent` (the CLI's model router when `-m` is
 * not given, and other one-shot calls) from `respondUtility` as one JSON response; `:countTokens`
 * with an estimate; anything else gets a Google-style 404. Every request is recorded.
 *
 * @example
 * ```ts
 * const api = await startFakeGemini();
 * api.respondWith(geminiReplies.shellThenText("echo hi", "The command printed: hi"));
 * // run `gemini -m gemini-2.5-flash -p … --yolo` with GOOGLE_GEMINI_BASE_URL=api.url …
 * expect(api.turns[1]?.functionResponses[0]?.name).toBe("run_shell_command");
 * await api.close();
 * ```
 */
export async function startFakeGemini(options: FakeGeminiOptions = {}): Promise<FakeGeminiServer> {
  const replies = new ReplyScript<GeminiTurn, GeminiReply>(options.replies, options.respond ?? defaultGeminiResponder);
  const utility = new ReplyScript<GeminiTurn, GeminiReply>([], options.respondUtility ?? defaultGeminiUtilityResponder);

  async function handle(request: RecordedRequest, response: ServerResponse, context: FakeRequestContext): Promise<void> {
    const route = GEMINI_MODEL_PATH.exec(request.path);
    if (request.method !== "POST" || route === null) {
      sendError(response, { kind: "error", status: 404, message: `Not found: ${request.method} ${request.path}` });
      return;
    }
    const model = decodeURIComponent(route[2] ?? "");
    const method = route[3];
    if (method === "countTokens") {
      sendJson(response, 200, { totalTokens: estimateTokens(request.rawBody) });
      return;
    }
    if (method !== "streamGenerateContent" && method !== "generateContent") {
      sendError(response, { kind: "error", status: 404, message: `Method not found: ${method ?? ""}` });
      return;
    }
    const calls = method === "streamGenerateContent" ? replies : utility;
    const turn = toGeminiTurn(request, calls.turns.length + 1, model, method);
    if (options.apiKey !== undefined && turn.apiKey !== options.apiKey) {
      calls.turns.push(turn);
      sendError(response, { kind: "error", status: 401 });
      return;
    }
    await answer(await calls.replyTo(turn), turn, response, context);
  }

  async function answer(reply: GeminiReply, turn: GeminiTurn, response: ServerResponse, context: FakeRequestContext): Promise<void> {
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
      case "message": {
        if (!(await context.sleep(reply.delayMs ?? 0))) return;
        const chunks = encodeChunks(reply, turn);
        if (turn.method === "streamGenerateContent") {
          await stream(reply, chunks, response, context);
        } else if (reply.cut?.mode === "drop") {
          response.socket?.destroy();
        } else if (reply.cut?.mode !== "hang") {
          sendJson(response, 200, mergeChunks(chunks), reply.headers ?? {});
        }
        return;
      }
    }
  }

  async function stream(reply: GeminiMessageReply, chunks: GeminiChunk[], response: ServerResponse, context: FakeRequestContext): Promise<void> {
    const writer = new SseWriter(response, context, reply.chunkDelayMs ?? 0);
    writer.begin(200, reply.headers ?? {});
    const limit = reply.cut?.afterChunks ?? chunks.length;
    for (const [position, chunk] of chunks.entries()) {
      if (position >= limit) break;
      if (!(await writer.event(undefined, chunk))) return;
    }
    if (reply.cut === undefined) writer.end();
    else if (reply.cut.mode === "drop") writer.drop();
    // mode "hang": keep the stream open and silent.
  }

  const server = await startFakeHttpServer({ handle, ...(options.port === undefined ? {} : { port: options.port }) });
  return scriptedServer<GeminiTurn, GeminiReply, FakeGeminiServer>(server, replies, { utilityCalls: utility.turns }, () => utility.reset());
}

/** One `GenerateContentResponse` as streamed. */
interface GeminiChunk {
  candidates: Array<{ content: { role: "model"; parts: Array<Record<string, unknown>> }; index: number; finishReason?: string }>;
  usageMetadata?: Record<string, number>;
  modelVersion: string;
  responseId: string;
}

let responseCount = 0;

/** Splits a reply into response chunks: text in `deltaSize` pieces, each function call whole. */
function encodeChunks(reply: GeminiMessageReply, turn: GeminiTurn): GeminiChunk[] {
  responseCount += 1;
  const responseId = `fake-gemini-${responseCount}`;
  const modelVersion = reply.modelVersion ?? turn.model;
  const size = Math.max(1, reply.deltaSize ?? 64);
  const pieces: Array<Record<string, unknown>> = [];
  for (const part of reply.parts) {
    if ("functionCall" in part) {
      pieces.push({ functionCall: { ...part.functionCall } });
      continue;
    }
    for (let start = 0; start < part.text.length || start === 0; start += size) {
      pieces.push({ text: part.text.slice(start, start + size), ...(part.thought === true ? { thought: true } : {}) });
      if (part.text.length === 0) break;
    }
  }
  if (pieces.length === 0) pieces.push({ text: "" });
  const chunks: GeminiChunk[] = pieces.map((piece) => ({
    candidates: [{ content: { role: "model", parts: [piece] }, index: 0 }],
    modelVersion,
    responseId,
  }));
  const last = chunks[chunks.length - 1] as GeminiChunk;
  (last.candidates[0] as GeminiChunk["candidates"][number]).finishReason = reply.finishReason ?? "STOP";
  last.usageMetadata = usageMetadata(reply, turn);
  return chunks;
}

/** The chunks of a reply as one non-streamed response. */
function mergeChunks(chunks: GeminiChunk[]): GeminiChunk {
  const last = chunks[chunks.length - 1] as GeminiChunk;
  const parts: Array<Record<string, unknown>> = [];
  for (const chunk of chunks) {
    for (const part of chunk.candidates[0]?.content.parts ?? []) {
      const previous = parts[parts.length - 1];
      if (typeof part.text === "string" && previous !== undefined && typeof previous.text === "string" && previous.thought === part.thought) {
        previous.text = `${previous.text}${part.text}`;
      } else {
        parts.push({ ...part });
      }
    }
  }
  return { ...last, candidates: [{ ...(last.candidates[0] as GeminiChunk["candidates"][number]), content: { role: "model", parts } }] };
}

function usageMetadata(reply: GeminiMessageReply, turn: GeminiTurn): Record<string, number> {
  const usage = reply.usage ?? {};
  const contents = Array.isArray(turn.body.contents) ? turn.body.contents : [];
  const promptText = contents.map((content) => textOf(content)).join("\n");
  const replyText = reply.parts.map((part) => ("text" in part && part.thought !== true ? part.text : "functionCall" in part ? JSON.stringify(part.functionCall) : "")).join("");
  const prompt = usage.promptTokens ?? estimateTokens(promptText);
  const candidates = usage.candidatesTokens ?? estimateTokens(replyText);
  const thoughts = usage.thoughtsTokens ?? 0;
  return {
    promptTokenCount: prompt,
    candidatesTokenCount: candidates,
    totalTokenCount: prompt + candidates + thoughts,
    ...(thoughts > 0 ? { thoughtsTokenCount: thoughts } : {}),
    ...(usage.cachedTokens === undefined ? {} : { cachedContentTokenCount: usage.cachedTokens }),
  };
}

function estimateTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

function sendError(response: ServerResponse, reply: GeminiErrorReply): void {
  const rpcStatus = reply.rpcStatus ?? RPC_STATUS[reply.status] ?? (reply.status >= 500 ? "INTERNAL" : "FAILED_PRECONDITION");
  const message = reply.message ?? ERROR_MESSAGES[reply.status] ?? `HTTP ${reply.status}`;
  sendJson(response, reply.status, { error: { code: reply.status, message, status: rpcStatus } }, reply.headers ?? {});
}
