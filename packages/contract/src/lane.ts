import type { Capability } from "./capabilities.js";
import type { ExecutionMode } from "./execution.js";

/** Which backend family runs a provider: ASM's own CLI runtime (`core`) or the vendor SDK (`sdk`). */
export type Lane = "core" | "sdk";
/** A lane request: a specific lane, or `auto` (the SDK when available, else core). */
export type RequestedLane = Lane | "auto";
/** Why the preferred lane was chosen. */
export type LaneReason = "explicit_core" | "explicit_sdk" | "sdk_available" | "sdk_unavailable" | "backend_override";
/**
 * Why the effective lane differs from the preferred one: the run starts on a remote node (core
 * only), or `auto` preferred a registered SDK lane whose vendor SDK cannot be loaded here.
 */
export type LaneFallbackReason = "sdk_remote_unsupported" | "sdk_unavailable";

/**
 * The lane fields present in every event's metadata and in `Result.metadata`. Only the kernel
 * sets them; a backend or plug that writes one is ignored ({@link PROTECTED_METADATA_KEYS}).
 */
export interface LaneMetadata {
  /** Canonical provider name. */
  provider: string;
  /** The provider's name for people. */
  providerDisplayName: string;
  /** The lane the caller asked for. */
  requestedLane: RequestedLane;
  /** The lane the request prefers (`auto` resolved). */
  preferredLane: Lane;
  /** The lane the run ran on. */
  lane: Lane;
  /** Why the preferred lane was chosen. */
  laneReason: LaneReason;
  /** Why the lane differs from the preferred one, or null. */
  laneFallbackReason: LaneFallbackReason | null;
  /** Backend implementation name (`core:claude`). */
  backend: string;
  /** Where the backend started. */
  executionMode: ExecutionMode;
  /** Whether the provider's SDK lane is available in this runtime. */
  sdkAvailable: boolean;
  /** The lanes the provider can run on here. */
  availableLanes: Lane[];
  /** The SDK lane's vendor runtime, when one is registered. */
  sdkRuntime?: string | null;
  /** The lane used when none is requested. */
  defaultLane?: RequestedLane;
  /** What the chosen lane can do. */
  capabilities?: Capability[];
  /** The core lane's CLI profile id, when the provider has one. */
  coreProfileId?: string | null;
}

/** Run metadata: the lane fields plus whatever the caller and surfaces add. */
export type RunMetadata = LaneMetadata & Record<string, unknown>;

/** Metadata keys that only the run (not a backend or plug) may set: every {@link LaneMetadata} key. */
export const PROTECTED_METADATA_KEYS = [
  "provider",
  "providerDisplayName",
  "requestedLane",
  "preferredLane",
  "lane",
  "laneReason",
  "laneFallbackReason",
  "backend",
  "executionMode",
  "sdkAvailable",
  "sdkRuntime",
  "availableLanes",
  "defaultLane",
  "capabilities",
  "coreProfileId",
] as const satisfies ReadonlyArray<keyof LaneMetadata>;

// Compile-time: a LaneMetadata key missing from PROTECTED_METADATA_KEYS fails here.
const everyLaneKeyProtected: Exclude<keyof LaneMetadata, (typeof PROTECTED_METADATA_KEYS)[number]> extends never ? true : false = true;
void everyLaneKeyProtected;
