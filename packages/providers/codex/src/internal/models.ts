import type { ModelCatalog, ModelEntry, ModelPricing } from "@asm/contract";
import { findModel, perMillionTokens } from "@asm/provider-utils";

/** The model the OSS (Ollama) route uses when none is given. */
export const CODEX_OSS_DEFAULT_MODEL = "gpt-oss:20b";

// Public OpenAI API list prices in USD per million tokens: input, cached input, output.
function perMillion(input: number, cachedInput: number, output: number): ModelPricing {
  return perMillionTokens({ input, cacheRead: cachedInput, output });
}

const BUILT_IN = "In the model catalog built into codex 0.169.0; no public per-token price known.";

const models: readonly ModelEntry[] = [
  ...["gpt-6.1-sol", "gpt-6.1-terra", "gpt-6-astra", "gpt-6-sol", "gpt-6-luna", "gpt-5.6-sol", "gpt-5.6-terra", "gpt-5.6-luna"].map(
    (id): ModelEntry => ({ id, description: BUILT_IN }),
  ),
  { id: "gpt-5.5", pricing: perMillion(5, 0.5, 30), description: "GPT-5.5 (in codex 0.169.0's built-in catalog)." },
  { id: "gpt-5.4", pricing: perMillion(2.5, 0.25, 15), description: "GPT-5.4." },
  { id: "gpt-5.4-mini", pricing: perMillion(0.75, 0.075, 4.5), description: "GPT-5.4 mini." },
  { id: "gpt-5.3-codex", pricing: perMillion(1.75, 0.175, 14), description: "GPT-5.3-Codex." },
  { id: "gpt-5.2-codex", pricing: perMillion(1.75, 0.175, 14), description: "GPT-5.2-Codex." },
  { id: "gpt-5.2", pricing: perMillion(1.75, 0.175, 14), description: "GPT-5.2." },
  { id: "gpt-5.1-codex-max", pricing: perMillion(1.25, 0.125, 10), description: "GPT-5.1-Codex-Max." },
  { id: "gpt-5.1-codex", pricing: perMillion(1.25, 0.125, 10), description: "GPT-5.1-Codex." },
  { id: "gpt-5.1-codex-mini", pricing: perMillion(0.25, 0.025, 2), description: "GPT-5.1-Codex mini." },
  { id: "gpt-5.1", pricing: perMillion(1.25, 0.125, 10), description: "GPT-5.1." },
  { id: "gpt-5-codex", pricing: perMillion(1.25, 0.125, 10), description: "GPT-5-Codex." },
  { id: "gpt-5", pricing: perMillion(1.25, 0.125, 10), description: "GPT-5." },
  { id: "gpt-5-mini", pricing: perMillion(0.25, 0.025, 2), description: "GPT-5 mini." },
  {
    id: CODEX_OSS_DEFAULT_MODEL,
    description: "Open-weight model served locally (Ollama); the default of the OSS route. Local, so no price.",
  },
];

/**
 * Models ASM knows for Codex. Other ids pass through unvalidated. There is no default: the CLI
 * picks its own (its configuration or built-in default) when no `model` is given.
 */
export const codexModels: ModelCatalog = { defaultModel: null, models };

/** The catalog entry for `model` (by id or alias), if any. */
export function findCodexModel(model: string | undefined): ModelEntry | undefined {
  return findModel(codexModels, model);
}
