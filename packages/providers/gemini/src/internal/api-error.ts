import { isRecord, lookup } from "@asm/provider-utils";

// Gemini CLI reports API failures as text: `[API Error: {"error":{"code":401,…}}]` when the SDK
// kept the response body, or `[API Error: <message> (Status: UNAUTHENTICATED)]` when it parsed it.

const GOOGLE_STATUS_HTTP: Readonly<Record<string, number>> = {
  INVALID_ARGUMENT: 400,
  FAILED_PRECONDITION: 400,
  UNAUTHENTICATED: 401,
  PERMISSION_DENIED: 403,
  NOT_FOUND: 404,
  RESOURCE_EXHAUSTED: 429,
  CANCELLED: 499,
  INTERNAL: 500,
  UNAVAILABLE: 503,
  DEADLINE_EXCEEDED: 504,
};

/** What could be read from an API error text. */
export interface ApiErrorInfo {
  /** The HTTP status, when the text names one (directly or as a Google RPC status). */
  httpStatus?: number;
  /** The Google RPC status name (`UNAUTHENTICATED`). */
  rpcStatus?: string;
  /** The API's own message, when the text embeds the JSON error body. */
  apiMessage?: string;
}

/** Reads the HTTP status and API message out of a Gemini CLI error text. */
export function parseApiError(text: string): ApiErrorInfo {
  const info: ApiErrorInfo = {};
  const body = embeddedJson(text);
  const error = isRecord(body) && isRecord(body.error) ? body.error : undefined;
  if (error !== undefined) {
    if (typeof error.code === "number" && Number.isInteger(error.code)) info.httpStatus = error.code;
    if (typeof error.status === "string") info.rpcStatus = error.status;
    if (typeof error.message === "string") info.apiMessage = error.message;
  }
  if (info.rpcStatus === undefined) {
    const named = /\(Status: ([A-Z_]+)\)/.exec(text);
    if (named?.[1] !== undefined) info.rpcStatus = named[1];
  }
  if (info.httpStatus === undefined && info.rpcStatus !== undefined) info.httpStatus = lookup(GOOGLE_STATUS_HTTP, info.rpcStatus);
  if (info.httpStatus === undefined) {
    const numeric = /\b(?:status|code)["']?\s*[:=]\s*["']?([1-5]\d\d)\b/i.exec(text);
    if (numeric?.[1] !== undefined) info.httpStatus = Number(numeric[1]);
  }
  if (info.httpStatus === undefined) delete info.httpStatus;
  return info;
}

function embeddedJson(text: string): unknown {
  const start = text.indexOf("{");
  const end = text.lastIndexOf("}");
  if (start === -1 || end <= start) return undefined;
  try {
    return JSON.parse(text.slice(start, end + 1)) as unknown;
  } catch (_error) {
    return undefined;
  }
}
