/** The version every inference contract carries; a consumer manifest with another is refused. */
export const INFERENCE_CONTRACT_VERSION = "inference.v1";

/** The one protocol the endpoint speaks. */
export type InferenceProtocol = "openai_chat_completions";

/** Capability flags a backend manifest advertises: known true/false, or not known. */
export type CapabilityFlag = boolean | "unknown";

/** What a program consuming an endpoint accepts and needs. */
export interface ConsumerManifest {
  contractVersion: string;
  consumer: string;
  acceptedRuntimeKinds: readonly string[];
  acceptedManagementModes: readonly string[];
  acceptedProtocols: readonly string[];
  /** Capabilities that must be published (`streaming`, `tool_calling`, …) or the lease is refused. */
  requiredCapabilities: readonly string[];
  /** Capabilities the consumer uses when present; missing ones become warnings. */
  optionalCapabilities: readonly string[];
  constraints: Record<string, unknown>;
  metadata: Record<string, unknown>;
}

/** What a provider publishes through the endpoint, derived from its profile's capabilities. */
export interface Publication {
  /** Plain completions: any of streaming, reasoning, thinking, tools, extensions, mcp. */
  cliCompletionV1: boolean;
  /** Streaming completions. */
  cliStreamingV1: boolean;
  /** A full coding agent (Claude, Codex) with streaming and tools. */
  cliAgentV2: boolean;
  /** Only the common surface (Gemini, Amp). */
  commonSurfaceOnly: boolean;
  /** Which profile capabilities each label was derived from. */
  derivedFrom: readonly string[];
}

/** What the backend behind an endpoint can do. */
export interface BackendManifest {
  contractVersion: string;
  backend: string;
  runtimeKind: "task";
  managementModes: readonly string[];
  startupKind: "spawned";
  protocols: readonly InferenceProtocol[];
  capabilities: { streaming: CapabilityFlag; toolCalling: CapabilityFlag; embeddings: CapabilityFlag };
  supportedSurfaces: readonly string[];
  resourceProfile: Record<string, unknown>;
  metadata: Record<string, unknown>;
}

/** Why a consumer and an endpoint do or do not fit. */
export type CompatibilityReason = "protocol_match" | "runtime_kind_mismatch" | "management_mode_mismatch" | "protocol_mismatch" | "missing_streaming" | "missing_capability";

/** The answer of the compatibility check. */
export interface CompatibilityResult {
  contractVersion: string;
  compatible: boolean;
  reason: CompatibilityReason;
  resolvedRuntimeKind: string | null;
  resolvedManagementMode: string | null;
  resolvedProtocol: string | null;
  warnings: string[];
  missingRequirements: string[];
  metadata: Record<string, unknown>;
}

/** A leased endpoint: where to send requests and how to authenticate. */
export interface EndpointDescriptor {
  contractVersion: string;
  endpointId: string;
  runtimeKind: "task";
  managementMode: string;
  targetClass: "cli_endpoint";
  protocol: InferenceProtocol;
  /** `http://127.0.0.1:<port>/leases/<lease>/v1` (an OpenAI client's `baseURL`). */
  baseUrl: string;
  /** Headers to send (the bearer token): secret, never log them. */
  headers: Record<string, string>;
  providerIdentity: string;
  modelIdentity: string;
  sourceRuntime: "asm";
  sourceRuntimeRef: string;
  leaseRef: string;
  healthRef: string;
  boundaryRef: string | null;
  capabilities: { streaming: boolean; toolCalling: false };
  metadata: { publication: Publication; backendManifest: BackendManifest };
}

/** Request header naming the conversation a request continues (the lease keeps one session per id). */
export const CONVERSATION_HEADER = "x-asm-conversation-id";
