import type { AsmErrorCode } from "@asm/contract";
import { classifyFailureText, MISSING_CWD_PATTERN, summarizeStderr } from "@asm/provider-utils";

// Messages the Amp CLI prints on stderr (seen with 0.0.1790142911), by the code they map to.
// Checked before the shared patterns: "unknown option '--api-key'" is a usage error, not an auth one.
const USAGE_ERRORS =
  /unknown option|unknown command|too many arguments|missing required argument|Failed to (read|parse) --mcp-config|Failed to read settings|Invalid JSON in settings file|requires --execute|must be provided through stdin or as argument/i;
const AUTH_ERRORS = /not authenticated|authentication required|requires login|\brun\b[^\n]*\blogin\b/i;
const CONNECTION_ERRORS =
  /Couldn't connect to the Amp server|Cannot reach Amp servers|WebSocket connection failed|are you offline|ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ECONNRESET/i;
const UNKNOWN_THREAD = /No previously used thread found|thread[^\n]* not found/i;
const COMMAND_MISSING = /command not found|not found|no such file or directory/i;

/**
 * Classifies a failed Amp run from its stderr (tail) and exit code: `config_invalid` (missing
 * working directory, bad arguments), `cli_not_found` (exit 127), `auth_error`, `quota_exhausted`,
 * `rate_limit`, `connection_failed` (Amp's servers unreachable), `not_found` (no such thread),
 * else `transport_exit`.
 */
export function classifyAmpFailure(text: string, exitCode: number | null = null): AsmErrorCode {
  if (MISSING_CWD_PATTERN.test(text)) return "config_invalid";
  if (exitCode === 127 && COMMAND_MISSING.test(text) && /\bamp\b/i.test(text)) return "cli_not_found";
  if (USAGE_ERRORS.test(text)) return "config_invalid";
  const shared = classifyFailureText(text, "transport_exit");
  if (shared !== "transport_exit") return shared;
  if (AUTH_ERRORS.test(text)) return "auth_error";
  if (CONNECTION_ERRORS.test(text)) return "connection_failed";
  if (UNKNOWN_THREAD.test(text)) return "not_found";
  return "transport_exit";
}

/** The most telling line of a stderr tail: the last non-empty `Error:` line, else the last non-empty line, without `Error:` prefixes. */
export function stderrSummary(stderrTail: string): string {
  return summarizeStderr(stderrTail, { preferErrorLines: true });
}
