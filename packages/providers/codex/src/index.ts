/** The Codex provider factory for `createAsm({ providers })`. */
export { codex } from "./provider.js";
/** The Codex option schema, its value lists and types. */
export {
  codexOptionsSchema,
  CODEX_REASONING_EFFORTS,
  CODEX_PROVIDER_BACKENDS,
  CODEX_OSS_PROVIDERS,
  CODEX_SANDBOX_MODES,
} from "./options.js";
export type {
  CodexOptions,
  CodexOptionsInput,
  CodexProfileOptions,
  CodexReasoningEffort,
  CodexProviderBackend,
  CodexOssProvider,
  CodexSandboxMode,
} from "./options.js";
/** Codex's permission-mode table. */
export { codexPermissionModes } from "./permission-modes.js";
/** The Codex model catalog (with public per-token prices) and a lookup. */
export { codexModels, findCodexModel, CODEX_OSS_DEFAULT_MODEL } from "./models.js";
/** Codex's feature manifest (the common Ollama surface). */
export { codexFeatures, CODEX_MIN_OLLAMA_VERSION } from "./features.js";
/** Option normalization (the Ollama surface, backend resolution). */
export { normalizeCodexOptions, normalizeOssBaseUrl } from "./normalize-options.js";
/** The `codex exec` command-line builder. */
export { buildInvocation, OUTPUT_SCHEMA_FILE_KEY } from "./invocation.js";
/** The `codex exec --json` stdout parser. */
export { createCodexParser } from "./parser.js";
export type { CodexParserOptions } from "./parser.js";
/** Binary discovery for `codex`. */
export { codexDiscovery } from "./discovery.js";
/** The CLI profile and its capabilities. */
export { codexProfile, codexCapabilities } from "./profile.js";
