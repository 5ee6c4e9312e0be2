import type { RecordedRequest } from "./http-server.js";

/** One message of an Anthropic Messages request (roles other than user/assistant are tolerated). */
export interface AnthropicRequestMessage {
  role: string;
  content: string | Array<Record<string, unknown>>;
}

/** The fields of a `POST /v1/messages` body a fake needs; everything else is kept as sent. */
export interface AnthropicMessagesBody {
  model?: string;
  messages?: AnthropicRequestMessage[];
  stream?: boolean;
  max_tokens?: number;
  system?: unknown;
  tools?: Array<{ name?: string } & Record<string, unknown>>;
  [key: string]: unknown;
}

/** A `tool_result` block found in a request. */
export interface AnthropicToolResult {
  toolUseId: string;
  /** The result's text (text blocks joined). */
  text: string;
  isError: boolean;
}

/** One `POST /v1/messages` call, as given to a responder. */
export interface AnthropicTurn {
  /** The recorded HTTP request. */
  request: RecordedRequest;
  /** The parsed body (an empty object when the body was not JSON). */
  body: AnthropicMessagesBody;
  /** Position among the `/v1/messages` calls this server received, starting at 1. */
  number: number;
  /** Whether the client asked for SSE. */
  stream: boolean;
  /** The last message whose role is `user`. */
  lastUserMessage: AnthropicRequestMessage | undefined;
  /** The text of that message (text blocks joined with newlines). */
  lastUserText: string;
  /** The `tool_result` blocks of that message. */
  toolResults: AnthropicToolResult[];
}

/** One content block of a scripted reply. */
export type AnthropicReplyBlock =
  | { type: "text"; text: string }
  | { type: "thinking"; thinking: string; signature?: string }
  | { type: "tool_use"; name: string; input: Record<string, unknown>; id?: string };

/** A scripted successful message, streamed as SSE or sent as JSON. */
export interface AnthropicMessageReply {
  kind: "message";
  content: AnthropicReplyBlock[];
  /** Defaults to `tool_use` when a block is a tool call, else `end_turn`. */
  stopReason?: string;
  /** Defaults to the requested model. */
  model?: string;
  /** Token counts to report; estimated from the text when absent. */
  usage?: { inputTokens?: number; outputTokens?: number };
  /** Extra response headers. */
  headers?: Record<string, string>;
  /** Wait before sending anything (headers included). */
  delayMs?: number;
  /** Wait between SSE events. */
  chunkDelayMs?: number;
  /** Characters per text, thinking or JSON delta (default 32). */
  deltaSize?: number;
  /**
   * End the stream early: after `afterEvents` SSE events (counting `message_start` as 1), either
   * cut the connection (`drop`) or send nothing more and keep it open (`hang`).
   */
  cut?: { afterEvents: number; mode: "drop" | "hang" };
}

/** A scripted HTTP error with an Anthropic error body. */
export interface AnthropicErrorReply {
  kind: "error";
  status: number;
  /** The `error.type`; derived from the status when absent (`authentication_error` for 401…). */
  type?: string;
  message?: string;
  /** Extra headers; `request-id` is always set (a generated one unless given). */
  headers?: Record<string, string>;
  delayMs?: number;
}

/** Never answer: no status line, no bytes, until the client gives up or the server closes. */
export interface AnthropicHangReply {
  kind: "hang";
}

/** Close the connection without any response. */
export interface AnthropicDropReply {
  kind: "drop";
  delayMs?: number;
}

/** Everything a scripted `/v1/messages` call can do. */
export type AnthropicReply = AnthropicMessageReply | AnthropicErrorReply | AnthropicHangReply | AnthropicDropReply;

/** Decides the reply of one `/v1/messages` call from the request. */
export type AnthropicResponder = (turn: AnthropicTurn) => AnthropicReply | Promise<AnthropicReply>;
