import type { LanguageModelV4FinishReason, LanguageModelV4Usage } from "@ai-sdk/provider";
import type { Result } from "@asm/contract";

/** The AI SDK's usage from a run's token counts. */
export function usageOf(result: Result): LanguageModelV4Usage {
  const { inputTokens, outputTokens, cacheReadInputTokens = 0, cacheCreationInputTokens = 0 } = result.usage;
  return {
    inputTokens: { total: inputTokens + cacheReadInputTokens + cacheCreationInputTokens, noCache: inputTokens, cacheRead: cacheReadInputTokens, cacheWrite: cacheCreationInputTokens },
    outputTokens: { total: outputTokens, text: undefined, reasoning: undefined },
  };
}

/** The AI SDK's finish reason: the provider's stop reason, or how the run failed. */
export function finishReasonOf(result: Result): LanguageModelV4FinishReason {
  const raw = result.error?.code ?? result.stopReason ?? undefined;
  if (result.error) return { unified: result.error.code === "user_cancelled" ? "interrupted" : "error", raw };
  switch (result.stopReason) {
    case null:
    case "end_turn":
    case "stop_sequence":
    case "tool_use":
      return { unified: "stop", raw };
    case "max_tokens":
      return { unified: "length", raw };
    case "refusal":
      return { unified: "content-filter", raw };
    default:
      return { unified: "other", raw };
  }
}

/** What every answer carries under `providerMetadata.asm` (the session id continues the conversation). */
export function metadataOf(result: Result) {
  return {
    asm: {
      providerSessionId: result.providerSessionId,
      runId: result.runId,
      sessionId: result.sessionId,
      provider: result.provider,
      costUsd: result.costUsd,
    },
  };
}

/** Metadata naming only the provider session (what a streamed part knows while the run goes on). */
export function sessionMetadata(providerSessionId: string | null) {
  return providerSessionId === null ? undefined : { asm: { providerSessionId } };
}
