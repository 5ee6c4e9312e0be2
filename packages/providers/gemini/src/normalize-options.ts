import { AsmError } from "@asm/contract";
import { OLLAMA_COMMON_OPTIONS } from "./features.js";

/**
 * Provider-specific normalization after validation. Gemini does not support the common Ollama
 * surface, so asking for it (`ollama: true`, or any other Ollama knob set) fails instead of being
 * silently ignored.
 *
 * @throws AsmError `unsupported` naming the Ollama keys that were set.
 */
export function normalizeGeminiOptions(options: Record<string, unknown>): Record<string, unknown> {
  const requested = OLLAMA_COMMON_OPTIONS.filter((key) =>
    key === "ollama" ? options.ollama === true : options[key] !== undefined && options[key] !== null,
  );
  if (requested.length > 0) {
    throw new AsmError(
      "unsupported",
      `Gemini does not support the common Ollama surface (${requested.join(", ")} set); remove the Ollama options or use a provider that supports Ollama (claude, codex).`,
      { provider: "gemini", details: { keys: requested, feature: "ollama" } },
    );
  }
  return options;
}
