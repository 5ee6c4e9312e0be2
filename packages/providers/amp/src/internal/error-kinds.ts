import { isAsmErrorCode, type AsmErrorCode } from "@asm/contract";
import { lookup } from "@asm/provider-utils";
import { classifyAmpFailure } from "./exit-classification.js";

const KIND_ALIASES: Readonly<Record<string, AsmErrorCode>> = {
  authentication_failed: "auth_error",
  authentication_error: "auth_error",
  unauthorized: "auth_error",
  cancelled: "user_cancelled",
  canceled: "user_cancelled",
  aborted: "user_cancelled",
  rate_limited: "rate_limit",
  rate_limit_error: "rate_limit",
  overloaded: "rate_limit",
  billing_error: "quota_exhausted",
  invalid_request: "config_invalid",
};

const CANCELLED = /\b(cancel(l)?ed|aborted|interrupted)\b/i;

/**
 * Maps a provider error kind (`error_code`, `kind`…) and message onto a stable error code: known
 * codes and aliases first, then the message's text, else `fallback`.
 */
export function errorCodeFor(kind: string | undefined, message: string, fallback: AsmErrorCode = "unknown"): AsmErrorCode {
  if (kind !== undefined) {
    const normalized = kind.trim().toLowerCase();
    if (isAsmErrorCode(normalized)) return normalized;
    // The kind comes from the CLI's output: `constructor` or `__proto__` must find nothing.
    const alias = lookup(KIND_ALIASES, normalized);
    if (alias !== undefined) return alias;
  }
  const fromText = classifyAmpFailure(message);
  if (fromText !== "transport_exit") return fromText;
  if (CANCELLED.test(message)) return "user_cancelled";
  return fallback;
}
