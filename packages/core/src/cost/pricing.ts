import type { ModelCatalog, ModelPricing } from "@asm/contract";

/** Token counts as priced by {@link costOf}. */
export interface TokenCounts {
  inputTokens: number;
  outputTokens: number;
  cacheReadInputTokens?: number | undefined;
  cacheCreationInputTokens?: number | undefined;
}

/** The USD cost of `tokens` at `pricing` (cache reads/writes priced when the table has them). */
export function costOf(pricing: ModelPricing, tokens: TokenCounts): number {
  const cacheRead = (tokens.cacheReadInputTokens ?? 0) * (pricing.cacheReadPerToken ?? pricing.inputPerToken);
  const cacheWrite = (tokens.cacheCreationInputTokens ?? 0) * (pricing.cacheWritePerToken ?? pricing.inputPerToken);
  return tokens.inputTokens * pricing.inputPerToken + tokens.outputTokens * pricing.outputPerToken + cacheRead + cacheWrite;
}

/** The pricing of `model` in a provider's catalog (by id or alias), or null when unknown. */
export function pricingFor(catalog: ModelCatalog, model: string | null | undefined): ModelPricing | null {
  const id = model ?? catalog.defaultModel;
  if (!id) return null;
  const entry = catalog.models.find((m) => m.id === id || (m.aliases ?? []).includes(id));
  return entry?.pricing ?? null;
}

/**
 * The cost of `tokens` for `model`, or `null` when the model's price is unknown: ASM never
 * reports a made-up 0.
 */
export function estimateCost(catalog: ModelCatalog, model: string | null | undefined, tokens: TokenCounts): number | null {
  const pricing = pricingFor(catalog, model);
  return pricing ? costOf(pricing, tokens) : null;
}
