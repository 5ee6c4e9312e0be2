import { AsmError, type LaneAvailability, type SdkLaneDefinition } from "@asm/contract";
import { AMP_SDK_CAPABILITIES, AMP_SDK_FEATURES, createAmpSdkBackend } from "./amp-sdk-backend.js";
import { AMP_SDK, defaultAmpBinCheck, defaultAmpSdkLoader, loadAmpSdk, type AmpBinCheck, type AmpSdkLoader, type LoadedAmpSdk } from "./sdk-loader.js";

/** Options of {@link ampSdkLane}. */
export interface AmpSdkLaneOptions {
  /** Loads the SDK; defaults to a dynamic `import()` of the optional peer. */
  loadSdk?: AmpSdkLoader;
  /** Checks that the CLI the SDK runs exists (defaults to the real installation). */
  checkBin?: AmpBinCheck;
}

/**
 * The Amp SDK lane, feature-detected. The published `@sourcegraph/amp-sdk` runs `node` on a path
 * of `@sourcegraph/amp` that no longer exists, so on a real installation the probe reports the
 * lane `broken` with that reason (and `auto` runs Amp on the core lane); it is used only when the
 * module and the CLI it runs are both in order.
 */
export function ampSdkLane(options: AmpSdkLaneOptions = {}): SdkLaneDefinition {
  let loading: Promise<LoadedAmpSdk> | undefined;
  const load = (): Promise<LoadedAmpSdk> => (loading ??= loadAmpSdk(options.loadSdk ?? defaultAmpSdkLoader, options.checkBin ?? defaultAmpBinCheck));
  return {
    specificationVersion: "v1",
    provider: "amp",
    runtime: AMP_SDK,
    capabilities: AMP_SDK_CAPABILITIES,
    features: AMP_SDK_FEATURES,
    async probe(): Promise<LaneAvailability> {
      const loaded = await load();
      return loaded.ok ? { available: true } : loaded.availability;
    },
    backend: createAmpSdkBackend(async () => {
      const loaded = await load();
      if (!loaded.ok) throw new AsmError("unsupported", loaded.availability.reason ?? "the Amp SDK is unavailable", { provider: "amp", details: { key: "lane" } });
      return loaded.module;
    }),
  };
}
