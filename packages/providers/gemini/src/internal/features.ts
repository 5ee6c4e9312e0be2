import type { ProviderFeatures } from "@asm/contract";
import { unsupportedOllamaFeature } from "@asm/provider-utils";

/**
 * Gemini's feature manifest. The common Ollama surface is not supported: Gemini CLI speaks only
 * the Gemini API (Google AI or Vertex AI), so the Ollama knobs fail validation instead of being
 * ignored.
 */
export const geminiFeatures: ProviderFeatures = {
  commonFeatures: {
    ollama: unsupportedOllamaFeature(
      "Gemini CLI calls only the Gemini API (Google AI or Vertex AI); it has no OpenAI- or Ollama-compatible backend. Setting any Ollama option for Gemini is an `unsupported` error.",
    ),
  },
};
