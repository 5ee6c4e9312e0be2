import type { ModelCatalog, ModelEntry, ModelPricing } from "@asm/contract";
import { findModel, perMillionTokens } from "@asm/provider-utils";

function perMillion(input: number, output: number, cacheRead: number): ModelPricing {
  return perMillionTokens({ input, output, cacheRead });
}

/**
 * Gemini models with the Gemini API's published paid-tier prices (USD per token; for models with
 * a long-context tier, the rate for prompts up to 200k tokens). Thinking tokens are billed as
 * output. Ids not listed pass through to the CLI unvalidated and get no cost (`costUsd: null`).
 */
export const geminiModels = {
  defaultModel: "gemini-2.5-flash",
  models: [
    {
      id: "gemini-2.5-flash",
      pricing: perMillion(0.3, 2.5, 0.03),
      description: "Fast hybrid-reasoning model; ASM's default for Gemini.",
    },
    {
      id: "gemini-2.5-pro",
      pricing: perMillion(1.25, 10, 0.125),
      description: "Most capable 2.5 model (prompts over 200k tokens cost $2.50/$15 per million).",
    },
    {
      id: "gemini-2.5-flash-lite",
      pricing: perMillion(0.1, 0.4, 0.01),
      description: "Cheapest 2.5 model.",
    },
    {
      id: "gemini-3-pro-preview",
      pricing: perMillion(2, 12, 0.2),
      description: "Gemini 3 Pro preview (prompts over 200k tokens cost $4/$18 per million).",
    },
    {
      id: "gemini-3-flash-preview",
      pricing: perMillion(0.5, 3, 0.05),
      description: "Gemini 3 Flash preview.",
    },
    {
      id: "auto",
      description:
        "The CLI's own routing (also its aliases pro, flash, flash-lite): an extra router request per turn picks the model; cost comes from the models the CLI reports using.",
    },
  ] satisfies ModelEntry[],
} as const satisfies ModelCatalog;

/** The pricing of a model id (or alias), if it is known. */
export function geminiModelPricing(model: string): ModelPricing | undefined {
  return findModel(geminiModels, model)?.pricing;
}
