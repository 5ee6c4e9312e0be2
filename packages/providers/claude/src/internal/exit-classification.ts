import type { AsmErrorCode, ExitInfo } from "@asm/contract";
import { classifyCommonExit, classifyFailureText, classifyHttpStatus, describeExit } from "@asm/provider-utils";
import { CLAUDE_INSTALL_HINT } from "./discovery.js";

/**
 * What Claude Code reports (an `error_during_execution` result's `errors`, and stderr, exit 1)
 * when `--resume` names a session it does not have: "No conversation found with session ID: <id>".
 */
export const CLAUDE_NO_CONVERSATION_PATTERN = /No conversation found with session ID/i;

/** What Claude Code prints (stderr, exit 1) when bypassPermissions is used as root without IS_SANDBOX=1. */
const CLAUDE_ROOT_REFUSAL_PATTERN = /cannot be used with root\/sudo privileges/i;

/** A failed model API call as Claude Code reports it (result line, synthetic message, retry notice). */
export interface ClaudeApiFailure {
  /** The error text (`Invalid API key · Fix external API key`, `API Error: 500 …`). */
  text: string;
  /** The HTTP status (`api_error_status`, `error_status`). */
  status?: number;
  /** Claude Code's error kind (`authentication_failed`, `rate_limit`, `server_error`, …). */
  errorKind?: string;
}

const NO_MATCH = "unknown" satisfies AsmErrorCode;

/**
 * Classifies a failed API call: 401/403, `authentication_failed` or "Invalid API key" →
 * `auth_error`; 402 or quota/billing/credit text → `quota_exhausted`; 429, 529 or rate-limit text
 * → `rate_limit`; 408/504 → `timeout`; another status → `transport_error`; nothing to go on →
 * `runtime`.
 */
export function classifyClaudeApiFailure(failure: ClaudeApiFailure): AsmErrorCode {
  const { status } = failure;
  if (status === 401 || status === 403) return "auth_error";
  if (status === 402) return "quota_exhausted";
  const text = `${failure.errorKind ?? ""} ${failure.text}`;
  const byText = classifyFailureText(text, NO_MATCH);
  if (status === 429 || status === 529) return byText === "quota_exhausted" ? "quota_exhausted" : "rate_limit";
  // Any other 5xx is a server failure unless it says it is overloaded; a message that
  // happens to mention a key or a gateway does not make it an auth error.
  if (status !== undefined && status >= 500) return byText === "rate_limit" ? "rate_limit" : classifyHttpStatus(status);
  if (byText !== NO_MATCH) return byText;
  if (status !== undefined) return classifyHttpStatus(status);
  return "runtime";
}

/** Code and message of a run that ended without an outcome of its own. */
export interface ClaudeExitFailure {
  code: AsmErrorCode;
  message: string;
}

/**
 * Classifies a CLI exit that produced no result, from the exit code, signal, stderr tail and the
 * last API failure seen on stdout (Claude Code prints API errors on stdout, not stderr).
 */
export function classifyClaudeExit(info: ExitInfo, lastApiFailure?: ClaudeApiFailure): ClaudeExitFailure {
  const stderr = info.stderrTail.trim();
  const how = describeExit(info);
  if (CLAUDE_ROOT_REFUSAL_PATTERN.test(stderr)) {
    return {
      code: "config_invalid",
      message:
        "Claude Code refuses bypassPermissions (--dangerously-skip-permissions) when run as root. Inside a sandbox, set IS_SANDBOX=1 in the run's env; otherwise use the default permission mode with allowRules.",
    };
  }
  const common = classifyCommonExit(info, { cliName: "Claude Code", commandNames: ["claude"], installHint: CLAUDE_INSTALL_HINT });
  if (common !== undefined) return common;
  if (CLAUDE_NO_CONVERSATION_PATTERN.test(stderr)) {
    return { code: "not_found", message: `${stderr} (the session to resume does not exist: check the id, or start a new session)` };
  }
  // The native binary reports a missing executable of its own on stderr without exit 127.
  if (/command not found|ENOENT|no such file or directory/i.test(stderr) && /claude/i.test(stderr)) {
    return { code: "cli_not_found", message: `Claude Code could not be started (${stderr}). Install it with: ${CLAUDE_INSTALL_HINT}` };
  }
  if (lastApiFailure !== undefined) {
    return { code: classifyClaudeApiFailure(lastApiFailure), message: lastApiFailure.text };
  }
  if (info.signal === "SIGINT") return { code: "user_cancelled", message: `Claude Code ${how} before it reported a result` };
  if (/Error parsing streaming input line/i.test(stderr)) {
    return { code: "runtime", message: `Claude Code rejected a line written to its stdin: ${stderr}` };
  }
  const code = classifyFailureText(stderr, "transport_exit");
  if (code === "auth_error") {
    return { code, message: `Claude Code requires authentication: ${stderr}. Run \`claude login\` or set ANTHROPIC_API_KEY, then retry.` };
  }
  return {
    code,
    message: stderr === "" ? `Claude Code ${how} without reporting a result` : `Claude Code ${how}: ${stderr}`,
  };
}
