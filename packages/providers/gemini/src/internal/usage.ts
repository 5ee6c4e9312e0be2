import { costOf, isRecord, tokenCount } from "@asm/provider-utils";
import { geminiModelPricing } from "./models.js";

/** Token counts of one model (or the total) in a stream-json `result.stats`. */
interface NativeTokenStats {
  total_tokens?: unknown;
  input_tokens?: unknown;
  output_tokens?: unknown;
  cached?: unknown;
  input?: unknown;
}

/** What a `result.stats` block turns into. */
export interface GeminiUsage {
  /** Prompt tokens not served from the cache. */
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
  cacheReadInputTokens: number;
  /** Reasoning tokens (billed as output; the CLI folds them into `total_tokens` only). */
  thoughtsTokens: number;
  /** USD, or null when a model that used tokens has no known price. */
  costUsd: number | null;
  durationMs?: number;
  toolCalls?: number;
}

function tokens(stats: NativeTokenStats): { input: number; cached: number; output: number; total: number; thoughts: number } {
  const prompt = tokenCount(stats.input_tokens);
  const cached = Math.min(tokenCount(stats.cached), prompt);
  const input = stats.input === undefined ? prompt - cached : tokenCount(stats.input);
  const output = tokenCount(stats.output_tokens);
  const total = tokenCount(stats.total_tokens);
  // The CLI's `output_tokens` are candidate tokens only; the rest of the total is thinking (and
  // tool-use prompt) tokens, which the API bills as output.
  const thoughts = Math.max(0, total - prompt - output);
  return { input, cached, output, total, thoughts };
}

/**
 * Reads usage and cost from a stream-json `result.stats` (`undefined` when there is none). Cost is
 * summed per model from `stats.models`; `fallbackModel` (the run's model) prices a stats block
 * without a per-model breakdown.
 */
export function readUsage(stats: unknown, fallbackModel: string | undefined): GeminiUsage | undefined {
  if (!isRecord(stats)) return undefined;
  const native = stats as NativeTokenStats & { models?: unknown; duration_ms?: unknown; tool_calls?: unknown };
  const total = tokens(native);
  const perModel =
    isRecord(native.models) ? Object.entries(native.models as Record<string, NativeTokenStats>) : [];
  const priced = perModel.length > 0 ? perModel : fallbackModel === undefined ? [] : [[fallbackModel, native] as const];

  let costUsd: number | null = 0;
  if (priced.length === 0 && total.total + total.input + total.output > 0) costUsd = null;
  for (const [model, modelStats] of priced) {
    const used = tokens(isRecord(modelStats) ? modelStats : {});
    if (used.input + used.cached + used.output + used.thoughts === 0) continue;
    const pricing = geminiModelPricing(model);
    if (pricing === undefined || costUsd === null) {
      costUsd = null;
      continue;
    }
    // Thinking tokens are billed as output.
    costUsd += costOf(pricing, { inputTokens: used.input, outputTokens: used.output + used.thoughts, cacheReadInputTokens: used.cached });
  }

  return {
    inputTokens: total.input,
    outputTokens: total.output,
    totalTokens: total.total,
    cacheReadInputTokens: total.cached,
    thoughtsTokens: total.thoughts,
    costUsd,
    ...(typeof native.duration_ms === "number" && native.duration_ms >= 0 ? { durationMs: native.duration_ms } : {}),
    ...(typeof native.tool_calls === "number" && native.tool_calls >= 0 ? { toolCalls: Math.floor(native.tool_calls) } : {}),
  };
}
