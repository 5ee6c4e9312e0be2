import type { Usage } from "@asm/contract";
import { addTokenCounts, firstNumber, isRecord, tokenCount } from "@asm/provider-utils";

/**
 * Reads Anthropic-style token counts (`input_tokens`, `output_tokens`, cache counts; camelCase
 * spellings too). Returns null when neither input nor output tokens are present.
 */
export function readUsage(value: unknown): Usage | null {
  if (!isRecord(value)) return null;
  const input = firstNumber(value, "input_tokens", "inputTokens", "prompt_tokens");
  const output = firstNumber(value, "output_tokens", "outputTokens", "completion_tokens");
  if (input === undefined && output === undefined) return null;
  return {
    inputTokens: tokenCount(input),
    outputTokens: tokenCount(output),
    cacheReadInputTokens: tokenCount(firstNumber(value, "cache_read_input_tokens", "cacheReadInputTokens")),
    cacheCreationInputTokens: tokenCount(firstNumber(value, "cache_creation_input_tokens", "cacheCreationInputTokens")),
  };
}

/** Adds token counts. */
export function addUsage(a: Usage, b: Usage): Usage {
  return {
    inputTokens: addTokenCounts(a.inputTokens, b.inputTokens),
    outputTokens: addTokenCounts(a.outputTokens, b.outputTokens),
    cacheReadInputTokens: addTokenCounts(a.cacheReadInputTokens, b.cacheReadInputTokens),
    cacheCreationInputTokens: addTokenCounts(a.cacheCreationInputTokens, b.cacheCreationInputTokens),
  };
}
