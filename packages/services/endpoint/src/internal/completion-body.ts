import type { Result, Usage } from "@asm/contract";

/** OpenAI's usage object from ASM's token counts (cached input counts as prompt tokens). */
export function usageOf(usage: Usage) {
  const prompt = usage.inputTokens + (usage.cacheReadInputTokens ?? 0) + (usage.cacheCreationInputTokens ?? 0);
  return {
    prompt_tokens: prompt,
    completion_tokens: usage.outputTokens,
    total_tokens: prompt + usage.outputTokens,
    prompt_tokens_details: { cached_tokens: usage.cacheReadInputTokens ?? 0 },
  };
}

/** The id every chunk and completion of one run carries. */
const completionId = (runId: string) => `chatcmpl-${runId}`;

/** A non-streaming `chat.completion` from a finished run. */
export function completionOf(result: Result, model: string, created: number, finishReason: string) {
  return {
    id: completionId(result.runId),
    object: "chat.completion",
    created,
    model,
    choices: [{ index: 0, message: { role: "assistant", content: result.text, refusal: null }, finish_reason: finishReason, logprobs: null }],
    usage: usageOf(result.usage),
    system_fingerprint: null,
  };
}

/** One `chat.completion.chunk`. */
export function chunkOf(runId: string, model: string, created: number, delta: Record<string, unknown>, finishReason: string | null, usage?: ReturnType<typeof usageOf> | null) {
  return {
    id: completionId(runId),
    object: "chat.completion.chunk",
    created,
    model,
    choices: [{ index: 0, delta, finish_reason: finishReason, logprobs: null }],
    ...(usage === undefined ? {} : { usage }),
  };
}

/** The usage-only chunk that ends a stream asked with `stream_options.include_usage`. */
export function usageChunkOf(runId: string, model: string, created: number, usage: ReturnType<typeof usageOf>) {
  return { id: completionId(runId), object: "chat.completion.chunk", created, model, choices: [], usage };
}
