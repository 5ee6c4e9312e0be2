// The start config the kernel hands a local core-lane run, for tests and the host program the
// host-death tests start (which bundles this file, so it imports only the contract).
import type { BackendStartConfig, RunMetadata } from "@asm/contract";

/** The lane metadata the kernel hands a core-lane run of `provider`. */
function coreLaneMetadata(provider: string): RunMetadata {
  return {
    provider,
    providerDisplayName: provider,
    requestedLane: "core",
    preferredLane: "core",
    lane: "core",
    laneReason: "explicit_core",
    laneFallbackReason: null,
    backend: `core:${provider}`,
    executionMode: "local",
    sdkAvailable: false,
    availableLanes: ["core"],
  };
}

/** What differs between the local runs the tests start. */
export interface LocalRunSpec {
  runId: string;
  sessionId: string;
  provider: string;
  prompt: string;
  backendOptions: Record<string, unknown>;
}

/** A start config for a local run: no provider options, no allowed-tools list, core-lane metadata. */
export function localStartConfig(spec: LocalRunSpec): BackendStartConfig {
  return {
    runId: spec.runId,
    sessionId: spec.sessionId,
    provider: spec.provider,
    prompt: spec.prompt,
    providerOptions: {},
    execution: {
      executionMode: "local",
      executionSurface: { kind: "local", transportOptions: {}, observability: {} },
      executionEnvironment: { allowedTools: [] },
      transportCallTimeoutMs: 5_000,
    },
    metadata: coreLaneMetadata(spec.provider),
    backendOptions: spec.backendOptions,
  };
}
