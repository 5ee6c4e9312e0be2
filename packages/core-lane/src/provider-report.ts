import { AsmError, type Capability, type LaneFeatures, type ProviderDefinition, type SdkLaneDefinition } from "@asm/contract";

/** What a provider offers beyond the common surface, and whether its SDK lane can run here. */
export interface ProviderReport {
  provider: string;
  /**
   * `native_extension` when an SDK lane is registered and loads here (its native capabilities and
   * features can be used), else `common_surface_only` (the core lane's common options only).
   */
  compositionMode: "common_surface_only" | "native_extension";
  /** Capabilities every lane of the provider has (the provider's own). */
  commonCapabilities: Capability[];
  /** Capabilities only the SDK lane adds, sorted (empty without an available lane). */
  nativeCapabilities: Capability[];
  sdkLane: {
    /** The vendor runtime (`@anthropic-ai/claude-agent-sdk`, `codex app-server`, …). */
    runtime: string;
    available: boolean;
    status: "available" | "not_installed" | "broken";
    reason: string | null;
    hint: string | null;
    features: LaneFeatures | null;
  } | null;
}

/**
 * One provider's report: its common capabilities, and its SDK lane (if one is registered) with
 * what probing it found. Probing loads the vendor SDK, as the kernel's own probe does; a provider
 * with no registered lane loads nothing.
 */
export async function providerReport(provider: ProviderDefinition, lanes: readonly SdkLaneDefinition[] = []): Promise<ProviderReport> {
  const lane = lanes.find((candidate) => candidate.provider === provider.name);
  const common = [...new Set(provider.capabilities)].sort();
  if (lane === undefined) return { provider: provider.name, compositionMode: "common_surface_only", commonCapabilities: common, nativeCapabilities: [], sdkLane: null };
  let availability;
  try {
    availability = await lane.probe();
  } catch (error) {
    availability = { available: false, status: "broken" as const, reason: error instanceof Error ? error.message : String(error) };
  }
  const native = availability.available ? [...new Set(lane.capabilities)].filter((capability) => !common.includes(capability)).sort() : [];
  return {
    provider: provider.name,
    compositionMode: availability.available ? "native_extension" : "common_surface_only",
    commonCapabilities: common,
    nativeCapabilities: native,
    sdkLane: {
      runtime: lane.runtime,
      available: availability.available,
      status: availability.available ? "available" : (availability.status ?? "broken"),
      reason: availability.reason ?? null,
      hint: availability.hint ?? null,
      features: lane.features ? { ...lane.features } : null,
    },
  };
}

/**
 * The report of every provider, in order. A lane registered for a provider that is not among
 * `providers` is a configuration error (`config_invalid`), as it would be for `createAsm`.
 *
 * @example
 * ```ts
 * const reports = await capabilityReport([claude(), codex(), gemini(), amp()], [claudeSdkLane(), codexAppServerLane()]);
 * ```
 */
export async function capabilityReport(providers: readonly ProviderDefinition[], lanes: readonly SdkLaneDefinition[] = []): Promise<ProviderReport[]> {
  for (const lane of lanes) {
    if (!providers.some((provider) => provider.name === lane.provider)) {
      throw new AsmError("config_invalid", `an SDK lane is registered for ${lane.provider}, which is not a provider here`, { details: { key: "lanes", provider: lane.provider } });
    }
  }
  return Promise.all(providers.map((provider) => providerReport(provider, lanes)));
}
