export { claude, CLAUDE_ADMISSION } from "./provider.js";
export {
  claudeOptionsSchema,
  CLAUDE_EFFORT_LEVELS,
  CLAUDE_SETTING_SOURCES,
  CLAUDE_PROVIDER_BACKENDS,
} from "./options.js";
export type { ClaudeOptions, ClaudeOptionsInput, ClaudeProfileOptions } from "./options.js";
export { normalizeClaudeOptions } from "./normalize-options.js";
export { claudePermissionModes, resolveClaudePermissionMode } from "./permission-modes.js";
export {
  claudeModelCatalog,
  CLAUDE_DEFAULT_MODEL,
  findClaudeModel,
  estimateClaudeCostUsd,
} from "./models.js";
export type { ClaudeTokenUsage } from "./models.js";
export {
  claudeFeatures,
  CLAUDE_OLLAMA_DEFAULT_BASE_URL,
  CLAUDE_OLLAMA_DEFAULT_AUTH_TOKEN,
  OLLAMA_COMMON_OPTIONS,
} from "./features.js";
export {
  claudeCliDiscovery,
  claudeKnownPaths,
  parseClaudeVersion,
  CLAUDE_SUPPORTED_VERSIONS,
  CLAUDE_INSTALL_HINT,
} from "./discovery.js";
export { buildClaudeInvocation, CLAUDE_MCP_CONFIG_FILE_KEY } from "./invocation.js";
export { createClaudeParser, CLAUDE_KNOWN_EVENT_TYPES } from "./parser.js";
export {
  claudeControlProtocol,
  claudeApprovalReplyLine,
  claudeInitializeLine,
  claudeInterruptLine,
  claudeUserMessageLine,
  claudeControlSuccessLine,
  claudeControlErrorLine,
  CLAUDE_INITIALIZE_REQUEST_ID,
  CLAUDE_DEFAULT_DENY_MESSAGE,
} from "./control-protocol.js";
export {
  classifyClaudeApiFailure,
  classifyClaudeExit,
  CLAUDE_ROOT_REFUSAL_PATTERN,
} from "./failure.js";
export type { ClaudeApiFailure, ClaudeExitFailure } from "./failure.js";
export { claudeProfile, CLAUDE_CAPABILITIES } from "./profile.js";
