import type { ProviderFeatures } from "@asm/contract";
import { supportedOllamaFeature } from "@asm/provider-utils";
import { CODEX_OSS_DEFAULT_MODEL } from "./models.js";

/** The Ollama version whose OpenAI-compatible Responses API the OSS route needs. */
const CODEX_MIN_OLLAMA_VERSION = "0.13.4";

/**
 * Codex's feature manifest. The common `ollama` surface is supported through Codex's
 * configuration-driven OSS route: `-c model_provider="ollama" -c model="<model>"`, with
 * `CODEX_OSS_BASE_URL` when a base URL is given (Codex then calls `POST <base>/responses`).
 */
export const codexFeatures: ProviderFeatures = {
  commonFeatures: {
    ollama: supportedOllamaFeature({
      activation: { providerBackend: "oss", ossProvider: "ollama" },
      modelStrategy: "direct_external",
      compatibility: {
        acceptance: "runtime_validated_external_model",
        defaultModel: CODEX_OSS_DEFAULT_MODEL,
        validatedModels: [CODEX_OSS_DEFAULT_MODEL],
        minOllamaVersion: CODEX_MIN_OLLAMA_VERSION,
      },
      notes:
        "The model is an Ollama model id used as is (default gpt-oss:20b). ollamaBaseUrl is normalized to end in /v1 " +
        "and passed as CODEX_OSS_BASE_URL. No --model flag and no --oss flag are used.",
    }),
    structured_output: {
      supported: true,
      commonOptions: [],
      notes: "outputSchema is written to a private temporary file passed as --output-schema; the final message is decoded as JSON.",
    },
  },
};
