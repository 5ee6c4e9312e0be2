import type { ModelCatalog, ModelEntry, ModelPricing } from "@asm/contract";
import { estimateCost, findModel, perMillionTokens, type TokenCounts } from "@asm/provider-utils";

// Prices per million tokens, as in Claude Code 2.1.329's built-in model catalog (list prices:
// input, output, 5-minute cache write, cache read).
function perMillion(input: number, output: number, cacheWrite: number, cacheRead: number): ModelPricing {
  return perMillionTokens({ input, output, cacheWrite, cacheRead });
}

/** Claude Code's default model when no `--model` is given (2.1.329). */
export const CLAUDE_DEFAULT_MODEL = "claude-opus-5-5";

/**
 * Current Claude models with list prices, so a run's cost can be estimated when the CLI does not
 * report one. The CLI's own cost always wins. Ids not listed pass through unvalidated (the CLI
 * resolves them).
 */
export const claudeModels: ModelCatalog = {
  defaultModel: CLAUDE_DEFAULT_MODEL,
  models: [
    { id: "claude-opus-5-5", aliases: ["opus", "opus[1m]", "best"], pricing: perMillion(4, 20, 5, 0.2), description: "Opus 5.5" },
    { id: "claude-opus-5", pricing: perMillion(5, 25, 6.25, 0.5), description: "Opus 5" },
    { id: "claude-opus-4-8", pricing: perMillion(5, 25, 6.25, 0.5), description: "Opus 4.8" },
    { id: "claude-opus-4-7", pricing: perMillion(5, 25, 6.25, 0.5), description: "Opus 4.7" },
    { id: "claude-opus-4-6", pricing: perMillion(5, 25, 6.25, 0.5), description: "Opus 4.6" },
    { id: "claude-opus-4-5", aliases: ["claude-opus-4-5-20251101"], pricing: perMillion(5, 25, 6.25, 0.5), description: "Opus 4.5" },
    { id: "claude-sonnet-5-5", aliases: ["sonnet", "sonnet[1m]"], pricing: perMillion(2, 10, 2.5, 0.1), description: "Sonnet 5.5" },
    { id: "claude-sonnet-5", pricing: perMillion(2, 10, 2.5, 0.2), description: "Sonnet 5" },
    { id: "claude-sonnet-4-6", pricing: perMillion(3, 15, 3.75, 0.3), description: "Sonnet 4.6" },
    { id: "claude-sonnet-4-5", aliases: ["claude-sonnet-4-5-20250929"], pricing: perMillion(3, 15, 3.75, 0.3), description: "Sonnet 4.5" },
    {
      id: "claude-haiku-5-5",
      aliases: ["haiku"],
      pricing: perMillion(0.1, 0.5, 0.125, 0.01),
      description: "Haiku 5.5 (prompts above 100k tokens are billed higher; the estimate uses the base price)",
    },
    { id: "claude-haiku-4-5", aliases: ["claude-haiku-4-5-20251001"], pricing: perMillion(1, 5, 1.25, 0.1), description: "Haiku 4.5" },
    { id: "claude-fable-5-2", aliases: ["fable", "fable[1m]"], pricing: perMillion(8, 40, 10, 0.2), description: "Fable 5.2" },
    { id: "claude-fable-5-1", pricing: perMillion(10, 50, 12.5, 0.25), description: "Fable 5.1" },
    { id: "claude-fable-5", pricing: perMillion(10, 50, 12.5, 1), description: "Fable 5" },
  ],
};

/**
 * Finds a catalog entry by id or alias. A trailing context-window suffix (`[1m]`) is ignored when
 * the exact spelling is not listed.
 */
export function findClaudeModel(idOrAlias: string): ModelEntry | undefined {
  const wanted = idOrAlias.trim();
  return findModel(claudeModels, wanted) ?? findModel(claudeModels, wanted.replace(/\[\d+m\]$/i, ""));
}

/**
 * Estimates a cost in USD from list prices, or `null` when the model is unknown (never a made-up
 * 0).
 */
export function estimateClaudeCostUsd(model: string | undefined, usage: TokenCounts): number | null {
  if (model === undefined) return null;
  const entry = findClaudeModel(model);
  return entry === undefined ? null : estimateCost(claudeModels, entry.id, usage);
}
