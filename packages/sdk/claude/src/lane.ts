import { AsmError, type LaneAvailability, type SdkLaneDefinition } from "@asm/contract";
import { CLAUDE_SDK_CAPABILITIES, CLAUDE_SDK_FEATURES, createClaudeSdkBackend } from "./claude-sdk-backend.js";
import { CLAUDE_AGENT_SDK, defaultClaudeSdkLoader, loadClaudeSdk, type ClaudeSdkLoader, type LoadedClaudeSdk } from "./sdk-loader.js";

/** Options of {@link claudeSdkLane}. */
export interface ClaudeSdkLaneOptions {
  /**
   * Loads the Claude Agent SDK. Defaults to a dynamic `import()` of the optional peer
   * `@anthropic-ai/claude-agent-sdk`; inject a module shaped like its API to test without it.
   */
  loadSdk?: ClaudeSdkLoader;
}

/**
 * The Claude Agent SDK lane for `createAsm({ lanes })`. The SDK is loaded only when the lane is
 * probed or used; when it is missing (`not_installed`, with an install hint) or unusable
 * (`broken`), `lane: "auto"` runs the core lane with `laneFallbackReason: "sdk_unavailable"` and
 * `lane: "sdk"` fails naming the reason.
 *
 * @example
 * ```ts
 * const asm = createAsm({ providers: [claude()], lanes: [claudeSdkLane()] });
 * const result = await asm.query("claude", "hi", { lane: "sdk" });
 * ```
 */
export function claudeSdkLane(options: ClaudeSdkLaneOptions = {}): SdkLaneDefinition {
  const loader = options.loadSdk ?? defaultClaudeSdkLoader;
  let loading: Promise<LoadedClaudeSdk> | undefined;
  const load = (): Promise<LoadedClaudeSdk> => (loading ??= loadClaudeSdk(loader));
  return {
    specificationVersion: "v1",
    provider: "claude",
    runtime: CLAUDE_AGENT_SDK,
    capabilities: CLAUDE_SDK_CAPABILITIES,
    features: CLAUDE_SDK_FEATURES,
    async probe(): Promise<LaneAvailability> {
      const loaded = await load();
      return loaded.ok ? { available: true } : loaded.availability;
    },
    backend: createClaudeSdkBackend(async () => {
      const loaded = await load();
      if (!loaded.ok) {
        throw new AsmError("unsupported", `${loaded.availability.reason ?? "the Claude Agent SDK is unavailable"}${loaded.availability.hint ? ` (${loaded.availability.hint})` : ""}`, {
          provider: "claude",
          details: { key: "lane" },
        });
      }
      return loaded.module;
    }),
  };
}
