import type { ProviderFeatures } from "@asm/contract";

/** The shared option keys that make up the common Ollama surface. */
export const OLLAMA_COMMON_OPTIONS = ["ollama", "ollamaModel", "ollamaBaseUrl", "ollamaHttp", "ollamaTimeoutMs"] as const;

/**
 * Gemini's feature manifest. The common Ollama surface is not supported: Gemini CLI speaks only
 * the Gemini API (Google AI or Vertex AI), so the Ollama knobs fail validation instead of being
 * ignored.
 */
export const geminiFeatures = {
  commonFeatures: {
    ollama: {
      supported: false,
      commonOptions: OLLAMA_COMMON_OPTIONS,
      notes:
        "Gemini CLI calls only the Gemini API (Google AI or Vertex AI); it has no OpenAI- or Ollama-compatible backend. Setting any Ollama option for Gemini is an `unsupported` error.",
    },
  },
} as const satisfies ProviderFeatures;
