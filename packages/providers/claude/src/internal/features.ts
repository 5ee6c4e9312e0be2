import type { ProviderFeatures } from "@asm/contract";
import { supportedOllamaFeature } from "@asm/provider-utils";

/** The Ollama server Claude Code is pointed at when no base URL is given. */
export const CLAUDE_OLLAMA_DEFAULT_BASE_URL = "http://127.0.0.1:11434";

/** The `ANTHROPIC_AUTH_TOKEN` sent to Ollama when none is given (Ollama ignores its value). */
export const CLAUDE_OLLAMA_DEFAULT_AUTH_TOKEN = "ollama";

/**
 * Claude's feature manifest. The common `ollama` feature is supported: Claude Code talks to
 * Ollama's Anthropic-compatible API (`ANTHROPIC_BASE_URL`), with either a direct Ollama model id
 * or a canonical Claude name mapped through `externalModelOverrides`.
 */
export const claudeFeatures: ProviderFeatures = {
  commonFeatures: {
    ollama: supportedOllamaFeature({
      activation: { providerBackend: "ollama" },
      modelStrategy: "canonical_or_direct_external",
      compatibility: {
        defaultBaseUrl: CLAUDE_OLLAMA_DEFAULT_BASE_URL,
        defaultAuthToken: CLAUDE_OLLAMA_DEFAULT_AUTH_TOKEN,
        defaultModel: null,
        env: ["ANTHROPIC_BASE_URL", "ANTHROPIC_AUTH_TOKEN", "ANTHROPIC_API_KEY"],
      },
      notes:
        "No default model: set `model` (a canonical name mapped by externalModelOverrides, or an Ollama id) or `ollamaModel`. The model is not checked against the Ollama server before the run.",
    }),
  },
};
