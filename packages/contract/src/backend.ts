import type { Capability } from "./capabilities.js";
import type { BackendEvent } from "./event.js";
import type { ExecutionConfig } from "./execution.js";
import type { HostToolsEndpoint } from "./host-tool.js";
import type { Lane, RunMetadata } from "./lane.js";
import type { ApprovalDecision, PermissionMode } from "./permission.js";
import type { SpecificationVersion } from "./specification.js";

/** How a run continues an earlier provider session. */
export type Continuation =
  | { strategy: "exact"; providerSessionId: string }
  | { strategy: "latest" };

/** Everything a backend needs to start one run. */
export interface BackendStartConfig {
  runId: string;
  sessionId: string;
  provider: string;
  prompt: string;
  /**
   * Provider options (common and provider keys), validated and normalized once by the kernel. A
   * backend reads them as they are; it never parses them again.
   */
  providerOptions: Record<string, unknown>;
  /** Normalized permission mode, when set. */
  permissionMode?: PermissionMode;
  /** The provider's native rendering of the permission mode. */
  nativePermissionMode?: string;
  /** Continue an earlier provider session instead of starting fresh. */
  continuation?: Continuation;
  /** Resolved placement and environment. */
  execution: ExecutionConfig;
  /** Runtime knobs (timeouts, buffer caps) for the backend. */
  backendOptions: Record<string, unknown>;
  /** Aborted when the run is cancelled before or during start. */
  signal?: AbortSignal;
  /** Run metadata: the lane fields and what the caller added. */
  metadata: RunMetadata;
  /**
   * The run's host tools, served by the kernel over MCP for the run's lifetime. A backend that
   * cannot hand them to its agent must refuse the run (`config_invalid`), never drop them.
   */
  hostTools?: HostToolsEndpoint;
  /**
   * The secret values the host replaces in everything the run emits (API keys from its
   * environment and the run's, the host tools token). A backend that replaces them itself, with
   * its own secrets and the common credential shapes, in every event it yields says so with
   * {@link BackendInfo.redactsEvents}, and the host does not walk those events a second time.
   */
  redactSecrets?: readonly SecretToRedact[];
}

/** One secret value a backend must never let through, and the variable it came from when known. */
export interface SecretToRedact {
  value: string;
  /** Shown in the replacement (`[REDACTED:OPENAI_API_KEY]`). */
  name?: string;
}

/**
 * What a lane can do natively, beyond the capability names: how approvals and interrupts work and
 * which session controls it offers. SDK lanes publish it on their backend info and lane definition.
 */
export interface LaneFeatures {
  /** `callback`: the agent asks and waits for `approve()`; `static`: rules only; `none`. */
  approvals: "callback" | "static" | "none";
  /** `graceful`: the turn stops and the process stays; `kill`: the process is stopped. */
  interrupt: "graceful" | "kill";
  /** Text arrives in deltas (`assistant_delta`). */
  partialText: boolean;
  /** A JSON Schema can constrain the final answer. */
  structuredOutput: boolean;
  /** The model can change between turns of one live session. */
  setModel: boolean;
  /** The permission mode can change between turns of one live session. */
  setPermissionMode: boolean;
  /** A provider session can be resumed by id. */
  resume: boolean;
  /** A provider session can be forked. */
  fork: boolean;
  /** MCP servers can be passed inline (no config file). */
  mcpInline: boolean;
  /** Follow-up turns of one ASM session reuse one agent process. */
  longLivedProcess: boolean;
}

/** Static description of a running backend. */
export interface BackendInfo {
  provider: string;
  lane: Lane;
  /** Backend implementation name (`core:claude`, `sdk:claude`…). */
  backend: string;
  /** Runtime detail (`subprocess`, `ssh_exec`, `claude-agent-sdk`…). */
  runtime: string;
  capabilities: Capability[];
  /** Native lane features (SDK lanes). */
  features?: LaneFeatures;
  /** Session details, with internal delivery tags stripped. */
  session: Record<string, unknown>;
  /** Merged into run metadata. */
  observability: Record<string, unknown>;
  /**
   * True when every event this session yields already has `BackendStartConfig.redactSecrets`, the
   * backend's own secrets and the common credential shapes replaced. Only a backend that does
   * this for every event may say so: the host then skips its own pass over them.
   */
  redactsEvents?: boolean;
}

/**
 * One started run of a backend. `events()` yields the run's normalized events and ends after the
 * outcome (one `result` or one terminal `error`); a backend that loses its process synthesizes the
 * outcome rather than ending silently.
 */
export interface BackendSession {
  /**
   * The run's events; may be iterated once. Its iterator may also be a {@link QueuedEventIterator},
   * which lets the kernel take events already queued without a promise each.
   */
  events(): AsyncIterable<BackendEvent>;
  /** Sends more input to the agent (a follow-up message on stream-input backends). */
  sendInput(input: string): Promise<void>;
  /** Closes the agent's input. */
  endInput(): Promise<void>;
  /** Stops the current turn (SIGINT or a protocol-level interrupt). */
  interrupt(): Promise<void>;
  /** Releases the run: terminates the process (SIGTERM, grace, SIGKILL) and frees resources. Idempotent. */
  close(): Promise<void>;
  /**
   * Delivers an approval decision to the agent. Backends without approval support reject with
   * `AsmError("unsupported")`; an id the backend never reported rejects with `not_found`.
   */
  respondToApproval(approvalId: string, decision: ApprovalDecision, reason?: string): Promise<void>;
  /** Static information about this backend. */
  info(): BackendInfo;
}

/**
 * An iterator of a run's events that can also hand over, without waiting, an event it already
 * holds. A backend whose events arrive in bursts (a CLI's stdout chunk holds many lines) offers
 * it so the kernel takes a burst in one go rather than one promise per event; `next()` stays the
 * way to wait, and both take from the same queue in the same order.
 */
export interface QueuedEventIterator extends AsyncIterator<BackendEvent> {
  /** The next event already queued, or `undefined` when there is none yet (wait with `next()`). */
  takeQueued(): BackendEvent | undefined;
}

/** A lane-specific factory of backend sessions for one provider. */
export interface ProviderBackend {
  /** The contract version this backend implements (`"v1"`); the kernel refuses any other. */
  readonly specificationVersion: SpecificationVersion;
  /** Implementation name, e.g. `core:claude`. */
  readonly name: string;
  /** Starts a run. Rejects with an `AsmError` (`cli_not_found`, `config_invalid`, `unsupported`, …) on failure. */
  start(config: BackendStartConfig): Promise<BackendSession>;
  /** Frees anything kept per ASM session (called by `stopSession`). */
  releaseSession?(sessionId: string): Promise<void>;
}
