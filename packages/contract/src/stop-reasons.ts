/**
 * Why a successful turn ended: the one documented set every provider's `result.stopReason` is
 * mapped onto (the provider's own value, when it differs, is kept as `nativeStopReason`). Stable:
 * add, never rename. `docs/events-and-results.md` renders this table; a test keeps the two equal.
 */
export const STOP_REASONS = {
  end_turn: "the agent finished its turn (Codex and Gemini report no reason for a completed turn; it is this)",
  max_tokens: "the model reached its output-token or context-window limit",
  stop_sequence: "a stop sequence ended the generation",
  tool_use: "the turn ended on a tool call that was not run",
  refusal: "the model refused to answer",
  max_turns: "the agent reached its limit of model requests for the turn",
  other: "any other reason the provider gave (see `nativeStopReason`)",
} as const;

/** One documented stop reason. */
export type StopReason = keyof typeof STOP_REASONS;

/** The stop reasons, in table order. */
export const STOP_REASON_LIST = Object.keys(STOP_REASONS) as [StopReason, ...StopReason[]];

// Native values of Claude Code, the Agent Client Protocol and the OpenAI-shaped APIs.
const NATIVE_STOP_REASONS: Readonly<Record<string, StopReason>> = {
  completed: "end_turn",
  end: "end_turn",
  stop: "end_turn",
  done: "end_turn",
  success: "end_turn",
  length: "max_tokens",
  model_context_window_exceeded: "max_tokens",
  max_turn_requests: "max_turns",
  tool_calls: "tool_use",
  content_filter: "refusal",
};

/** True when `value` is one of {@link STOP_REASONS}. */
export function isStopReason(value: unknown): value is StopReason {
  return typeof value === "string" && Object.hasOwn(STOP_REASONS, value);
}

/**
 * The documented stop reason for a provider's native one: members pass unchanged, known native
 * values are translated (`completed` and ACP's `end_turn` → `end_turn`, `length` → `max_tokens`,
 * ACP's `max_turn_requests` → `max_turns`), anything else is `other`; `undefined`/`null`/`""`
 * (the provider said nothing) is `end_turn`, since only a turn that finished reports success.
 *
 * @example
 * ```ts
 * stopReasonOf("end_turn"); // "end_turn"
 * stopReasonOf(undefined); // "end_turn"
 * stopReasonOf("pause_turn"); // "other"
 * ```
 */
export function stopReasonOf(native: unknown): StopReason {
  if (native === undefined || native === null || native === "") return "end_turn";
  if (isStopReason(native)) return native;
  if (typeof native === "string" && Object.hasOwn(NATIVE_STOP_REASONS, native)) return NATIVE_STOP_REASONS[native]!;
  return "other";
}

/**
 * The `stopReason` fields of a `result` payload for a native value: the documented reason, and
 * `nativeStopReason` when the provider's own word differs from it.
 */
export function stopReasonFields(native: unknown): { stopReason: StopReason; nativeStopReason?: string } {
  const stopReason = stopReasonOf(native);
  return typeof native === "string" && native !== "" && native !== stopReason ? { stopReason, nativeStopReason: native } : { stopReason };
}
