/**
 * Every error ASM reports carries one of these codes. The table is the single source of truth:
 * codes are stable across releases (add, never rename), and each has a domain and a default
 * retryability that `AsmError` applies when the caller does not say otherwise.
 */
export const ASM_ERROR_CODES = {
  /** The provider's CLI binary could not be found (option, env var, PATH, known locations). */
  cli_not_found: { domain: "provider", retryable: false },
  /** The provider rejected the credentials (HTTP 401/403, "invalid api key", login required). */
  auth_error: { domain: "provider", retryable: false },
  /** The provider throttled the request; retrying later may succeed. */
  rate_limit: { domain: "provider", retryable: true },
  /** The account's usage quota is exhausted; retrying before the reset will not help. */
  quota_exhausted: { domain: "provider", retryable: false },
  /** A watchdog fired: idle, wall-clock, stream, queue or approval timeout (the message names which). */
  timeout: { domain: "runtime", retryable: true },
  /** A provider line could not be parsed as the expected JSON. */
  parse_error: { domain: "parser", retryable: false },
  /** A single output line exceeded the configured buffer cap; ASM refuses to truncate it. */
  buffer_overflow: { domain: "transport", retryable: false },
  /** The CLI process exited unsuccessfully without a terminal event of its own. */
  transport_exit: { domain: "transport", retryable: true },
  /** The transport failed (spawn error, broken pipe, backend crash). */
  transport_error: { domain: "transport", retryable: true },
  /** The session cannot admit another run: every slot and queue place is taken. */
  at_capacity: { domain: "runtime", retryable: true },
  /** A bounded queue (subscriber, broadcaster) is full. */
  queue_full: { domain: "runtime", retryable: true },
  /** The run was interrupted by the caller (interrupt, break out of the stream, intervene). */
  user_cancelled: { domain: "runtime", retryable: false },
  /** An approval was denied, by a person or by its timeout. */
  approval_denied: { domain: "approval", retryable: false },
  /** A guardrail (allowed-tools list, policy, pipeline plug) blocked the run. */
  guardrail_blocked: { domain: "guardrail", retryable: false },
  /** A tool the agent called failed. */
  tool_failed: { domain: "tool", retryable: false },
  /** Options or configuration are invalid; the message names the key and what to use. */
  config_invalid: { domain: "config", retryable: false },
  /** A remote node or service could not be reached or failed its handshake. */
  connection_failed: { domain: "transport", retryable: true },
  /** An unexpected failure inside ASM itself. */
  runtime: { domain: "runtime", retryable: false },
  /** An unknown id (run, approval, session) or an unclassified failure. */
  unknown: { domain: "runtime", retryable: false },
} as const satisfies Record<string, { domain: AsmErrorDomain; retryable: boolean }>;

/** A stable error code: one key of {@link ASM_ERROR_CODES}. */
export type AsmErrorCode = keyof typeof ASM_ERROR_CODES;

/** All error codes, in table order. */
export const ASM_ERROR_CODE_LIST = Object.keys(ASM_ERROR_CODES) as AsmErrorCode[];

/** The area an error comes from; used to route handling and in `[domain/code]` messages. */
export type AsmErrorDomain =
  | "transport"
  | "parser"
  | "provider"
  | "approval"
  | "guardrail"
  | "tool"
  | "runtime"
  | "config";

/** All domains. */
export const ASM_ERROR_DOMAINS: readonly AsmErrorDomain[] = [
  "transport",
  "parser",
  "provider",
  "approval",
  "guardrail",
  "tool",
  "runtime",
  "config",
];

/** True when `value` is one of the stable error codes. */
export function isAsmErrorCode(value: unknown): value is AsmErrorCode {
  return typeof value === "string" && Object.hasOwn(ASM_ERROR_CODES, value);
}
