import type { ServerResponse } from "node:http";
import { AsmError, type AsmErrorCode } from "@asm/contract";

/** OpenAI's error `type` for an HTTP status. */
function errorType(status: number): string {
  if (status === 401) return "authentication_error";
  if (status === 404) return "not_found_error";
  if (status === 429) return "rate_limit_error";
  if (status >= 500) return "server_error";
  return "invalid_request_error";
}

/** The HTTP status an ASM error code answers with. */
export function statusOf(code: AsmErrorCode): number {
  switch (code) {
    case "config_invalid":
    case "unsupported":
      return 400;
    case "auth_error":
      return 401;
    case "not_found":
      return 404;
    case "at_capacity":
    case "rate_limit":
      return 429;
    case "timeout":
      return 504;
    default:
      return 500;
  }
}

/** An error body in OpenAI's shape; `code` is ASM's stable error code, `param` the field at fault. */
function errorBody(code: AsmErrorCode, message: string, status: number, param: string | null = null) {
  return { error: { message, type: errorType(status), code, param } };
}

/** The body of an `AsmError`: its code, its reason, the field its details name. */
export function bodyOfError(error: AsmError, status = statusOf(error.code)) {
  const key = error.details.key;
  return errorBody(error.code, error.reason, status, typeof key === "string" ? key : null);
}

/** Answers with an OpenAI-shaped error (and closes nothing else: the caller owns the run). */
export function sendError(res: ServerResponse, status: number, code: AsmErrorCode, message: string, param: string | null = null): void {
  sendJson(res, status, errorBody(code, message, status, param));
}

/** Answers with an `AsmError`, mapped to its status. */
export function sendAsmError(res: ServerResponse, error: unknown): void {
  const asmError = AsmError.from(error, "runtime");
  const status = statusOf(asmError.code);
  sendJson(res, status, bodyOfError(asmError, status));
}

/** Writes a JSON body with its length. */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text), ...headers });
  res.end(text);
}
