import { rejectOllamaOptions } from "@asm/provider-utils";

/**
 * Provider-specific normalization after validation. Gemini does not support the common Ollama
 * surface, so asking for it (`ollama: true`, or any other Ollama knob set) fails instead of being
 * silently ignored.
 *
 * @throws AsmError `unsupported` naming the Ollama keys that were set.
 */
export function normalizeGeminiOptions<Options extends Readonly<Record<string, unknown>>>(options: Options): Options {
  rejectOllamaOptions(options, {
    provider: "gemini",
    displayName: "Gemini",
    reason: "remove the Ollama options or use a provider that supports Ollama (claude, codex).",
  });
  return options;
}
