import { AsmError, isAsmError, type AsmErrorCode } from "@asm/contract";

/**
 * The exit codes of `asm`, one per class of failure, so scripts can tell a missing CLI from a
 * bad key from a timeout without parsing messages.
 *
 * | code | meaning |
 * |---|---|
 * | 0 | success |
 * | 1 | the run failed for any other reason (transport, parse, tool, guardrail, …), or an approval was denied |
 * | 2 | usage error (unknown flag, missing argument, conflicting flags) |
 * | 3 | `config_invalid`: options rejected by ASM or the provider |
 * | 4 | `cli_not_found`: the provider's CLI is not installed or not where it was said to be |
 * | 5 | `auth_error`: the provider rejected the credentials |
 * | 6 | `rate_limit` or `quota_exhausted` |
 * | 7 | `timeout`: a watchdog fired (idle, wall clock, stream, queue) |
 * | 8 | `unsupported`: the provider, lane or surface cannot do what was asked (a permission mode it lacks) |
 * | 9 | `not_found`: an id or name that names nothing (an unknown provider, a session to resume) |
 * | 130 | `user_cancelled`: interrupted (Ctrl-C) |
 */
export const EXIT_CODES = {
  success: 0,
  failure: 1,
  usage: 2,
  config_invalid: 3,
  cli_not_found: 4,
  auth_error: 5,
  rate_limit: 6,
  timeout: 7,
  unsupported: 8,
  not_found: 9,
  user_cancelled: 130,
} as const;

const BY_CODE: Partial<Record<AsmErrorCode, number>> = {
  config_invalid: EXIT_CODES.config_invalid,
  cli_not_found: EXIT_CODES.cli_not_found,
  auth_error: EXIT_CODES.auth_error,
  rate_limit: EXIT_CODES.rate_limit,
  quota_exhausted: EXIT_CODES.rate_limit,
  timeout: EXIT_CODES.timeout,
  unsupported: EXIT_CODES.unsupported,
  not_found: EXIT_CODES.not_found,
  user_cancelled: EXIT_CODES.user_cancelled,
};

/**
 * A usage error: a `config_invalid` AsmError marked `details.usage`, which exits with 2 instead
 * of 3 and prints the command's usage.
 */
export function usageError(message: string, details: Record<string, unknown> = {}): AsmError {
  return new AsmError("config_invalid", message, { details: { ...details, usage: true } });
}

/** True for an error made by {@link usageError}. */
export function isUsageError(error: unknown): boolean {
  return isAsmError(error) && error.details.usage === true;
}

/**
 * True for a permission mode the provider cannot honour, whichever layer refused it (the kernel
 * says `unsupported`, a provider's own option check may say `config_invalid`): both exit 8.
 */
function isUnsupportedPermissionMode(error: AsmError): boolean {
  return (error.code === "unsupported" || error.code === "config_invalid") && error.details.key === "permissionMode" && error.details.mode !== undefined;
}

/** The exit code for an error (anything not an AsmError counts as a run failure). */
export function exitCodeFor(error: unknown): number {
  if (error === null || error === undefined) return EXIT_CODES.success;
  if (isUsageError(error)) return EXIT_CODES.usage;
  if (!isAsmError(error)) return EXIT_CODES.failure;
  if (isUnsupportedPermissionMode(error)) return EXIT_CODES.unsupported;
  return BY_CODE[error.code] ?? EXIT_CODES.failure;
}
