import type {
  AnyHostTool,
  AnyProviderDefinition,
  ApprovalPosture,
  Continuation,
  ExecutionMode,
  ExecutionSurfaceKind,
  PermissionMode,
  ProviderBackend,
  ProviderDefinition,
  RequestedLane,
} from "@asm/contract";
import type { CommonProviderOptions } from "@asm/provider-utils";
import type { PipelinePlug } from "../pipeline/plug.js";

/** A placement as a caller writes it (`kind` defaults to `local`). */
export interface ExecutionSurfaceInput {
  kind?: ExecutionSurfaceKind | "local_subprocess";
  /** Surface-specific options (for `ssh_exec`: `{ destination, user?, port?, identityFile?, options?, … }`). */
  transportOptions?: Record<string, unknown>;
  targetId?: string;
  leaseRef?: string;
  surfaceRef?: string;
  boundaryClass?: string;
  observability?: Record<string, unknown>;
}

/** What the run may do and where, as a caller writes it. */
export interface ExecutionEnvironmentInput {
  /** Working directory of the CLI (unless the provider option `cwd` is set). */
  workspaceRoot?: string;
  /**
   * Tool names the agent may call; any other `tool_use` ends the run with `guardrail_blocked`.
   * Names only (`Read`, `Bash`): a provider's own permission rules (Claude's `Bash(git *)`) are
   * provider options (`allowRules`).
   */
  allowedTools?: readonly string[];
  approvalPosture?: ApprovalPosture;
  permissionMode?: PermissionMode;
}

/** The execution keys: where and how a run executes (resolved with execution precedence). */
export interface ExecutionOptions extends ExecutionEnvironmentInput {
  executionMode?: ExecutionMode;
  executionSurface?: ExecutionSurfaceInput;
  executionEnvironment?: ExecutionEnvironmentInput;
  /** Lane request: `auto` (default), `core` or `sdk`. */
  lane?: RequestedLane;
  /** Execution keys with the highest precedence (run over session). */
  driverOpts?: Omit<ExecutionOptions, "driverOpts">;
  /** Longest gap between two events of a running run (ms); default 300 000. */
  streamTimeoutMs?: number;
  /** Longest wait in the session's queue (ms); default unlimited. */
  queueTimeoutMs?: number;
  /** Longest a single call into the backend may take (approval answer, input, interrupt), in ms; default 5 000. */
  transportCallTimeoutMs?: number;
  /** Remote-node settings for `executionMode: "remote_node"`. */
  remote?: { node: string } & Record<string, unknown>;
}

/** The run keys: how the kernel runs one prompt. */
export interface KernelRunOptions {
  /** The run's id; a ULID by default. Unique in the runtime. */
  runId?: string;
  /** Continue an earlier provider session. */
  continuation?: Continuation;
  /** Pipeline plugs, in order (after the allowed-tools guard). */
  pipeline?: readonly PipelinePlug[];
  /** How long an approval may wait for an answer (ms) before it is denied with reason `timeout`. */
  approvalTimeoutMs?: number;
  /** A backend replacing the lane altogether. */
  backend?: ProviderBackend;
  /** Runtime knobs handed to the backend (the core lane's watchdogs, caps, grace periods). */
  backendOptions?: Record<string, unknown>;
  /** Aborts the run. */
  signal?: AbortSignal;
  /** Added to the run metadata (cannot override the lane fields). */
  metadata?: Record<string, unknown>;
}

/** The session keys, given once when the session starts. */
export interface KernelSessionOptions {
  /** Session id; a ULID by default. */
  sessionId?: string;
  /** Runs allowed at once (default from the provider's admission profile). */
  maxConcurrentRuns?: number;
  /** Runs allowed to wait (default from the provider's admission profile). */
  maxQueuedRuns?: number;
  /** Continue the last provider session on follow-up prompts (default true). */
  autoResume?: boolean;
  /**
   * Host tools this session's agent can call, besides the runtime's (`createAsm({ tools })`);
   * one of the same name replaces the runtime's. Served to the CLI over MCP for each run.
   */
  hostTools?: readonly AnyHostTool[];
}

/** The option input type of a provider definition (what its schema accepts). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- matching any definition
type ProviderOptionsInputOf<P> = P extends ProviderDefinition<any, any, infer Input> ? Input : Record<string, unknown>;

/**
 * Per-run options of one provider: the kernel's execution and run keys, the common provider keys
 * and the provider's own. A misspelt key is a compile error (and, untyped, a `config_invalid`).
 */
export type RunOptionsOf<P> = ExecutionOptions & KernelRunOptions & CommonProviderOptions & ProviderOptionsInputOf<P>;

/** The provider names of a list of provider definitions. */
export type ProviderNameOf<Providers extends readonly AnyProviderDefinition[]> = Providers[number]["name"];

/**
 * The definition registered under `Name`: the one whose literal name it is, or, for definitions
 * typed with a plain `string` name, any of those.
 */
export type ProviderNamed<Providers extends readonly AnyProviderDefinition[], Name> = Providers[number] extends infer P
  ? P extends { name: infer Registered }
    ? Name extends Registered
      ? P
      : never
    : never
  : never;

/**
 * `startSession` options for a list of providers: one variant per provider, told apart by
 * `provider`, each with that provider's run options as session defaults.
 */
export type SessionOptionsFor<Providers extends readonly AnyProviderDefinition[]> = {
  [Name in ProviderNameOf<Providers>]: { provider: Name } & KernelSessionOptions & RunOptionsOf<ProviderNamed<Providers, Name>>;
}[ProviderNameOf<Providers>];
