// Where a failure is classified: what every CLI's failures have in common, as codes of the
// contract's table. Each provider's src/internal/exit-classification.ts adds what only its CLI
// says, on top of these.
import type { AsmErrorCode } from "@asm/contract";
import { summarizeStderr } from "./stderr-summary.js";

// Patterns seen in real CLI output (Claude, Codex, Gemini, Amp). Order matters: quota before
// rate limit ("quota exceeded" often also says "rate").
const FAILURE_PATTERNS: ReadonlyArray<[AsmErrorCode, RegExp]> = [
  ["auth_error", /\b(401|403)\b|authenticat|unauthori[sz]ed|invalid[ _-]?(x-)?api[ _-]?key|api key|not logged in|please log ?in|login required|credential|permission_error/i],
  ["quota_exhausted", /quota|insufficient[_ ]quota|usage limit|billing|credit balance|out of credits/i],
  ["rate_limit", /\b429\b|rate[ _-]?limit|too many requests|overloaded|resource[_ ]exhausted/i],
];

/**
 * Classifies a provider failure from its text (stderr tail, error message): `auth_error`,
 * `quota_exhausted`, `rate_limit`, else `fallback`.
 *
 * @example
 * ```ts
 * classifyFailureText("Error: Invalid API key"); // "auth_error"
 * classifyFailureText("segfault", "runtime"); // "runtime"
 * ```
 */
export function classifyFailureText(text: string, fallback: AsmErrorCode = "transport_exit"): AsmErrorCode {
  for (const [code, pattern] of FAILURE_PATTERNS) if (pattern.test(text)) return code;
  return fallback;
}

/** Classifies an HTTP status a provider reports: 401/403 auth, 429 rate limit, 402 quota, 408/504 timeout, else `transport_error`. */
export function classifyHttpStatus(status: number): AsmErrorCode {
  if (status === 401 || status === 403) return "auth_error";
  if (status === 429) return "rate_limit";
  if (status === 402) return "quota_exhausted";
  if (status === 408 || status === 504) return "timeout";
  return "transport_error";
}

/** How a CLI process ended, as a parser's `exit()` is told. */
export interface ProcessExit {
  exitCode: number | null;
  signal: string | null;
  /** The last part of stderr. */
  stderrTail: string;
}

/**
 * How a process ended, for messages: `exited with code 1`, `was terminated by SIGTERM`, or
 * `ended` when neither is known.
 */
export function describeExit(exit: Pick<ProcessExit, "exitCode" | "signal">): string {
  if (exit.signal !== null) return `was terminated by ${exit.signal}`;
  if (exit.exitCode !== null) return `exited with code ${exit.exitCode}`;
  return "ended";
}

/** A shell's report that the working directory does not exist (`sh: cd: /x: No such file or directory`). */
export const MISSING_CWD_PATTERN = /\bcd: [^\n]*: No such file or directory/;

const COMMAND_MISSING = /not found|no such file or directory|ENOENT/i;

/** What {@link classifyCommonExit} needs to know about the CLI. */
export interface CommonExitOptions {
  /** Name for people, used in messages (`Claude Code`). */
  cliName: string;
  /** The CLI's command names; a "not found" on stderr must name one of them (or stderr be empty). */
  commandNames: readonly string[];
  /** How to install the CLI, appended to the `cli_not_found` message. */
  installHint?: string;
}

/** A failure every CLI can have, whatever its output format. */
export interface CommonExitFailure {
  code: Extract<AsmErrorCode, "config_invalid" | "cli_not_found">;
  message: string;
}

/**
 * Classifies the exits that mean the same for every CLI, before any provider-specific reading:
 * a missing working directory (a shell's `cd: …: No such file or directory`) → `config_invalid`;
 * exit 127 with an empty stderr or a "not found" that names the command → `cli_not_found`.
 * Returns `undefined` for anything else, which the provider then classifies itself.
 *
 * @example
 * ```ts
 * classifyCommonExit({ exitCode: 127, signal: null, stderrTail: "sh: 1: codex: not found" }, { cliName: "Codex", commandNames: ["codex"] });
 * // { code: "cli_not_found", message: "Codex could not be started (sh: 1: codex: not found)" }
 * ```
 */
export function classifyCommonExit(exit: ProcessExit, options: CommonExitOptions): CommonExitFailure | undefined {
  const stderr = exit.stderrTail;
  const detail = summarizeStderr(stderr) || describeExit(exit);
  if (MISSING_CWD_PATTERN.test(stderr)) {
    return { code: "config_invalid", message: `${options.cliName} could not start in its working directory (${detail}); check the cwd option` };
  }
  if (exit.exitCode !== 127) return undefined;
  const lower = stderr.toLowerCase();
  const namesCommand = options.commandNames.length === 0 || options.commandNames.some((name) => lower.includes(name.toLowerCase()));
  if (stderr.trim() === "" || (COMMAND_MISSING.test(stderr) && namesCommand)) {
    const hint = options.installHint === undefined ? "" : `. Install it with: ${options.installHint}`;
    return { code: "cli_not_found", message: `${options.cliName} could not be started (${detail})${hint}` };
  }
  return undefined;
}
