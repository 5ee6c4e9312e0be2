import type { AsmErrorCode } from "@asm/contract";
import { classifyFailureText, classifyHttpStatus, summarizeStderr } from "@asm/provider-utils";

// Failures that come from how Codex was invoked, not from the model: exit 1/2 before any turn.
const CONFIG_PATTERNS: readonly RegExp[] = [
  /Not inside a trusted directory/i,
  /Error loading config/i,
  /unexpected argument/i,
  /invalid value .* for/i,
  /the argument .* cannot be used with/i,
  /No prompt provided/i,
];

// Codex reports a failed HTTP exchange as "unexpected status 401 Unauthorized: …" or
// "exceeded retry limit, last status: 429 Too Many Requests".
const STATUS = /(?:unexpected status|last status:?)\s+(\d{3})\b/i;

// A 5xx is replaced by Codex's own "high demand" text; dropped and failed streams say so.
const TRANSPORT = /high demand|stream disconnected|error sending request|connection (?:refused|reset|closed)|timed out/i;

/** Classifies a Codex failure message (a `turn.failed` message, the last `error`, stderr). */
export function classifyCodexFailure(text: string, fallback: AsmErrorCode = "transport_exit"): AsmErrorCode {
  if (CONFIG_PATTERNS.some((pattern) => pattern.test(text))) return "config_invalid";
  const byText = classifyFailureText(text, "unknown");
  if (byText !== "unknown") return byText;
  const status = STATUS.exec(text);
  if (status?.[1] !== undefined) return classifyHttpStatus(Number(status[1]));
  if (TRANSPORT.test(text)) return "transport_error";
  return fallback;
}

/** A hint appended to messages of failures a caller can fix with an option. */
export function failureHint(text: string): string | undefined {
  if (/Not inside a trusted directory/i.test(text)) return "set the Codex option skipGitRepoCheck: true, or run inside a Git repository";
  return undefined;
}

/** "Reconnecting... 2/5 (…)" notices Codex prints while it retries a request. */
export function parseReconnect(message: string): { attempt: number; maxAttempts: number } | undefined {
  const match = /^Reconnecting\.{3}\s*(\d+)\/(\d+)/.exec(message) ?? /^Reconnecting…\s*(\d+)\/(\d+)/.exec(message);
  if (match?.[1] === undefined || match[2] === undefined) return undefined;
  return { attempt: Number(match[1]), maxAttempts: Number(match[2]) };
}

const STDERR_NOISE = [/^Reading additional input from stdin\.{3}$/, /^Reading prompt from stdin\.{3}$/];

/** True for stderr lines Codex always prints that carry no information. */
export function isStderrNoise(line: string): boolean {
  const trimmed = line.trim();
  return trimmed === "" || STDERR_NOISE.some((pattern) => pattern.test(trimmed));
}

// Codex's own log lines (`2026-…Z WARN …`) below the error level.
const LOG_LINE = /^\S+Z\s+(WARN|INFO|DEBUG|TRACE)\s/;

/** The last informative stderr line (noise and log lines of level WARN/INFO/DEBUG skipped), if any. */
export function lastStderrMessage(stderr: string): string | undefined {
  return summarizeStderr(stderr, { noise: [...STDERR_NOISE, LOG_LINE] }) || undefined;
}
