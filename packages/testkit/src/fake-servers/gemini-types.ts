import type { RecordedRequest } from "./http-server.js";

/** One part of a Gemini `Content` (text, a function call, a function response, or anything else). */
export type GeminiRequestPart = Record<string, unknown> & {
  text?: string;
  functionCall?: { name?: string; args?: unknown; id?: string };
  functionResponse?: { name?: string; response?: unknown; id?: string };
};

/** One `Content` of a Gemini request. */
export interface GeminiRequestContent {
  role?: string;
  parts?: GeminiRequestPart[];
}

/** The fields of a `generateContent` body a fake needs; everything else is kept as sent. */
export interface GeminiGenerateBody {
  contents?: GeminiRequestContent[];
  systemInstruction?: GeminiRequestContent;
  tools?: Array<{ functionDeclarations?: Array<{ name?: string } & Record<string, unknown>> } & Record<string, unknown>>;
  generationConfig?: Record<string, unknown>;
  [key: string]: unknown;
}

/** A `functionResponse` part found in a request. */
export interface GeminiFunctionResponse {
  name: string;
  id: string | undefined;
  /** The `response` object as sent (the CLI sends `{output}` or `{error}`). */
  response: unknown;
  /** `response.output`, else `response.error`, as text. */
  text: string;
  isError: boolean;
}

/** One `generateContent`/`streamGenerateContent` call, as given to a responder. */
export interface GeminiTurn {
  /** The recorded HTTP request. */
  request: RecordedRequest;
  /** The parsed body (an empty object when it was not JSON). */
  body: GeminiGenerateBody;
  /** Position among the calls of its kind this server received, starting at 1. */
  number: number;
  /** The model from the path (`gemini-2.5-flash`). */
  model: string;
  /** `streamGenerateContent` (SSE) or `generateContent` (one JSON response). */
  method: "streamGenerateContent" | "generateContent";
  /** The last content whose role is `user` (where the prompt and function responses are). */
  lastUserContent: GeminiRequestContent | undefined;
  /** The text parts of that content, joined with newlines. */
  lastUserText: string;
  /** The `functionResponse` parts of that content. */
  functionResponses: GeminiFunctionResponse[];
  /** Names of the functions the request declares (the tools offered to the model). */
  toolNames: string[];
  /** The system instruction's text. */
  systemText: string;
  /** The API key the request carried (`x-goog-api-key` header or `key` query parameter). */
  apiKey: string | undefined;
}

/** One part of a scripted reply. */
export type GeminiReplyPart =
  | { text: string; thought?: boolean }
  | { functionCall: { name: string; args: Record<string, unknown>; id?: string } };

/** Token counts reported in `usageMetadata`; estimated from the text when absent. */
export interface GeminiReplyUsage {
  promptTokens?: number;
  candidatesTokens?: number;
  thoughtsTokens?: number;
  cachedTokens?: number;
}

/** A scripted successful answer, streamed as SSE chunks or sent as one JSON response. */
export interface GeminiMessageReply {
  kind: "message";
  parts: GeminiReplyPart[];
  /** Defaults to `STOP`. */
  finishReason?: string;
  /** Defaults to the requested model. */
  modelVersion?: string;
  usage?: GeminiReplyUsage;
  /** Wait before sending anything (headers included). */
  delayMs?: number;
  /** Wait between SSE chunks. */
  chunkDelayMs?: number;
  /** Characters of text per SSE chunk (default 64). */
  deltaSize?: number;
  /** End early after `afterChunks` SSE chunks: cut the connection (`drop`) or go silent (`hang`). */
  cut?: { afterChunks: number; mode: "drop" | "hang" };
  /** Extra response headers. */
  headers?: Record<string, string>;
}

/** A scripted HTTP error with a Google API error body. */
export interface GeminiErrorReply {
  kind: "error";
  status: number;
  /** The `error.status` (`UNAUTHENTICATED`); derived from the HTTP status when absent. */
  rpcStatus?: string;
  message?: string;
  delayMs?: number;
  headers?: Record<string, string>;
}

/** Never answer: no status line, no bytes, until the client gives up or the server closes. */
export interface GeminiHangReply {
  kind: "hang";
}

/** Close the connection without any response. */
export interface GeminiDropReply {
  kind: "drop";
  delayMs?: number;
}

/** Everything a scripted call can do. */
export type GeminiReply = GeminiMessageReply | GeminiErrorReply | GeminiHangReply | GeminiDropReply;

/** Decides the reply of one call from the request. */
export type GeminiResponder = (turn: GeminiTurn) => GeminiReply | Promise<GeminiReply>;
