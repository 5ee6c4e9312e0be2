import { ASM_ERROR_CODES, type AsmErrorCode, type AsmErrorDomain, type PayloadInputOf } from "@asm/contract";

/** The domain and retryability the code table gives `code`. */
export function errorTableFields(code: AsmErrorCode): { domain: AsmErrorDomain; retryable: boolean } {
  const entry = ASM_ERROR_CODES[code];
  return { domain: entry.domain, retryable: entry.retryable };
}

/** Fields an error payload may carry besides its code, message, severity and table fields. */
export interface ErrorPayloadExtra {
  exitCode?: number | null;
  stderrTail?: string;
  details?: Record<string, unknown>;
  [field: string]: unknown;
}

/**
 * The payload of a terminal `error` event (severity `error`), with the domain and retryability
 * of its code from the code table; `extra` adds fields (`exitCode`, `stderrTail`, `details`).
 *
 * @example
 * ```ts
 * backendEvent("error", terminalErrorPayload("auth_error", "Invalid API key", { exitCode: 1 }));
 * ```
 */
export function terminalErrorPayload(
  code: AsmErrorCode,
  message: string,
  extra: ErrorPayloadExtra = {},
): PayloadInputOf<"error"> {
  return { message, code, severity: "error", ...errorTableFields(code), ...extra };
}
