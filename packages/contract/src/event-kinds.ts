/**
 * The normalized event kinds every provider's output is mapped onto. A run's stream always ends
 * with exactly one `run_completed`; before it, its outcome is one `result` (success) or one
 * terminal `error`.
 */
export const EVENT_KINDS = [
  "run_started",
  "session_updated",
  "assistant_delta",
  "assistant_message",
  "user_message",
  "thinking",
  "tool_use",
  "tool_result",
  "plan",
  "approval_requested",
  "approval_resolved",
  "cost_update",
  "rate_limited",
  "guardrail_triggered",
  "warning",
  "result",
  "error",
  "stderr",
  "raw",
  "run_completed",
] as const;

/** One normalized event kind. */
export type EventKind = (typeof EVENT_KINDS)[number];

/** True when `value` names a known event kind. */
export function isEventKind(value: unknown): value is EventKind {
  return typeof value === "string" && (EVENT_KINDS as readonly string[]).includes(value);
}
