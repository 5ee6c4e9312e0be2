import type { ProviderFeatures } from "@asm/contract";

/** The common option keys that make up the Ollama surface. */
export const OLLAMA_COMMON_OPTIONS = [
  "ollama",
  "ollamaModel",
  "ollamaBaseUrl",
  "ollamaHttp",
  "ollamaTimeoutMs",
] as const;

/** Amp's feature manifest: the common Ollama surface is not supported. */
export const ampFeatures: ProviderFeatures = {
  commonFeatures: {
    ollama: {
      supported: false,
      commonOptions: OLLAMA_COMMON_OPTIONS,
      notes:
        "Amp runs its agent loop and model calls on Amp's servers; the CLI has no model endpoint to " +
        "point at a local Ollama server. Setting any Ollama option for Amp fails validation.",
    },
  },
};
