/** `amp()` — the Sourcegraph Amp provider definition. */
export { amp, AMP_ADMISSION } from "./provider.js";
/** Amp's provider-specific option schema and its parts. */
export { ampOptionsSchema, ampPermissionRuleSchema, ampMcpServerSchema, ampMcpConfigSchema } from "./options.js";
/** Types of Amp's options. */
export type { AmpOptions, AmpOptionsInput, AmpProfileOptions, AmpPermissionRule, AmpMcpConfig } from "./options.js";
/** Option validation (`parseAmpOptions`) and the kernel's normalization hook. */
export { parseAmpOptions, normalizeAmpOptions } from "./normalize-options.js";
/** Normalized permission mode → Amp flags. */
export { ampPermissionModes } from "./permission-modes.js";
/** Amp's (empty) model catalog. */
export { ampModels } from "./models.js";
/** Amp's feature manifest (no Ollama). */
export { ampFeatures, OLLAMA_COMMON_OPTIONS } from "./features.js";
/** What the Amp core lane can do. */
export { AMP_CAPABILITIES } from "./capabilities.js";
/** How to find and identify the `amp` binary. */
export { ampCliDiscovery, AMP_VERIFIED_CLI_VERSION } from "./discovery.js";
/** The argv/stdin/temp files for one run. */
export { buildAmpInvocation, AMP_SETTINGS_FILE_KEY, AMP_MCP_CONFIG_FILE_KEY } from "./invocation.js";
/** The `--stream-json` parser. */
export { createAmpParser } from "./parser.js";
/** Classification of a failed run from its stderr and exit code. */
export { classifyAmpFailure, stderrSummary } from "./exit-classification.js";
/** The CLI profile the core lane drives. */
export { ampProfile } from "./profile.js";
