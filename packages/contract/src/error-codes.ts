/**
 * Every error ASM reports carries one of these codes. The table is the single source of truth:
 * each code means one thing, and its domain and default retryability come from here alone (an
 * `AsmError` cannot be given another domain). Codes are stable across releases: add, never rename.
 * `docs/events-and-results.md` renders this table; a test keeps the two identical.
 */
export const ASM_ERROR_CODES = {
  cli_not_found: {
    domain: "provider",
    retryable: false,
    meaning: "The provider's CLI binary could not be found (option, env var, PATH, known locations).",
  },
  auth_error: {
    domain: "provider",
    retryable: false,
    meaning: 'The provider rejected the credentials (HTTP 401/403, "invalid api key", login required).',
  },
  rate_limit: {
    domain: "provider",
    retryable: true,
    meaning: "The provider throttled the request; retrying later may succeed.",
  },
  quota_exhausted: {
    domain: "provider",
    retryable: false,
    meaning: "The account's usage quota is exhausted; retrying before the reset will not help.",
  },
  timeout: {
    domain: "runtime",
    retryable: true,
    meaning: "A watchdog fired: idle, wall-clock, stream, queue, approval or transport-call timeout (the message names which).",
  },
  parse_error: {
    domain: "parser",
    retryable: false,
    meaning: "A provider line could not be parsed as the expected JSON.",
  },
  buffer_overflow: {
    domain: "transport",
    retryable: false,
    meaning: "A single output line exceeded the configured buffer cap; ASM refuses to truncate it.",
  },
  transport_exit: {
    domain: "transport",
    retryable: true,
    meaning: "The CLI process exited unsuccessfully without a terminal event of its own.",
  },
  transport_error: {
    domain: "transport",
    retryable: true,
    meaning: "The transport failed (spawn error, broken pipe, backend crash).",
  },
  at_capacity: {
    domain: "runtime",
    retryable: true,
    meaning: "A bounded resource has no room: every run slot and queue place of the session is taken.",
  },
  user_cancelled: {
    domain: "runtime",
    retryable: false,
    meaning: "The run was interrupted by the caller (interrupt, break out of the stream, intervene, session stop).",
  },
  guardrail_blocked: {
    domain: "guardrail",
    retryable: false,
    meaning: "A guardrail (allowed-tools list, policy, pipeline plug) blocked the run.",
  },
  tool_failed: {
    domain: "tool",
    retryable: false,
    meaning: "A tool the agent called failed.",
  },
  config_invalid: {
    domain: "config",
    retryable: false,
    meaning: "An option or configuration value is invalid; the message names the key and what to use.",
  },
  unsupported: {
    domain: "config",
    retryable: false,
    meaning: "The value is valid, but this provider, lane or surface cannot do it (a permission mode it lacks, approvals without a control protocol, the Ollama route on Gemini, a surface with no driver).",
  },
  not_found: {
    domain: "runtime",
    retryable: false,
    meaning: "An id names nothing ASM knows: a session, run, approval, provider, or a provider session to resume.",
  },
  connection_failed: {
    domain: "transport",
    retryable: true,
    meaning: "A remote node or service could not be reached or failed its handshake.",
  },
  store_unavailable: {
    domain: "runtime",
    retryable: true,
    meaning: "The event store could not take an event (disk full, read-only, server gone, constraint); the run is failed rather than an event lost.",
  },
  runtime: {
    domain: "runtime",
    retryable: false,
    meaning: "An unexpected failure inside ASM itself (a broken invariant, a plug or backend that threw).",
  },
  unknown: {
    domain: "runtime",
    retryable: false,
    meaning: "An unclassified failure: the provider failed and nothing said why.",
  },
} as const satisfies Record<string, { domain: AsmErrorDomain; retryable: boolean; meaning: string }>;

/** A stable error code: one key of {@link ASM_ERROR_CODES}. */
export type AsmErrorCode = keyof typeof ASM_ERROR_CODES;

/** All error codes, in table order. */
export const ASM_ERROR_CODE_LIST = Object.keys(ASM_ERROR_CODES) as [AsmErrorCode, ...AsmErrorCode[]];

/** The area an error comes from; used to route handling and in `[domain/code]` messages. */
export type AsmErrorDomain = "transport" | "parser" | "provider" | "guardrail" | "tool" | "runtime" | "config";

/** All domains, each used by at least one code. */
export const ASM_ERROR_DOMAINS = ["transport", "parser", "provider", "guardrail", "tool", "runtime", "config"] as const satisfies readonly AsmErrorDomain[];

/** True when `value` is one of the stable error codes. */
export function isAsmErrorCode(value: unknown): value is AsmErrorCode {
  return typeof value === "string" && Object.hasOwn(ASM_ERROR_CODES, value);
}

/** The domain of a code, from the table. */
export function domainOf(code: AsmErrorCode): AsmErrorDomain {
  return ASM_ERROR_CODES[code].domain;
}
