import type { ModelCatalog, ModelEntry, ModelPricing } from "@asm/contract";

/** Token counts as priced by {@link costOf}. */
export interface TokenCounts {
  /** Uncached input tokens. */
  inputTokens: number;
  /** Output tokens (including thinking, which providers bill as output). */
  outputTokens: number;
  /** Input tokens served from the cache. */
  cacheReadInputTokens?: number | undefined;
  /** Input tokens written to the cache. */
  cacheCreationInputTokens?: number | undefined;
}

/** List prices in USD per million tokens, as providers publish them. */
export interface PricesPerMillion {
  input: number;
  output: number;
  cacheRead?: number;
  cacheWrite?: number;
}

/**
 * Per-token pricing from prices per million tokens. Named fields, because providers publish the
 * four prices in different orders.
 *
 * @example
 * ```ts
 * perMillionTokens({ input: 3, output: 15, cacheRead: 0.3 }); // { inputPerToken: 3e-6, … }
 * ```
 */
export function perMillionTokens(prices: PricesPerMillion): ModelPricing {
  return {
    inputPerToken: prices.input / 1e6,
    outputPerToken: prices.output / 1e6,
    ...(prices.cacheRead === undefined ? {} : { cacheReadPerToken: prices.cacheRead / 1e6 }),
    ...(prices.cacheWrite === undefined ? {} : { cacheWritePerToken: prices.cacheWrite / 1e6 }),
  };
}

/**
 * The USD cost of `tokens` at `pricing`: tokens × price for input, output, cache reads and cache
 * writes (cache tokens at the input price when the table has no cache price). The one formula
 * every provider and the kernel use.
 */
export function costOf(pricing: ModelPricing, tokens: TokenCounts): number {
  const cacheRead = (tokens.cacheReadInputTokens ?? 0) * (pricing.cacheReadPerToken ?? pricing.inputPerToken);
  const cacheWrite = (tokens.cacheCreationInputTokens ?? 0) * (pricing.cacheWritePerToken ?? pricing.inputPerToken);
  return tokens.inputTokens * pricing.inputPerToken + tokens.outputTokens * pricing.outputPerToken + cacheRead + cacheWrite;
}

/** The catalog entry whose id or one of whose aliases is `idOrAlias` (exact spelling), if any. */
export function findModel(catalog: ModelCatalog, idOrAlias: string | null | undefined): ModelEntry | undefined {
  if (idOrAlias === null || idOrAlias === undefined || idOrAlias === "") return undefined;
  return catalog.models.find((entry) => entry.id === idOrAlias || (entry.aliases ?? []).includes(idOrAlias));
}

/**
 * The pricing of `model` in a catalog (by id or alias; the catalog's default model when `model`
 * is null or undefined), or null when the model or its price is unknown.
 */
export function pricingFor(catalog: ModelCatalog, model: string | null | undefined): ModelPricing | null {
  return findModel(catalog, model ?? catalog.defaultModel)?.pricing ?? null;
}

/**
 * The cost of `tokens` for `model`, or `null` when the model's price is unknown: ASM never
 * reports a made-up 0. A result that is not finite is `null` too.
 *
 * @example
 * ```ts
 * estimateCost(catalog, "sonnet", { inputTokens: 1000, outputTokens: 200 }); // 0.006
 * estimateCost(catalog, "unlisted", { inputTokens: 1, outputTokens: 1 }); // null
 * ```
 */
export function estimateCost(catalog: ModelCatalog, model: string | null | undefined, tokens: TokenCounts): number | null {
  const pricing = pricingFor(catalog, model);
  if (pricing === null) return null;
  const cost = costOf(pricing, tokens);
  return Number.isFinite(cost) ? cost : null;
}
