import { backendEvent, type BackendEvent, type StopReason, type WarningCode } from "@asm/contract";

/**
 * Factories for the backend events tests need most, with realistic defaults.
 *
 * @example
 * ```ts
 * [fakeEvents.started("sess-1"), fakeEvents.delta("O"), fakeEvents.delta("K"), fakeEvents.result("OK")]
 * ```
 */
export const fakeEvents = {
  /** `run_started` carrying a provider session id. */
  started: (providerSessionId = "provider-session-1"): BackendEvent =>
    backendEvent("run_started", { providerSessionId }, { providerSessionId }),
  /** A streamed text fragment. */
  delta: (content: string): BackendEvent => backendEvent("assistant_delta", { content }),
  /** A complete assistant text message. */
  message: (text: string): BackendEvent =>
    backendEvent("assistant_message", { content: [{ type: "text", text }] }),
  /** A tool call. */
  toolUse: (toolName: string, input: unknown = {}, toolCallId = `call-${toolName}`): BackendEvent =>
    backendEvent("tool_use", { toolName, toolCallId, input }),
  /** A tool result. */
  toolResult: (toolCallId: string, content: unknown, isError = false): BackendEvent =>
    backendEvent("tool_result", { toolCallId, content, isError }),
  /** Token/cost accounting. */
  cost: (inputTokens: number, outputTokens: number, costUsd: number | null = null, mode: "increment" | "cumulative" = "increment"): BackendEvent =>
    backendEvent("cost_update", { inputTokens, outputTokens, costUsd, mode }),
  /** A successful outcome. */
  result: (text?: string, extra: { stopReason?: StopReason; usage?: { inputTokens: number; outputTokens: number } } = {}): BackendEvent =>
    backendEvent("result", { ...(text === undefined ? {} : { text }), stopReason: extra.stopReason ?? "end_turn", ...(extra.usage ? { usage: extra.usage } : {}) }),
  /** A terminal error outcome. */
  error: (code: "auth_error" | "transport_exit" | "rate_limit" | "timeout" | "runtime", message: string): BackendEvent =>
    backendEvent("error", { code, message, severity: "error" }),
  /** A non-terminal warning. */
  warning: (code: WarningCode, message: string): BackendEvent => backendEvent("warning", { code, message }),
};
