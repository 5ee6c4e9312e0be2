import type { ModelCatalog } from "@asm/contract";

/**
 * Amp's model catalog: empty. Amp chooses the model on its servers from the agent `mode`, and
 * publishes no per-token prices, so ASM knows no model ids and cost stays `null` unless the
 * stream reports one.
 */
export const ampModels: ModelCatalog = {
  defaultModel: null,
  models: [],
};
