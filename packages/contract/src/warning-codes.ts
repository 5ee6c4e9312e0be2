/**
 * The codes of `warning` events ASM and its providers emit. A warning never ends a run; its code
 * says what happened so a consumer can act on it without reading the message. Codes outside this
 * table must be namespaced (`<namespace>.<code>`, e.g. `audit.tool_seen` from a pipeline plug), so
 * an extension can never emit, or be mistaken for, one of ASM's own. Stable: add, never rename.
 */
export const ASM_WARNING_CODES = {
  /** A provider event type the profile does not know, passed through as `raw` (once per type per run). */
  schema_drift: "the provider emitted an event type the profile does not know",
  /** The CLI's version is outside the range the profile was verified against. */
  version_unsupported: "the CLI's version is outside the verified range",
  /** The CLI's version could not be read. */
  version_unknown: "the CLI's version could not be read",
  /** The CLI reconnects to its model API (Codex's "Reconnecting…" notices). */
  reconnecting: "the CLI is reconnecting to its model API",
  /** The CLI retries a failed model API request (Claude's `api_retry`). */
  api_retry: "the CLI is retrying a failed model API request",
  /** A notice the provider reported as an error item that does not end the run (Codex). */
  provider_warning: "the provider reported a non-fatal notice",
  /** An error the provider reported that did not end the run by itself (Codex's `error` event). */
  provider_error: "the provider reported an error that did not end the run",
  /** An output schema was requested but the final message does not decode as JSON. */
  structured_output_invalid: "the final message does not satisfy the requested output schema",
  /** The CLI refused a tool call under its own permission rules (Claude). */
  permission_denied: "the CLI refused a tool call under its own permission rules",
  /** An automatic answer to a CLI control request could not be written. */
  control_reply_failed: "an automatic control-protocol answer could not be written",
  /** The CLI rejected a control request ASM sent (Claude's control protocol). */
  control_error: "the CLI rejected a control request",
  /** An MCP server the run configured failed to start or connect. */
  mcp_server_unavailable: "an MCP server is unavailable",
  /** The provider reported a second outcome after the run's first; it was ignored. */
  duplicate_outcome: "the provider reported a second outcome",
  /** The CLI exited unsuccessfully after it had reported the run's outcome. */
  exit_after_outcome: "the CLI exited unsuccessfully after its outcome",
} as const;

/** One of ASM's own warning codes. */
export type AsmWarningCode = keyof typeof ASM_WARNING_CODES;

/** A warning code outside ASM's table: `<namespace>.<code>`. */
export type NamespacedWarningCode = `${string}.${string}`;

/** Any valid `warning` event code. */
export type WarningCode = AsmWarningCode | NamespacedWarningCode;

/** ASM's warning codes, in table order. */
export const ASM_WARNING_CODE_LIST = Object.keys(ASM_WARNING_CODES) as [AsmWarningCode, ...AsmWarningCode[]];

/** The shape of a namespaced warning code: lowercase words joined by `.`, at least two. */
export const NAMESPACED_WARNING_CODE = /^[a-z][a-z0-9_-]*(\.[a-z][a-z0-9_-]*)+$/;

/** True when `value` is a valid warning code: one of ASM's, or a namespaced one. */
export function isWarningCode(value: unknown): value is WarningCode {
  return typeof value === "string" && (Object.hasOwn(ASM_WARNING_CODES, value) || NAMESPACED_WARNING_CODE.test(value));
}
