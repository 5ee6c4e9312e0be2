/** The Gemini CLI provider definition. */
export { gemini } from "./provider.js";
/** The Gemini CLI profile (discovery, invocation, parser) the core lane drives. */
export { geminiProfile } from "./profile.js";
/** Gemini's provider options schema and types. */
export { geminiOptionsSchema } from "./options.js";
export type { GeminiOptions, GeminiOptionsInput, GeminiProfileOptions } from "./options.js";
/** Permission mapping: normalized mode → Gemini approval mode and flags. */
export { geminiPermissionModes, resolveGeminiPermission } from "./permission-modes.js";
/** Known Gemini models and prices. */
export { geminiModels, geminiModelPricing } from "./models.js";
/** Feature manifest (the common Ollama surface is unsupported). */
export { geminiFeatures, OLLAMA_COMMON_OPTIONS } from "./features.js";
/** Capabilities of the Gemini CLI lane. */
export { geminiCapabilities } from "./capabilities.js";
/** Binary discovery data for `gemini`. */
export { geminiDiscovery } from "./discovery.js";
/** Builds the `gemini` argv/env/stdin of one run. */
export { buildGeminiInvocation, GEMINI_SYSTEM_PROMPT_FILE, GEMINI_MAX_STDIN_PROMPT_BYTES } from "./invocation.js";
/** The stream-json parser of one run. */
export { createGeminiParser } from "./parser.js";
/** Rejects the Ollama knobs for Gemini. */
export { normalizeGeminiOptions } from "./normalize-options.js";
