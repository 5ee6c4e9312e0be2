// The core lane: ASM's CLI subprocess runtime. `@asm/core` installs it as every provider's default
// core-lane backend, so applications rarely import this package; hosts that build backends
// themselves, custom surfaces, and tools that inspect installed CLIs (`asm doctor`) do.
/** The backend factory and its options. */
export { createCoreBackend } from "./core-backend.js";
export type { CoreBackendOptions } from "./core-backend.js";
export type { DroppedEventReason, CoreSessionStats } from "./core-session.js";
/** The per-run knobs read from `BackendStartConfig.backendOptions`. */
export { coreLaneRunOptionsSchema } from "./run-options.js";
export type { CoreLaneRunOptions, CoreLaneRunOptionsInput } from "./run-options.js";
/** Finding a provider's CLI and checking its version (as `asm doctor` does). */
export { resolveCli } from "./cli-discovery.js";
export type { ResolvedCli, ResolveCliOptions, CliSource } from "./cli-discovery.js";
export { detectCliVersion, checkCliVersion } from "./version-check.js";
export type { CliVersionCheck, DetectCliVersionOptions } from "./version-check.js";
export { formatRange } from "./semver.js";
/** Host-death recovery and the exit guard. */
export { reapOrphans } from "./group-registry.js";
export type { ReapReport, ReapedGroup } from "./group-registry.js";
export { installHostExitGuard } from "./host-exit-guard.js";
export { spawnInGroup } from "./lane-process-group.js";
export type { GroupProcess, GroupSpawnOptions } from "./lane-process-group.js";
/** Where a CLI runs: the built-in surfaces and the driver interface for more. */
export { localSurface } from "./local-surface.js";
export { sshSurface } from "./ssh-surface.js";
export type { SurfaceDriver, SurfaceProcess, SurfaceSpawnRequest, SurfaceExit } from "./surface.js";
/** The toolkit of the SDK lanes: one agent process per session, the turn's events and watchdogs, the run options. */
export { createLaneSessionBackend, mergeLaneEnv, openWithin } from "./lane-session-backend.js";
export type { LaneAgent, LaneRunContext, LaneRunPlan, LaneSessionBackendOptions } from "./lane-session-backend.js";
export { LaneTurn } from "./lane-turn.js";
export type { LaneTurnOptions, TurnWatchdogs } from "./lane-turn.js";
export { parseLaneRunOptions } from "./lane-run-options.js";
export type { LaneRunOptions, LaneRunOptionsLabel } from "./lane-run-options.js";
export { LaneAgentProcess } from "./lane-agent-process.js";
export type { LaneAgentCommand, LaneAgentExit } from "./lane-agent-process.js";
/** The resumable conversations in each CLI's own session store. */
export { listProviderSessions } from "./list-provider-sessions.js";
export type { ListProviderSessionsOptions } from "./list-provider-sessions.js";
export type { ProviderSessionEntry } from "./session-stores/entry.js";
/** What each provider offers beyond the common surface (its SDK lane), for discovery. */
export { capabilityReport, providerReport } from "./provider-report.js";
export { replayTranscript } from "./transcript-replay.js";
export type { RecordedTranscript, TranscriptReplay } from "./transcript-replay.js";
export type { ProviderReport } from "./provider-report.js";
