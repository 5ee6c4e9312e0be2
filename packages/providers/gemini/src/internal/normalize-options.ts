import { rejectOllamaOptions } from "@asm/provider-utils";

/**
 * Provider-specific normalization after validation. Gemini does not support the common Ollama
 * surface, so asking for it (`ollama: true`, or any other Ollama knob set) fails instead of being
 * silently ignored.
 *
 * @throws AsmError `unsupported` naming the Ollama keys that were set.
 */
export function normalizeGeminiOptions(options: Record<string, unknown>): Record<string, unknown> {
  rejectOllamaOptions(options, {
    provider: "gemini",
    displayName: "Gemini",
    reason: "remove the Ollama options or use a provider that supports Ollama (claude, codex).",
  });
  return options;
}
