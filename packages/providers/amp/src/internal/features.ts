import type { ProviderFeatures } from "@asm/contract";
import { unsupportedOllamaFeature } from "@asm/provider-utils";

/** Amp's feature manifest: the common Ollama surface is not supported. */
export const ampFeatures: ProviderFeatures = {
  commonFeatures: {
    ollama: unsupportedOllamaFeature(
      "Amp runs its agent loop and model calls on Amp's servers; the CLI has no model endpoint to " +
        "point at a local Ollama server. Setting any Ollama option for Amp fails validation.",
    ),
  },
};
