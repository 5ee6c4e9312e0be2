import type { AsmErrorCode } from "@asm/contract";
import { classifyCommonExit, classifyFailureText, classifyHttpStatus, lookup, summarizeStderr as summarize } from "@asm/provider-utils";
import { parseApiError } from "./api-error.js";
import { geminiDiscovery } from "./discovery.js";

/** A classified Gemini failure. */
export interface GeminiFailure {
  code: AsmErrorCode;
  message: string;
  /** Structured context for the error payload. */
  details: Record<string, unknown>;
}

// The CLI's own fatal errors (their `name` appears as `error.type` in a stream-json result, and
// their exit code is fixed).
const FATAL_ERROR_TYPES: Readonly<Record<string, { code: AsmErrorCode; exitCode: number }>> = {
  FatalAuthenticationError: { code: "auth_error", exitCode: 41 },
  FatalInputError: { code: "config_invalid", exitCode: 42 },
  FatalSandboxError: { code: "config_invalid", exitCode: 44 },
  FatalConfigError: { code: "config_invalid", exitCode: 52 },
  FatalTurnLimitedError: { code: "guardrail_blocked", exitCode: 53 },
  FatalToolExecutionError: { code: "tool_failed", exitCode: 54 },
  FatalUntrustedWorkspaceError: { code: "config_invalid", exitCode: 55 },
  FatalCancellationError: { code: "user_cancelled", exitCode: 130 },
};

const EXIT_CODES: Readonly<Record<string, AsmErrorCode>> = Object.fromEntries(
  Object.values(FATAL_ERROR_TYPES).map(({ code, exitCode }) => [exitCode, code]),
);

// Failures to reach the model API at all (refused, reset, DNS, TLS, dropped stream).
const NETWORK_FAILURE =
  /fetch failed|ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|socket hang up|other side closed|terminated|premature close|network error/i;
// Gemini CLI's messages for missing or unusable credentials (exit 41, nothing on stdout).
const GEMINI_AUTH_FAILURE =
  /must specify the GEMINI_API_KEY|GEMINI_API_KEY environment variable|Invalid auth method|auth method selected|set an Auth method|GOOGLE_API_KEY|GOOGLE_CLOUD_PROJECT/i;
// What Gemini CLI adds to a 429 it reports (per auth type), and its two quota error classes.
const RATE_LIMIT_ADVICE = /Please wait and try again later\. To increase your limits|Possible quota limitations in place/;
const RETRYABLE_QUOTA_ERROR = /\bRetryableQuotaError\b/;
const TERMINAL_QUOTA_ERROR = /\bTerminalQuotaError\b/;
// A 429 that will not clear by waiting a minute: a daily or billing limit.
const TERMINAL_QUOTA = /TerminalQuotaError|per ?day|daily|billing|insufficient[_ ]quota|out of credits|credit balance/i;
const UNTRUSTED_FOLDER = /not running in a trusted directory/i;
const UNKNOWN_SESSION = /Error resuming session|Invalid session identifier|No previous sessions found/i;

/**
 * Classifies a failure the CLI reported itself (a `result` with `status: "error"`, or an `error`
 * event): the CLI's fatal error types first, then the HTTP status the message carries (Gemini
 * exits with that status modulo 256), then network failures, then the shared text patterns.
 */
export function classifyReportedError(message: string, errorType: string | undefined, fallback: AsmErrorCode = "unknown"): GeminiFailure {
  const details: Record<string, unknown> = {};
  if (errorType !== undefined) details.errorType = errorType;
  // The type comes from the CLI's output: `constructor` or `__proto__` must find nothing.
  const fatal = errorType === undefined ? undefined : lookup(FATAL_ERROR_TYPES, errorType);
  if (fatal !== undefined) return { code: fatal.code, message, details };

  const api = parseApiError(message);
  // The CLI appends its own advice to every 429 it reports, without the status itself.
  const httpStatus = api.httpStatus ?? (RATE_LIMIT_ADVICE.test(message) ? 429 : undefined);
  if (httpStatus !== undefined) details.httpStatus = httpStatus;
  if (api.rpcStatus !== undefined) details.rpcStatus = api.rpcStatus;
  const text = api.apiMessage === undefined ? message : `${message} ${api.apiMessage}`;
  if (httpStatus === 429) return { code: TERMINAL_QUOTA.test(text) ? "quota_exhausted" : "rate_limit", message, details };
  if (httpStatus !== undefined) return { code: classifyHttpStatus(httpStatus), message, details };
  if (TERMINAL_QUOTA_ERROR.test(text)) return { code: "quota_exhausted", message, details };
  if (RETRYABLE_QUOTA_ERROR.test(text)) return { code: "rate_limit", message, details };
  if (GEMINI_AUTH_FAILURE.test(text)) return { code: "auth_error", message, details };
  if (NETWORK_FAILURE.test(text)) return { code: "connection_failed", message, details };
  return { code: classifyFailureText(text, fallback), message, details };
}

/** What the parser knows when the process ends without an outcome. */
export interface ExitFacts {
  exitCode: number | null;
  signal: string | null;
  stderrTail: string;
  /** The message of the last error the CLI reported on stdout, if any. */
  lastReportedError?: string;
}

/**
 * Classifies an exit that came without a `result` line. Gemini prints nothing on stdout for its
 * start-up failures (missing key: 41, untrusted folder: 55, unknown session: 42), exits 0 without a
 * result when it is stopped by SIGINT/SIGTERM/SIGHUP, and otherwise exits with its fatal error's
 * code or the HTTP status modulo 256.
 */
export function classifyExit(facts: ExitFacts): GeminiFailure {
  const summary = summarizeStderr(facts.stderrTail);
  const reported = facts.lastReportedError;
  const text = [reported, summary].filter((part) => part !== undefined && part !== "").join("\n");
  const details: Record<string, unknown> = { exitCode: facts.exitCode };
  if (facts.signal !== null) details.signal = facts.signal;

  if (facts.signal !== null) {
    const code: AsmErrorCode = facts.signal === "SIGINT" ? "user_cancelled" : "transport_exit";
    return { code, message: withDetail(`Gemini CLI was terminated by ${facts.signal}`, text), details };
  }
  const common = classifyCommonExit(facts, { cliName: "Gemini CLI", commandNames: geminiDiscovery.binaryNames, installHint: geminiDiscovery.installHint });
  if (common !== undefined) return { ...common, details };
  const exitCode = facts.exitCode;
  if (exitCode === 0) {
    return {
      code: "user_cancelled",
      message: withDetail("Gemini CLI exited without a result (it does so when stopped by SIGINT, SIGTERM or SIGHUP)", text),
      details,
    };
  }
  const prefix = `Gemini CLI exited with code ${String(exitCode)}`;
  if (UNTRUSTED_FOLDER.test(text)) {
    return {
      code: "config_invalid",
      message: `${prefix}: the working directory is not trusted. Set the Gemini option \`skipTrust: true\`, or GEMINI_CLI_TRUST_WORKSPACE=true in env. (${text})`,
      details,
    };
  }
  if (UNKNOWN_SESSION.test(text)) return { code: "not_found", message: withDetail(`${prefix}: no such Gemini session to resume`, text), details };
  if (GEMINI_AUTH_FAILURE.test(text) || exitCode === 41) {
    return {
      code: "auth_error",
      message: withDetail(
        `${prefix}: Gemini CLI is not authenticated. Set GEMINI_API_KEY and \`security.auth.selectedType\` in ~/.gemini/settings.json`,
        text,
      ),
      details,
    };
  }
  const fatalExit = exitCode === null ? undefined : lookup(EXIT_CODES, String(exitCode));
  if (fatalExit !== undefined) return { code: fatalExit, message: withDetail(prefix, text), details };
  // An API failure exits with the HTTP status modulo 256 (401 → 145, 429 → 173, 500 → 244).
  const httpStatus = exitCode !== null && exitCode >= 144 && exitCode <= 255 ? exitCode + 256 : undefined;
  const message = withDetail(prefix, text);
  if (httpStatus !== undefined) {
    details.httpStatus = httpStatus;
    if (httpStatus !== 429) return { code: classifyHttpStatus(httpStatus), message, details };
    // The error class the CLI names in its stack trace says whether waiting helps.
    const whole = `${text}\n${facts.stderrTail}`;
    const terminal = TERMINAL_QUOTA_ERROR.test(whole) || (!RETRYABLE_QUOTA_ERROR.test(whole) && TERMINAL_QUOTA.test(text));
    return { code: terminal ? "quota_exhausted" : "rate_limit", message, details };
  }
  const fromText = classifyReportedError(text, undefined, "transport_exit");
  return { code: fromText.code, message, details: { ...fromText.details, ...details } };
}


// Tested on the trimmed line: start-up notices, stack frames, the braces and status of an error dump.
const STDERR_NOISE = [
  /^Warning: 256-color support not detected/,
  /^Ripgrep is not available/,
  /^\[STARTUP\]/,
  /^YOLO mode is enabled/,
  /^Loaded cached credentials/,
  /^at \S/,
  /^[{}]$/,
  /^status: \d+$/,
];

/** The meaningful part of Gemini's stderr: noise and stack frames dropped, the last four lines, at most ~600 chars. */
export function summarizeStderr(stderr: string): string {
  return summarize(stderr, { noise: STDERR_NOISE, lines: 4, maxChars: 600 });
}

function withDetail(prefix: string, text: string): string {
  return text === "" ? prefix : `${prefix}: ${text}`;
}
