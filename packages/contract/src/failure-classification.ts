import type { AsmErrorCode } from "./error-codes.js";

// Patterns seen in real CLI output (Claude, Codex, Gemini, Amp). Order matters: quota before
// rate limit ("quota exceeded" often also says "rate").
const PATTERNS: ReadonlyArray<[AsmErrorCode, RegExp]> = [
  ["auth_error", /\b(401|403)\b|authenticat|unauthori[sz]ed|invalid[ _-]?(x-)?api[ _-]?key|api key|not logged in|please log ?in|login required|credential|permission_error/i],
  ["quota_exhausted", /quota|insufficient[_ ]quota|usage limit|billing|credit balance|out of credits/i],
  ["rate_limit", /\b429\b|rate[ _-]?limit|too many requests|overloaded|resource[_ ]exhausted/i],
];

/**
 * Classifies a provider failure from its text (stderr tail, error message) and exit code. Returns
 * `fallback` when nothing matches. Pure: profiles use it to classify exits.
 */
export function classifyFailureText(text: string, fallback: AsmErrorCode = "transport_exit"): AsmErrorCode {
  for (const [code, pattern] of PATTERNS) if (pattern.test(text)) return code;
  return fallback;
}

/** Classifies an HTTP status reported by a provider. */
export function classifyHttpStatus(status: number): AsmErrorCode {
  if (status === 401 || status === 403) return "auth_error";
  if (status === 429) return "rate_limit";
  if (status === 402) return "quota_exhausted";
  if (status === 408 || status === 504) return "timeout";
  return "transport_error";
}
