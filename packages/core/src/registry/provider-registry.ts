import {
  AsmError,
  type AnyProviderDefinition,
  type Capability,
  type ExecutionMode,
  type Lane,
  type LaneAvailability,
  type LaneFallbackReason,
  type LaneFeatures,
  type LaneReason,
  type ProviderBackend,
  type RequestedLane,
  type RunMetadata,
  type SdkLaneDefinition,
} from "@asm/contract";
import { assertNoReservedKeys } from "../options/validate-provider-options.js";
import { assertSpecificationVersion } from "./specification-check.js";

/** What the registry knows about one provider. */
export interface ProviderInfo {
  provider: string;
  displayName: string;
  aliases: string[];
  coreProfileId: string | null;
  sdkRuntime: string | null;
  sdkAvailable: boolean;
  sdkUnavailableReason: string | null;
  /** `not_installed` or `broken` when the SDK lane is registered but cannot run. */
  sdkUnavailableStatus: "not_installed" | "broken" | null;
  /** How to make the SDK lane available. */
  sdkInstallHint: string | null;
  /** The SDK lane's native features, when one is registered. */
  sdkFeatures: LaneFeatures | null;
  availableLanes: Lane[];
  defaultLane: RequestedLane;
  coreCapabilities: Capability[];
  sdkCapabilities: Capability[];
}

/** The lane discovery answer for one provider and requested lane. */
export interface LaneInfo {
  provider: string;
  requestedLane: RequestedLane;
  preferredLane: Lane;
  laneReason: LaneReason;
  capabilities: Capability[];
}

/** The effective lane for a run, with every field that goes into run metadata. */
export interface LaneResolution extends LaneInfo {
  lane: Lane;
  laneFallbackReason: LaneFallbackReason | null;
  executionMode: ExecutionMode;
  backend: ProviderBackend;
  backendName: string;
  sdkAvailable: boolean;
  availableLanes: Lane[];
  /** Everything above as run metadata. */
  metadata: RunMetadata;
}

/**
 * Providers and SDK lanes handed to `createAsm`, with lane resolution. SDK availability is probed
 * once per lane and cached.
 */
export class ProviderRegistry {
  private readonly providers = new Map<string, AnyProviderDefinition>();
  private readonly aliases = new Map<string, string>();
  private readonly lanes = new Map<string, SdkLaneDefinition>();
  private readonly probes = new Map<string, Promise<LaneAvailability>>();
  private readonly coreBackends = new Map<string, ProviderBackend>();

  constructor(
    providers: readonly AnyProviderDefinition[],
    lanes: readonly SdkLaneDefinition[],
    private readonly createCoreBackend: (provider: AnyProviderDefinition) => ProviderBackend,
  ) {
    for (const provider of providers) {
      assertSpecificationVersion("provider", String(provider.name), provider);
      if (provider.profile !== undefined) assertSpecificationVersion("CLI profile", provider.profile.id, provider.profile);
      if (provider.coreBackend !== undefined) assertSpecificationVersion("backend", provider.coreBackend.name, provider.coreBackend);
      if (this.providers.has(provider.name)) {
        throw new AsmError("config_invalid", `provider ${provider.name} is registered twice`, { provider: provider.name });
      }
      assertNoReservedKeys(provider);
      this.providers.set(provider.name, provider);
      for (const alias of provider.aliases ?? []) this.aliases.set(alias, provider.name);
    }
    for (const lane of lanes) {
      assertSpecificationVersion("SDK lane", lane.runtime, lane);
      assertSpecificationVersion("backend", lane.backend.name, lane.backend);
      if (!this.providers.has(lane.provider)) {
        throw new AsmError("config_invalid", `SDK lane ${lane.runtime} is for provider ${lane.provider}, which is not registered`, {
          provider: lane.provider,
        });
      }
      this.lanes.set(lane.provider, lane);
    }
  }

  /** Names of the registered providers. */
  names(): string[] {
    return [...this.providers.keys()];
  }

  /** The provider registered under `name` (or an alias). Unknown → `not_found`. */
  get(name: string): AnyProviderDefinition {
    if (typeof name !== "string") throw new AsmError("config_invalid", `provider must be a string, got ${typeof name}`);
    const provider = this.providers.get(this.aliases.get(name) ?? name);
    if (!provider) {
      throw new AsmError("not_found", `Unknown provider "${name}"; registered: ${this.names().join(", ") || "none"}`, {
        details: { provider: name },
      });
    }
    return provider;
  }

  private async availability(provider: string): Promise<LaneAvailability> {
    const lane = this.lanes.get(provider);
    if (!lane) return { available: false, reason: "no SDK lane registered" };
    let probe = this.probes.get(provider);
    if (!probe) {
      probe = lane.probe().catch((error: unknown) => ({ available: false, reason: error instanceof Error ? error.message : String(error) }));
      this.probes.set(provider, probe);
    }
    return probe;
  }

  /** Provider facts, including SDK availability. */
  async providerInfo(name: string): Promise<ProviderInfo> {
    const provider = this.get(name);
    const lane = this.lanes.get(provider.name);
    const availability = await this.availability(provider.name);
    return {
      provider: provider.name,
      displayName: provider.displayName,
      aliases: [...(provider.aliases ?? [])],
      coreProfileId: provider.profile?.id ?? null,
      sdkRuntime: lane?.runtime ?? null,
      sdkAvailable: availability.available,
      sdkUnavailableReason: availability.available ? null : (availability.reason ?? null),
      sdkUnavailableStatus: availability.available ? null : (availability.status ?? null),
      sdkInstallHint: availability.available ? null : (availability.hint ?? null),
      sdkFeatures: lane?.features ? { ...lane.features } : null,
      availableLanes: availability.available ? ["core", "sdk"] : ["core"],
      defaultLane: "auto",
      coreCapabilities: [...(provider.profile?.capabilities ?? provider.capabilities)],
      sdkCapabilities: availability.available && lane ? [...lane.capabilities] : [],
    };
  }

  /** Which lane a request prefers (discovery only; no execution-mode rules). */
  async laneInfo(name: string, requested: RequestedLane = "auto"): Promise<LaneInfo> {
    const provider = this.get(name);
    const availability = await this.availability(provider.name);
    const lane = this.lanes.get(provider.name);
    const sdkCapabilities = [...(lane?.capabilities ?? [])];
    const coreCapabilities = [...(provider.profile?.capabilities ?? provider.capabilities)];
    switch (requested) {
      case "auto":
        return availability.available
          ? { provider: provider.name, requestedLane: "auto", preferredLane: "sdk", laneReason: "sdk_available", capabilities: sdkCapabilities }
          : { provider: provider.name, requestedLane: "auto", preferredLane: "core", laneReason: "sdk_unavailable", capabilities: coreCapabilities };
      case "core":
        return { provider: provider.name, requestedLane: "core", preferredLane: "core", laneReason: "explicit_core", capabilities: coreCapabilities };
      case "sdk":
        if (!availability.available) {
          throw new AsmError(
            "unsupported",
            `sdk lane requested for ${provider.name} but its runtime is unavailable: ${availability.reason ?? "unknown reason"}` +
              (availability.hint ? ` (${availability.hint})` : ""),
            { provider: provider.name, details: { key: "lane", ...(availability.status ? { status: availability.status } : {}) } },
          );
        }
        return { provider: provider.name, requestedLane: "sdk", preferredLane: "sdk", laneReason: "explicit_sdk", capabilities: sdkCapabilities };
      default:
        throw new AsmError("config_invalid", `invalid lane ${JSON.stringify(requested)}; expected auto, core, or sdk`, { provider: provider.name });
    }
  }

  /** The effective lane and backend for a run. */
  async resolve(name: string, options: { lane?: RequestedLane; executionMode?: ExecutionMode } = {}): Promise<LaneResolution> {
    const provider = this.get(name);
    const requested = options.lane ?? "auto";
    const executionMode = options.executionMode ?? "local";
    if (executionMode !== "local" && executionMode !== "remote_node") {
      throw new AsmError("config_invalid", `invalid executionMode ${JSON.stringify(executionMode)}; expected local or remote_node`);
    }
    if (executionMode === "remote_node" && requested === "sdk") {
      // A configuration conflict, not a missing feature: remote nodes run the core lane only.
      throw new AsmError("config_invalid", 'lane "sdk" cannot be combined with executionMode "remote_node" (remote nodes run the core lane)', {
        provider: provider.name,
        details: { key: "lane" },
      });
    }
    const info = await this.laneInfo(provider.name, requested);
    const availability = await this.availability(provider.name);
    let lane: Lane = info.preferredLane;
    let laneFallbackReason: LaneFallbackReason | null = null;
    if (executionMode === "remote_node" && lane === "sdk") {
      lane = "core";
      laneFallbackReason = "sdk_remote_unsupported";
    } else if (requested === "auto" && !availability.available && this.lanes.has(provider.name)) {
      // An SDK lane is registered but its vendor SDK cannot load: say so instead of a silent core run.
      laneFallbackReason = "sdk_unavailable";
    }
    const backend = lane === "sdk" ? this.lanes.get(provider.name)!.backend : this.coreBackend(provider);
    const availableLanes: Lane[] = availability.available ? ["core", "sdk"] : ["core"];
    const capabilities = lane === info.preferredLane ? info.capabilities : [...(provider.profile?.capabilities ?? provider.capabilities)];
    const metadata: RunMetadata = {
      provider: provider.name,
      providerDisplayName: provider.displayName,
      requestedLane: requested,
      preferredLane: info.preferredLane,
      lane,
      laneReason: info.laneReason,
      laneFallbackReason,
      backend: backend.name,
      executionMode,
      sdkAvailable: availability.available,
      sdkRuntime: this.lanes.get(provider.name)?.runtime ?? null,
      availableLanes,
      defaultLane: "auto",
      capabilities,
      coreProfileId: provider.profile?.id ?? null,
    };
    return {
      ...info,
      capabilities,
      lane,
      laneFallbackReason,
      executionMode,
      backend,
      backendName: backend.name,
      sdkAvailable: availability.available,
      availableLanes,
      metadata,
    };
  }

  private coreBackend(provider: AnyProviderDefinition): ProviderBackend {
    let backend = this.coreBackends.get(provider.name);
    if (!backend) {
      backend = provider.coreBackend ?? this.createCoreBackend(provider);
      assertSpecificationVersion("backend", backend.name, backend);
      this.coreBackends.set(provider.name, backend);
    }
    return backend;
  }

  /** Every backend created so far (for session release and disposal). */
  backends(): ProviderBackend[] {
    return [...this.coreBackends.values(), ...[...this.lanes.values()].map((lane) => lane.backend)];
  }
}
