// The kernel's public API: what applications and extensions build on. Everything else under
// src/ is the kernel's own (and `./internal/*` is never exported).

/** The runtime: `createAsm` and the types of its options. */
export { createAsm } from "./runtime/create-asm.js";
export type { Asm, AsmConfig, AnyProviders, CreateAsmOptions, SessionOptions, SessionHealth, RunOptionsFor, RestoreSessionOptions } from "./runtime/create-asm.js";
/** Options as callers write them, typed by provider. */
export type {
  ExecutionOptions,
  ExecutionSurfaceInput,
  ExecutionEnvironmentInput,
  KernelRunOptions,
  KernelSessionOptions,
  RunOptionsOf,
  SessionOptionsFor,
  ProviderNameOf,
} from "./options/option-types.js";
/** The names the kernel takes out of an options object (the rest are provider options). */
export { EXECUTION_KEYS, RUN_KEYS, SESSION_KEYS } from "./options/option-groups.js";
/** Provider options validated and normalized exactly as the kernel does for a run. */
export { validateProviderOptions } from "./options/validate-provider-options.js";
/** Sessions and their runs. */
export { Session } from "./session/session.js";
export type { SessionInfo, RunOptions, ResumeTarget } from "./session/session.js";
export type { Checkpoint } from "./session/checkpoint.js";
export { RunStream } from "./stream/run-stream.js";
export { finalResult, textDeltas, textContent, finalText, collectEvents } from "./stream/stream-helpers.js";
/** The reducer every result comes from (replaying stored events uses it too). */
export { initialRunState, reduceEvent, toResult, runText, isFinal } from "./run/reducer.js";
export type { RunState } from "./run/reducer.js";
/** The pipeline every event passes through, and the plugs that ship with the kernel. */
export type { PipelinePlug, PlugContext, PlugResult } from "./pipeline/plug.js";
export type { PlugApprovalRequest, PlugApprovalAnswer } from "./pipeline/plug-approvals.js";
export { pass } from "./pipeline/plug.js";
export { allowedToolsGuard } from "./pipeline/allowed-tools-guard.js";
export { policyGuard } from "./pipeline/policy-guard.js";
export type { PolicyGuardOptions } from "./pipeline/policy-guard.js";
export { costTracker } from "./pipeline/cost-tracker.js";
/** Cost: session totals (the token × price formula is `costOf` in `@asm/provider-utils`). */
export { emptyCostTotals, addRunCost } from "./cost/session-cost.js";
export type { CostTotals } from "./cost/session-cost.js";
/** Telemetry: the `node:diagnostics_channel` names the kernel publishes on. */
export { TELEMETRY_CHANNELS } from "./telemetry/channels.js";
export type { TelemetryChannelName } from "./telemetry/channels.js";
/** Event stores and history. */
export type { EventStore } from "./store/event-store.js";
export { MemoryStore } from "./store/memory-store.js";
export { replaySession, rebuildRun } from "./store/history.js";
export type { RebuiltRun } from "./store/history.js";
export { summarizeSession, sessionIndex } from "./store/session-summary.js";
export type { SessionSummary, RunSummary } from "./store/session-summary.js";
/** What `providerInfo`, `laneInfo`, `resolve` and `manifest` answer. */
export type { ProviderInfo, LaneInfo, LaneResolution } from "./registry/provider-registry.js";
export type { ProviderManifest } from "./registry/provider-features.js";
/** The default core lane (`@asm/core-lane`), for hosts that build a provider's backend themselves. */
export { createCoreBackend } from "@asm/core-lane";
export type { CoreBackendOptions } from "@asm/core-lane";
/** Surface drivers: the local one (a CLI in its own process group) and the interface for more (remote nodes). */
export { localSurface } from "@asm/core-lane";
export type { SurfaceDriver, SurfaceProcess, SurfaceSpawnRequest, SurfaceExit } from "@asm/core-lane";
