import type { RecordedRequest } from "./http-server.js";

/** The fields of a `POST /v1/responses` body a fake needs; everything else is kept as sent. */
export interface ResponsesRequestBody {
  model?: string;
  stream?: boolean;
  input?: Array<Record<string, unknown>>;
  tools?: Array<Record<string, unknown>>;
  reasoning?: { effort?: string } & Record<string, unknown>;
  text?: Record<string, unknown>;
  [key: string]: unknown;
}

/** A tool's output the client sent back (`function_call_output` or `custom_tool_call_output`). */
export interface ResponsesToolOutput {
  callId: string;
  /** The output as text (non-string outputs JSON-encoded). */
  output: string;
}

/** One `POST /v1/responses` call, as given to a responder. */
export interface ResponsesTurn {
  /** The recorded HTTP request. */
  request: RecordedRequest;
  /** The parsed body (an empty object when the body was not JSON). */
  body: ResponsesRequestBody;
  /** Position among the `/v1/responses` calls this server received, starting at 1. */
  number: number;
  /** The requested model (`gpt-5.5` when the body names none). */
  model: string;
  /** The body's `input` items. */
  input: Array<Record<string, unknown>>;
  /** The text of the last `role: "user"` message (`input_text` parts joined). */
  lastUserText: string;
  /** Every tool output in the input, in order. */
  toolOutputs: ResponsesToolOutput[];
  /** True when the last input item is a tool output: the client continues after a tool call. */
  continuingAfterTool: boolean;
}

/** One output item of a scripted response. */
export type ResponsesOutputBlock =
  | { type: "text"; text: string }
  /** A reasoning item with one summary text (Codex shows it as a `reasoning` item). */
  | { type: "reasoning"; summary: string }
  /** A function call; Codex's shell tool is `exec_command` with arguments `{ cmd }`. */
  | { type: "function_call"; name: string; arguments: Record<string, unknown> | string; callId?: string }
  /** Any output item sent verbatim (`custom_tool_call`, `web_search_call`…). */
  | { type: "item"; item: Record<string, unknown> };

/** A scripted successful response, streamed as SSE (or sent as one JSON object without `stream`). */
export interface ResponsesMessageReply {
  kind: "message";
  output: ResponsesOutputBlock[];
  /** Token counts for `response.completed` (defaults: 10 in, 5 out, nothing cached). */
  usage?: { inputTokens?: number; outputTokens?: number; cachedTokens?: number; reasoningTokens?: number };
  /** Wait before sending anything (headers included). */
  delayMs?: number;
  /** Wait between SSE events. */
  chunkDelayMs?: number;
  /** Characters per text or arguments delta (default 32). */
  deltaSize?: number;
  /**
   * End the stream early: after `afterEvents` SSE events (counting `response.created` as 1), either
   * cut the connection (`drop`) or send nothing more and keep it open (`hang`).
   */
  cut?: { afterEvents: number; mode: "drop" | "hang" };
}

/** A scripted HTTP error with an OpenAI error body `{error:{message,type,code,param}}`. */
export interface ResponsesErrorReply {
  kind: "error";
  status: number;
  /** The `error.type`; derived from the status when absent. */
  type?: string;
  /** The `error.code`; derived from the status when absent. */
  code?: string | null;
  message?: string;
  /** Extra headers (`retry-after`…). */
  headers?: Record<string, string>;
  delayMs?: number;
}

/** A stream that starts, then reports `response.failed` with an error. */
export interface ResponsesFailedReply {
  kind: "failed";
  message: string;
  /** The `error.code` (default `server_error`). */
  code?: string;
  delayMs?: number;
}

/** Never answer: no status line, no bytes, until the client gives up or the server closes. */
export interface ResponsesHangReply {
  kind: "hang";
}

/** Close the connection without any response. */
export interface ResponsesDropReply {
  kind: "drop";
  delayMs?: number;
}

/** Everything a scripted `/v1/responses` call can do. */
export type ResponsesReply = ResponsesMessageReply | ResponsesErrorReply | ResponsesFailedReply | ResponsesHangReply | ResponsesDropReply;

/** Decides the reply of one `/v1/responses` call from the request. */
export type ResponsesResponder = (turn: ResponsesTurn) => ResponsesReply | Promise<ResponsesReply>;
