import { backendEvent, type AsmErrorCode, type BackendEvent } from "@asm/contract";
import { classifyCommonExit, classifyFailureText, describeExit, summarizeStderr } from "@asm/provider-utils";

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

// An ssh client's own failure (the remote CLI never ran): exit 255 with ssh's wording.
const SSH_CLIENT_FAILURE = /ssh:|connection (refused|closed|timed out)|could not resolve|permission denied \(|host key verification failed/i;

/**
 * Classifies an exit without an outcome event. Order: interrupted → `user_cancelled`; on a remote
 * surface, the ssh client's own failure (exit 255: refused, unreachable, not authorized) →
 * `connection_failed`; the exits every CLI shares (`classifyCommonExit` from
 * `@asm/provider-utils`: a missing working directory → `config_invalid`, exit 127 naming the
 * command → `cli_not_found`); then the stderr tail through `classifyFailureText` (`auth_error`,
 * `quota_exhausted`, `rate_limit`), else `transport_exit`.
 */
export function classifyExit(facts: ExitFacts): AsmErrorCode {
  return classify(facts).code;
}

function classify(facts: ExitFacts): { code: AsmErrorCode; message?: string } {
  if (facts.interrupted) return { code: "user_cancelled" };
  if (facts.remote === true && facts.exitCode === 255 && SSH_CLIENT_FAILURE.test(facts.stderrTail)) return { code: "connection_failed" };
  const common = classifyCommonExit(facts, { cliName: facts.profileId, commandNames: facts.commandNames });
  if (common !== undefined) return common;
  return { code: classifyFailureText(facts.stderrTail, "transport_exit") };
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
    return backendEvent("result", { status: "success", stopReason: "end_turn", nativeStopReason: "exit" }, { metadata: { synthetic: true, exitCode: 0 } });
  }
  const { code, message: commonMessage } = classify(facts);
  const how = describeExit(facts);
  const tail = summarizeStderr(facts.stderrTail, { lines: 5 });
  const message =
    code === "user_cancelled"
      ? `${facts.profileId} was interrupted and ${how}`
      : (commonMessage ?? `${facts.profileId} ${how} without a final event${tail === "" ? "" : `: ${tail}`}`);
  return backendEvent("error", {
    message,
    code,
    severity: "error",
    exitCode: facts.exitCode,
    stderrTail: facts.stderrTail,
    details,
  });
}
