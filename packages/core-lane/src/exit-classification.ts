import { backendEvent, classifyFailureText, type AsmErrorCode, type BackendEvent } from "@asm/contract";

/** What is known about a process that ended without an outcome event. */
export interface ExitFacts {
  /** Profile id, used in messages (`claude exited with code 1`). */
  profileId: string;
  /** Command names of the CLI, to recognise a shell's "command not found". */
  commandNames: readonly string[];
  exitCode: number | null;
  signal: string | null;
  stderrTail: string;
  /** The run was interrupted (SIGINT or a protocol interrupt) before the process ended. */
  interrupted: boolean;
  /** The CLI ran on another host through a client (`ssh`) whose own failures exit with 255. */
  remote?: boolean;
}

function lastLines(text: string, count = 5): string {
  const lines = text.trim().split(/\r?\n/).filter((line) => line.trim().length > 0);
  return lines.slice(-count).join("\n");
}

/**
 * Classifies an exit without an outcome event. Order: interrupted → `user_cancelled`; on a remote
 * surface, the ssh client's own failure (exit 255: refused, unreachable, not authorized) →
 * `connection_failed`; a shell's
 * `cd: …: No such file or directory` → `config_invalid`; exit 127 with "not found" → `cli_not_found`;
 * then the stderr tail through `classifyFailureText` (`auth_error`, `quota_exhausted`,
 * `rate_limit`), else `transport_exit`.
 */
export function classifyExit(facts: ExitFacts): AsmErrorCode {
  if (facts.interrupted) return "user_cancelled";
  const stderr = facts.stderrTail;
  if (facts.remote === true && facts.exitCode === 255 && /ssh:|connection (refused|closed|timed out)|could not resolve|permission denied \(|host key verification failed/i.test(stderr)) {
    return "connection_failed";
  }
  if (/\bcd: .*: No such file or directory/.test(stderr)) return "config_invalid";
  if (facts.exitCode === 127 && /not found|no such file or directory/i.test(stderr)) {
    const lower = stderr.toLowerCase();
    if (facts.commandNames.length === 0 || facts.commandNames.some((name) => lower.includes(name.toLowerCase()))) {
      return "cli_not_found";
    }
  }
  return classifyFailureText(stderr, "transport_exit");
}

/**
 * The outcome to report for a process that ended without one of its own. A clean exit (code 0,
 * no signal, no interrupt) becomes a synthetic `result` (`metadata.synthetic: true`, stop reason
 * `exit`): the CLI finished but printed no final event. Anything else becomes a terminal `error`
 * classified by {@link classifyExit}, carrying the exit code and the stderr tail.
 */
export function synthesizeExitOutcome(facts: ExitFacts): BackendEvent {
  const details = { exitCode: facts.exitCode, signal: facts.signal, synthetic: true };
  if (facts.exitCode === 0 && facts.signal === null && !facts.interrupted) {
    return backendEvent("result", { status: "success", stopReason: "exit" }, { metadata: { synthetic: true, exitCode: 0 } });
  }
  const code = classifyExit(facts);
  const how =
    facts.signal !== null ? `was terminated by ${facts.signal}` : facts.exitCode !== null ? `exited with code ${facts.exitCode}` : "ended";
  const tail = lastLines(facts.stderrTail);
  const message =
    code === "user_cancelled"
      ? `${facts.profileId} was interrupted and ${how}`
      : `${facts.profileId} ${how} without a final event${tail === "" ? "" : `: ${tail}`}`;
  return backendEvent("error", {
    message,
    code,
    severity: "error",
    exitCode: facts.exitCode,
    stderrTail: facts.stderrTail,
    details,
  });
}
