/** Which backend family runs a provider: ASM's own CLI runtime (`core`) or the vendor SDK (`sdk`). */
export type Lane = "core" | "sdk";
/** A lane request: a specific lane, or `auto` (the SDK when available, else core). */
export type RequestedLane = Lane | "auto";
/** Why the preferred lane was chosen. */
export type LaneReason = "explicit_core" | "explicit_sdk" | "sdk_available" | "sdk_unavailable" | "backend_override";
/** Why the effective lane differs from the preferred one. */
export type LaneFallbackReason = "sdk_remote_unsupported";

/** The lane fields present in every event's metadata and in `Result.metadata`. */
export interface LaneMetadata {
  provider: string;
  requestedLane: RequestedLane;
  preferredLane: Lane;
  lane: Lane;
  laneReason: LaneReason;
  laneFallbackReason: LaneFallbackReason | null;
  backend: string;
  executionMode: "local" | "remote_node";
  sdkAvailable: boolean;
  availableLanes: Lane[];
}

/** Metadata keys that only the run (not a backend or plug) may set. */
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
] as const;
