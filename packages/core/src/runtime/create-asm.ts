import {
  AsmError,
  ulid,
  type AnyHostTool,
  type AnyProviderDefinition,
  type ApprovalDecision,
  type CommonFeatureSupport,
  type ExecutionMode,
  type NativePermissionMode,
  type PermissionMode,
  type ProviderBackend,
  type ProviderDefinition,
  type RequestedLane,
  type AsmEvent,
  type Result,
  type SdkLaneDefinition,
} from "@asm/contract";
import type { CostTotals } from "../cost/session-cost.js";
import { EXECUTION_DEFAULTS, rejectLegacySurfaceKeys, resolveExecution } from "../execution/execution-config.js";
import { assertSurfaceDriven } from "../execution/execution-surface.js";
import { timeoutMs } from "../options/input-hygiene.js";
import { resolvePermission } from "../options/permission.js";
import { partitionOptions } from "../options/option-groups.js";
import type { KernelSessionOptions, ProviderNamed, ProviderNameOf, RunOptionsOf } from "../options/option-types.js";
import {
  commonFeatureOf,
  manifestOf,
  permissionModeOf,
  supportsCommonFeatureOf,
  type ProviderManifest,
} from "../registry/provider-features.js";
import { ProviderRegistry, type LaneInfo, type LaneResolution, type ProviderInfo } from "../registry/provider-registry.js";
import { ApprovalTracker } from "../approvals/approval-tracker.js";
import type { Run } from "../run/run.js";
import type { Checkpoint } from "../session/checkpoint.js";
import { Session, type RestoredState, type ResumeTarget, type RunOptions, type SessionInfo } from "../session/session.js";
import type { EventStore } from "../store/event-store.js";
import { planRestore } from "../store/restore-session.js";
import { StoreWriter } from "../store/store-writer.js";
import { reapOrphans } from "@asm/core-lane";
import { RunStream } from "../stream/run-stream.js";
import type { CoreBackendOptions } from "@asm/core-lane";
import { coreBackendFactory } from "./core-backend-factory.js";
import { checkHostTools } from "@asm/host-tools";

/** Runtime-wide configuration of `createAsm`. */
export interface AsmConfig {
  /** Default approval timeout (ms); an unanswered approval is denied with reason `timeout`. Default 120 000. */
  approvalTimeoutMs?: number;
  /** Default gap allowed between two events of a running run (ms). Default 300 000. */
  streamTimeoutMs?: number;
  /** Default time a run may wait in a session's queue (ms). Default: unlimited. */
  queueTimeoutMs?: number;
  /** Default transport call timeout (ms). Default 5 000. */
  transportCallTimeoutMs?: number;
  /** Default lane request. Default `auto`. */
  lane?: RequestedLane;
  /** Default execution surface (placement). */
  executionSurface?: Record<string, unknown>;
  /** Default execution environment (workspace, allowed tools, approvals, permission mode). */
  executionEnvironment?: Record<string, unknown>;
  /**
   * Where every run's events are also appended (for replay and `restoreSession`), off the
   * delivery path through a bounded buffer (see `storeBuffer`).
   */
  store?: EventStore;
  /**
   * Events that may wait for the store besides the batch being written. Default 1024. When it is
   * full, delivery waits for room (the run, and the reading of the CLI's output, pause); nothing
   * is dropped.
   */
  storeBuffer?: number;
  /** Builds the core-lane backend of a provider (defaults to the CLI subprocess runtime). */
  coreBackend?: (provider: AnyProviderDefinition) => ProviderBackend;
  /** Options of the default CLI subprocess runtime (surfaces, state dir, orphan reaping). */
  coreLane?: CoreBackendOptions;
  /** Backend used for `executionMode: "remote_node"` runs. */
  remoteBackend?: (provider: AnyProviderDefinition) => ProviderBackend;
}

/** The provider list of an untyped runtime: any provider, any provider keys. */
export type AnyProviders = readonly ProviderDefinition[];

/** Arguments of `createAsm`. */
export interface CreateAsmOptions<Providers extends readonly AnyProviderDefinition[] = AnyProviders> {
  /** Provider definitions (`claude()`, `codex()`, …); their option types type the runtime's sessions and runs. */
  providers: Providers;
  /** SDK lanes (`claudeSdkLane()`, …). */
  lanes?: readonly SdkLaneDefinition[];
  /**
   * Host tools every session's agent can call (a session's `hostTools` add to them and replace
   * any of the same name). Each run serves them to its CLI over MCP on loopback.
   */
  tools?: readonly AnyHostTool[];
  config?: AsmConfig;
}

/**
 * Options of `startSession`: the provider, the session-only keys, and defaults for every run (the
 * kernel's execution and run keys, the common provider keys and that provider's own keys). With
 * typed providers it is a union told apart by `provider`, so a misspelt key is a compile error.
 */
export type SessionOptions<Providers extends readonly AnyProviderDefinition[] = AnyProviders> = {
  [Name in ProviderNameOf<Providers>]: { provider: Name } & KernelSessionOptions & RunOptionsOf<ProviderNamed<Providers, Name>>;
}[ProviderNameOf<Providers>];

/** The run options of the provider registered under `Name`. */
export type RunOptionsFor<Providers extends readonly AnyProviderDefinition[], Name> = RunOptionsOf<ProviderNamed<Providers, Name>>;

/** Options of `restoreSession`: the store to read, and session defaults as `startSession` takes them. */
export type RestoreSessionOptions<Providers extends readonly AnyProviderDefinition[] = AnyProviders> = {
  /** The store holding the session (default: the runtime's). */
  store?: EventStore;
  /** Defaults to the provider of the stored events. */
  provider?: ProviderNameOf<Providers>;
} & Omit<KernelSessionOptions, "sessionId"> &
  Record<string, unknown>;

/** Health of a session. */
export type SessionHealth = { status: "healthy" } | { status: "unhealthy"; reason: "not_found" | "stopped" };

/**
 * The ASM runtime. `Providers` are the definitions it was created with: sessions and runs of a
 * provider accept exactly that provider's options (plus the kernel's and the common ones).
 */
export interface Asm<Providers extends readonly AnyProviderDefinition[] = AnyProviders> {
  /** Starts a session. Execution settings are validated now; provider options at each run. */
  startSession<Name extends ProviderNameOf<Providers>>(
    options: { provider: Name } & KernelSessionOptions & RunOptionsFor<Providers, Name>,
  ): Promise<Session<RunOptionsFor<Providers, Name>>>;
  /** Stops a session: cancels its queued runs, interrupts active ones, waits for them. */
  stopSession(session: Session<object> | string): Promise<void>;
  /** A live session by id. Unknown → `AsmError("not_found")`. */
  session(sessionId: string): Session;
  /** A session's description. */
  sessionInfo(session: Session<object> | string): SessionInfo;
  /** Whether a session exists and accepts runs. */
  health(session: Session<object> | string): SessionHealth;
  /** A session's cumulative tokens and cost. */
  cost(session: Session<object> | string): CostTotals;
  /**
   * Streams a prompt on a session, or on an ephemeral session of a provider (all options become
   * its defaults; it is stopped when the stream ends). Either way the `RunStream` knows its
   * `runId` before it starts, so the run can be interrupted.
   */
  stream<Options extends object>(target: Session<Options>, prompt: string, options?: Options): RunStream;
  stream<Name extends ProviderNameOf<Providers>>(target: Name, prompt: string, options?: RunOptionsFor<Providers, Name>): RunStream;
  /**
   * Runs a prompt to completion on a session, or on an ephemeral session of a provider (all
   * options become its defaults). Resolves with the `Result`; rejects with an `AsmError`.
   */
  query<Options extends object>(target: Session<Options>, prompt: string, options?: Options): Promise<Result>;
  query<Name extends ProviderNameOf<Providers>>(target: Name, prompt: string, options?: RunOptionsFor<Providers, Name>): Promise<Result>;
  /** Interrupts a queued or active run (it ends with `user_cancelled`). Unknown id → `AsmError("not_found")`. */
  interrupt(runId: string): Promise<void>;
  /**
   * Pauses an active run: its turn is interrupted and its provider session kept, so the next prompt
   * (or `resumeRun`) continues it. A queued run → `AsmError("unsupported")`; unknown → `not_found`.
   */
  pause(runId: string): Promise<void>;
  /** Answers an approval; the decision reaches the agent. Unknown or late id → `AsmError("not_found")`. */
  approve(approvalId: string, decision: ApprovalDecision): Promise<void>;
  /** A session's latest checkpoint. */
  checkpoint(session: Session<object> | string): Checkpoint | null;
  /** Streams a prompt continuing a provider session (see `Session.resumeRun`). */
  resumeRun<Options extends object>(session: Session<Options> | string, prompt: string, options?: Options & { target?: ResumeTarget }): RunStream;
  /** Interrupts a run and streams a new prompt in its place. */
  intervene(runId: string, prompt: string, options?: RunOptions): RunStream;
  /** Provider facts and SDK availability. */
  providerInfo(provider: ProviderNameOf<Providers>): Promise<ProviderInfo>;
  /** The lane a request prefers. */
  laneInfo(provider: ProviderNameOf<Providers>, options?: { lane?: RequestedLane }): Promise<LaneInfo>;
  /** The effective lane for a run with these settings. */
  resolve(provider: ProviderNameOf<Providers>, options?: { lane?: RequestedLane; executionMode?: ExecutionMode }): Promise<Omit<LaneResolution, "backend">>;
  /** A provider's feature manifest. */
  manifest(provider: ProviderNameOf<Providers>): ProviderManifest;
  /** One native permission mode of a provider by native name or alias. */
  permissionMode(provider: ProviderNameOf<Providers>, nativeMode: string): NativePermissionMode & { normalizedMode: PermissionMode };
  /** A provider's support record for a common feature. */
  commonFeature(provider: ProviderNameOf<Providers>, feature: string): CommonFeatureSupport;
  /** Whether a provider supports a common feature. */
  supportsCommonFeature(provider: ProviderNameOf<Providers>, feature: string): boolean;
  /** Registered provider names. */
  providers(): Array<ProviderNameOf<Providers>>;
  /**
   * Rebuilds a stored session after a host restart: its id, provider (unless given), checkpoint
   * (so the next prompt resumes the CLI's conversation) and cost come from its events. A run
   * that was in flight when the host died gets its one `run_completed` (`interrupted`) now, and
   * orphaned CLI process groups of dead hosts are reaped. Further events go to `options.store`
   * (default: the runtime's store). No store → `config_invalid`; no stored events → `not_found`;
   * a session with that id already live → `config_invalid`.
   */
  restoreSession(sessionId: string, options?: RestoreSessionOptions<Providers>): Promise<Session>;
  /**
   * Resolves when the runtime's store acknowledged `event` (an event this runtime delivered);
   * rejects with `AsmError("store_unavailable")` when the store failed to take it. Print after it
   * resolves and every printed event is in the store.
   */
  acknowledged(event: AsmEvent): Promise<void>;
  /** Stops every session and waits until the store has every delivered event. */
  dispose(): Promise<void>;
}

/**
 * Creates an ASM runtime with the given providers and SDK lanes. Core never imports a provider:
 * providers and lanes are handed in.
 *
 * @example
 * ```ts
 * const asm = createAsm({ providers: [claude(), codex()] });
 * const session = await asm.startSession({ provider: "claude", permissionMode: "auto" });
 * for await (const event of session.stream("Fix the failing test")) render(event);
 * const result = await asm.query("codex", "Reply with exactly: OK");
 * ```
 */
export function createAsm<const Providers extends readonly AnyProviderDefinition[] = AnyProviders>(options: CreateAsmOptions<Providers>): Asm<Providers> {
  const config = options.config ?? {};
  const registry = new ProviderRegistry(options.providers, options.lanes ?? [], config.coreBackend ?? coreBackendFactory(config.coreLane));
  const sessions = new Map<string, Session<object>>();
  const approvals = new ApprovalTracker<Run>();
  const runs = new Map<string, Session<object>>();
  const executionDefaults: Record<string, unknown> = {};
  for (const key of ["lane", "executionSurface", "executionEnvironment", "queueTimeoutMs", "transportCallTimeoutMs", "streamTimeoutMs"] as const) {
    if (config[key] !== undefined) executionDefaults[key] = config[key];
  }
  // The default core lane drives these surfaces; a host's own core backend decides for itself.
  const drivenSurfaces =
    config.coreBackend === undefined ? new Set<string>(["local", "ssh_exec", ...(config.coreLane?.surfaces ?? []).map((surface) => surface.kind)]) : null;
  const extraWriters = new Set<StoreWriter>();
  const hostTools = options.tools === undefined ? undefined : checkHostTools(options.tools, "tools");
  const runtime = {
    registry,
    defaults: {
      approvalTimeoutMs: timeoutMs(config.approvalTimeoutMs, "approvalTimeoutMs", 120_000),
      execution: executionDefaults,
      drivenSurfaces,
      ...(config.remoteBackend ? { remoteBackend: config.remoteBackend } : {}),
      ...(hostTools && hostTools.size > 0 ? { hostTools } : {}),
    },
    storeWriter: config.store ? new StoreWriter(config.store, config.storeBuffer) : undefined,
    approvals,
    runs,
    streamTimeoutMs: timeoutMs(config.streamTimeoutMs, "streamTimeoutMs", EXECUTION_DEFAULTS.streamTimeoutMs, true),
    onStopped: (session: Session<object>) => {
      sessions.delete(session.id);
    },
  };

  const lookup = (target: Session<object> | string): Session => {
    if (typeof target !== "string" && (typeof target !== "object" || target === null || typeof (target as { id?: unknown }).id !== "string")) {
      const got = target === null ? "null" : typeof target;
      throw new AsmError("config_invalid", `provider must be a provider name or a session, got ${got}`, { details: { key: "provider" } });
    }
    if (typeof target !== "string") {
      if (!sessions.has(target.id)) throw new AsmError("not_found", `Session not found: ${target.id}`, { details: { sessionId: target.id } });
      return target;
    }
    const session = sessions.get(target);
    if (!session) throw new AsmError("not_found", `Session not found: ${target}`, { details: { sessionId: target } });
    return session;
  };

  // eslint-disable-next-line @typescript-eslint/require-await -- async so that invalid options reject the returned promise rather than throw synchronously.
  const startSession = async (sessionOptions: Record<string, unknown>, restored?: RestoredState): Promise<Session> => {
    if (typeof sessionOptions !== "object" || sessionOptions === null) throw new AsmError("config_invalid", "session options must be an object");
    if (typeof sessionOptions.provider !== "string") {
      throw new AsmError("config_invalid", `provider must be a provider name, got ${sessionOptions.provider === null ? "null" : typeof sessionOptions.provider}`, {
        details: { key: "provider" },
      });
    }
    const provider = registry.get(sessionOptions.provider);
    // Validate the execution settings now so a bad placement fails at start, not at first run.
    rejectLegacySurfaceKeys(sessionOptions);
    const partitioned = partitionOptions(sessionOptions);
    const execution = resolveExecution(partitioned.execution, {}, executionDefaults);
    if (partitioned.run.backend === undefined && execution.config.executionMode === "local") assertSurfaceDriven(execution.config.executionSurface, drivenSurfaces);
    if (execution.config.executionEnvironment.approvalPosture === "none") {
      throw new AsmError("unsupported", 'approvalPosture "none" is not supported; use "manual" or "auto"', { details: { key: "approvalPosture" } });
    }
    if (execution.config.executionEnvironment.permissionMode) {
      resolvePermission(provider, execution.config.executionEnvironment.permissionMode);
    }
    // A malformed host tool fails the session's start, not its first run.
    if (sessionOptions.hostTools !== undefined) checkHostTools(sessionOptions.hostTools, "hostTools");
    const session = new Session(runtime, provider, sessionOptions, restored);
    if (sessions.has(session.id)) throw new AsmError("config_invalid", `session id ${session.id} is already in use`, { details: { sessionId: session.id } });
    sessions.set(session.id, session);
    return session;
  };

  const ephemeral = async <T>(provider: string, runOptions: Record<string, unknown>, use: (session: Session) => Promise<T>): Promise<T> => {
    const session = await startSession({ ...runOptions, provider });
    try {
      return await use(session);
    } finally {
      await session.stop();
    }
  };

  // A stream on a session of its own: the session starts at the first next() (every option is
  // one of its defaults, the run id excepted) and stops when the stream ends, however it ends.
  const ephemeralStream = (provider: string, prompt: string, runOptions: Record<string, unknown>): RunStream => {
    const { runId: givenRunId, ...defaults } = runOptions;
    const runId = typeof givenRunId === "string" && givenRunId !== "" ? givenRunId : ulid();
    let session: Session | undefined;
    let planned: ReturnType<Session["planRun"]> | undefined;
    return new RunStream(
      runId,
      async () => {
        session = await startSession({ ...defaults, provider });
        planned = session.planRun(prompt, { runId });
        return planned.admit();
      },
      () => planned?.streamTimeoutMs() ?? runtime.streamTimeoutMs,
      async () => {
        await session?.stop();
      },
    );
  };

  const asm: Asm = {
    startSession: (sessionOptions) => startSession(sessionOptions),
    stopSession: async (target) => {
      const session = lookup(target);
      await session.stop();
    },
    session: (sessionId) => lookup(sessionId),
    sessionInfo: (target) => lookup(target).info(),
    health: (target) => {
      const id = typeof target === "string" ? target : target.id;
      const session = sessions.get(id);
      if (!session) return { status: "unhealthy", reason: typeof target === "string" ? "not_found" : "stopped" };
      return session.isReady ? { status: "healthy" } : { status: "unhealthy", reason: "stopped" };
    },
    cost: (target) => lookup(target).cost(),
    stream: (target: Session<object> | string, prompt: string, runOptions: Record<string, unknown> = {}) => {
      if (typeof target === "string" && !sessions.has(target)) return ephemeralStream(target, prompt, runOptions);
      return lookup(target).stream(prompt, runOptions);
    },
    query: async (target: Session<object> | string, prompt: string, runOptions: Record<string, unknown> = {}) => {
      if (typeof target === "string" && !sessions.has(target)) return ephemeral(target, runOptions, (session) => session.query(prompt));
      return lookup(target).query(prompt, runOptions);
    },
    interrupt: async (runId) => {
      const session = runs.get(runId);
      if (!session) throw new AsmError("not_found", `Unknown run id: ${runId}`, { details: { runId } });
      await session.interrupt(runId);
    },
    pause: async (runId) => {
      const session = runs.get(runId);
      if (!session) throw new AsmError("not_found", `Unknown run id: ${runId}`, { details: { runId } });
      await session.pause(runId);
    },
    approve: async (approvalId: string, decision: ApprovalDecision) => {
      const run = approvals.waiting(approvalId)?.owner;
      if (!run) throw new AsmError("not_found", `Unknown approval id: ${approvalId}`, { details: { approvalId } });
      await lookup(run.sessionId).approve(approvalId, decision);
    },
    checkpoint: (target) => lookup(target).checkpoint(),
    resumeRun: (target: Session<object> | string, prompt: string, runOptions: Record<string, unknown> = {}) => lookup(target).resumeRun(prompt, runOptions),
    intervene: (runId: string, prompt: string, runOptions: RunOptions = {}) => {
      const session = runs.get(runId);
      if (!session) throw new AsmError("not_found", `Unknown run id: ${runId}`, { details: { runId } });
      return session.intervene(runId, prompt, runOptions);
    },
    providerInfo: (provider) => registry.providerInfo(provider),
    laneInfo: (provider, laneOptions = {}) => registry.laneInfo(provider, laneOptions.lane ?? "auto"),
    resolve: async (provider, laneOptions = {}) => {
      const { backend: _backend, ...resolution } = await registry.resolve(provider, laneOptions);
      return resolution;
    },
    manifest: (provider) => manifestOf(registry.get(provider)),
    permissionMode: (provider, nativeMode) => permissionModeOf(registry.get(provider), nativeMode),
    commonFeature: (provider, feature) => commonFeatureOf(registry.get(provider), feature),
    supportsCommonFeature: (provider, feature) => supportsCommonFeatureOf(registry.get(provider), feature),
    providers: () => registry.names(),
    restoreSession: async (sessionId: string, restoreOptions: Record<string, unknown> = {}) => {
      const { store: givenStore, ...sessionOptions } = restoreOptions as { store?: EventStore } & Record<string, unknown>;
      const store = givenStore ?? config.store;
      if (!store) throw new AsmError("config_invalid", "restoreSession needs a store: pass { store } or configure createAsm({ config: { store } })", { details: { key: "store" } });
      if (typeof sessionId !== "string" || sessionId === "") throw new AsmError("config_invalid", "sessionId must be a non-empty string", { details: { key: "sessionId" } });
      if (sessions.has(sessionId)) throw new AsmError("config_invalid", `session id ${sessionId} is already in use`, { details: { sessionId } });
      const plan = await planRestore(store, sessionId);
      if (plan.interruptedRuns.length > 0) {
        // The dead host's CLI process groups, if any are still alive, are killed now.
        await reapOrphans(config.coreLane?.stateDir ? { stateDir: config.coreLane.stateDir } : {}).catch(() => undefined);
      }
      const ownWriter = store === config.store ? undefined : new StoreWriter(store, config.storeBuffer);
      if (ownWriter) extraWriters.add(ownWriter);
      return startSession(
        { provider: plan.summary.provider, ...sessionOptions, sessionId },
        { checkpoint: plan.checkpoint, cost: plan.summary.cost, ...(ownWriter ? { storeWriter: ownWriter } : {}) },
      );
    },
    acknowledged: (event) => [runtime.storeWriter, ...extraWriters].find((writer) => writer?.knows(event))?.acknowledged(event) ?? Promise.resolve(),
    dispose: async () => {
      await Promise.all([...sessions.values()].map((session) => session.stop()));
      for (const writer of [runtime.storeWriter, ...extraWriters]) await writer?.flush();
    },
  };
  return asm as unknown as Asm<Providers>;
}
