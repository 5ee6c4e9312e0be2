import type { SdkLaneDefinition } from "@asm/contract";
import type { Asm } from "@asm/core";
import { ampSdkLane } from "@asm/sdk-amp";
import { claudeSdkLane } from "@asm/sdk-claude";
import { codexAppServerLane } from "@asm/sdk-codex";
import { geminiAcpLane } from "@asm/sdk-gemini";

/**
 * The SDK lanes `asm` registers. Each loads its vendor SDK (an optional peer) only when probed or
 * used, so a missing SDK costs nothing and `--lane auto` falls back to the core lane.
 */
export function loadLanes(): SdkLaneDefinition[] {
  return [claudeSdkLane(), codexAppServerLane(), geminiAcpLane(), ampSdkLane()];
}

/** Whether a provider's SDK lane can run here, and why not (for `asm providers` and `asm doctor`). */
export interface SdkLaneReport {
  /** The vendor runtime, or null when no SDK lane exists for the provider. */
  runtime: string | null;
  available: boolean;
  /** `not_installed`, `broken`, or `no_lane`. */
  status: "available" | "not_installed" | "broken" | "no_lane";
  reason: string | null;
  hint: string | null;
  features: Record<string, unknown> | null;
}

/** The SDK-lane facts of one provider, from the kernel's (cached) probe. */
export async function sdkLaneReport(asm: Asm, provider: string): Promise<SdkLaneReport> {
  const info = await asm.providerInfo(provider);
  if (info.sdkRuntime === null) {
    return { runtime: null, available: false, status: "no_lane", reason: "no SDK lane for this provider; it runs on the core lane", hint: null, features: null };
  }
  return {
    runtime: info.sdkRuntime,
    available: info.sdkAvailable,
    status: info.sdkAvailable ? "available" : (info.sdkUnavailableStatus ?? "broken"),
    reason: info.sdkUnavailableReason,
    hint: info.sdkInstallHint,
    features: info.sdkFeatures ? { ...info.sdkFeatures } : null,
  };
}

/** One line for people: `sdk lane: available (@anthropic-ai/claude-agent-sdk)` or why not. */
export function formatSdkLane(report: SdkLaneReport): string {
  if (report.status === "no_lane") return `sdk lane: none (${report.reason ?? ""})`;
  if (report.available) return `sdk lane: available (${report.runtime ?? ""})`;
  return `sdk lane: unavailable — ${report.reason ?? report.status}${report.hint ? `; install: ${report.hint}` : ""}`;
}
