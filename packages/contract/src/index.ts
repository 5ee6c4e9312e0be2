export { ASM_ERROR_CODES, ASM_ERROR_CODE_LIST, ASM_ERROR_DOMAINS, isAsmErrorCode, domainOf } from "./error-codes.js";
export type { AsmErrorCode, AsmErrorDomain } from "./error-codes.js";
export { ASM_WARNING_CODES, ASM_WARNING_CODE_LIST, NAMESPACED_WARNING_CODE, isWarningCode } from "./warning-codes.js";
export type { AsmWarningCode, NamespacedWarningCode, WarningCode } from "./warning-codes.js";
export { AsmError, isAsmError, configError } from "./asm-error.js";
export type { AsmErrorOptions, SerializedAsmError } from "./asm-error.js";
export { ulid, isUlid } from "./ulid.js";
export { TOOL_KINDS, isToolKind, toolKindOf } from "./tool-kind.js";
export type { ToolKind } from "./tool-kind.js";
export { STOP_REASONS, STOP_REASON_LIST, isStopReason, stopReasonOf, stopReasonFields } from "./stop-reasons.js";
export type { StopReason } from "./stop-reasons.js";
export { EVENT_KINDS, isEventKind } from "./event-kinds.js";
export type { EventKind } from "./event-kinds.js";
export {
  payloadSchemas,
  contentBlockSchema,
  usageSchema,
  runStartedPayload,
  sessionUpdatedPayload,
  assistantDeltaPayload,
  assistantMessagePayload,
  userMessagePayload,
  thinkingPayload,
  toolUsePayload,
  toolResultPayload,
  planPayload,
  approvalRequestedPayload,
  approvalResolvedPayload,
  costUpdatePayload,
  rateLimitedPayload,
  guardrailTriggeredPayload,
  warningPayload,
  warningCodeSchema,
  resultPayload,
  errorPayload,
  stderrPayload,
  rawPayload,
  runCompletedPayload,
} from "./payloads.js";
export type { ContentBlock, Usage, PayloadOf, PayloadInputOf } from "./payloads.js";
export { createEvent, parseEvent, backendEvent, isTerminalError, isOutcomeEvent } from "./event.js";
export { NativeLine, isNativeLine, rawValueOf } from "./native-line.js";
export type { AsmEvent, AsmEventOf, BackendEvent, CreateEventInput } from "./event.js";
export type { EventStore } from "./event-store.js";
export { defineTool } from "./host-tool.js";
export type { HostTool, AnyHostTool, HostToolContext, HostToolOutput, HostToolsEndpoint } from "./host-tool.js";
export {
  PERMISSION_MODES,
  APPROVAL_POSTURES,
  POSTURE_PERMISSION_MODE,
  isPermissionMode,
} from "./permission.js";
export type {
  PermissionMode,
  ApprovalPosture,
  ApprovalDecision,
  NativePermissionMode,
  PermissionModeTable,
} from "./permission.js";
export { CAPABILITIES } from "./capabilities.js";
export type { Capability } from "./capabilities.js";
export type {
  ExecutionSurface,
  ExecutionSurfaceKind,
  ExecutionEnvironment,
  ExecutionMode,
  ExecutionConfig,
  SshTransportOptions,
} from "./execution.js";
export { PROTECTED_METADATA_KEYS } from "./lane.js";
export type { Lane, RequestedLane, LaneReason, LaneFallbackReason, LaneMetadata, RunMetadata } from "./lane.js";
export { SPECIFICATION_VERSION, SUPPORTED_SPECIFICATION_VERSIONS } from "./specification.js";
export type { SpecificationVersion } from "./specification.js";
export { EXECUTION_OPTION_KEYS, RUN_OPTION_KEYS, SESSION_OPTION_KEYS, KERNEL_OPTION_KEYS } from "./option-keys.js";
export type { KernelOptionKey, WithoutKernelKeys } from "./option-keys.js";
export type { Result, RunStatus } from "./result.js";
export type {
  BackendStartConfig,
  BackendSession,
  QueuedEventIterator,
  BackendInfo,
  LaneFeatures,
  ProviderBackend,
  Continuation,
  SecretToRedact,
} from "./backend.js";
export type {
  ProviderProfile,
  AnyProfileOptions,
  CliDiscovery,
  VersionRange,
  InvocationInput,
  Invocation,
  ExitInfo,
  ParserContext,
  ProfileParser,
  ControlProtocol,
  HostToolsSupport,
} from "./profile.js";
export type {
  ProviderDefinition,
  AnyProviderDefinition,
  ProviderOptionsSchema,
  ProviderFeatures,
  CommonFeatureSupport,
  ModelCatalog,
  ModelEntry,
  ModelPricing,
  AdmissionProfile,
  SdkLaneDefinition,
  LaneAvailability,
} from "./provider.js";
