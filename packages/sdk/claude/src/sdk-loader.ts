import type { LaneAvailability } from "@asm/contract";
import type { ClaudeSdkModule } from "./internal/sdk-shapes.js";

/** The vendor package the lane drives. */
export const CLAUDE_AGENT_SDK = "@anthropic-ai/claude-agent-sdk";

/** The install hint shown when the SDK is missing. */
export const CLAUDE_AGENT_SDK_INSTALL_HINT = `npm install ${CLAUDE_AGENT_SDK}@">=0.3.329 <0.4"`;

/**
 * Loads the vendor SDK. The default is a dynamic `import()` of the optional peer; tests and hosts
 * with their own copy inject another (a module shaped like the SDK's API).
 */
export type ClaudeSdkLoader = () => Promise<unknown>;

/** The default loader: the installed optional peer. */
export const defaultClaudeSdkLoader: ClaudeSdkLoader = () => import("@anthropic-ai/claude-agent-sdk");

/** A loaded SDK, or why it cannot be used. */
export type LoadedClaudeSdk = { ok: true; module: ClaudeSdkModule } | { ok: false; availability: LaneAvailability };

function isModuleNotFound(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const code = (error as { code?: unknown }).code;
  const raw = (error as { message?: unknown }).message;
  const message = typeof raw === "string" ? raw : "";
  // Only the SDK itself missing means "not installed"; a missing file inside it means broken.
  return (code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND") && message.includes(`'${CLAUDE_AGENT_SDK}'`);
}

/**
 * Loads and feature-detects the SDK: a missing package is `not_installed` with an install hint, a
 * package that fails to load or lacks `query()` is `broken` with the reason. Never throws.
 */
export async function loadClaudeSdk(loader: ClaudeSdkLoader): Promise<LoadedClaudeSdk> {
  let loaded: unknown;
  try {
    loaded = await loader();
  } catch (error) {
    if (isModuleNotFound(error)) {
      return {
        ok: false,
        availability: { available: false, status: "not_installed", reason: `${CLAUDE_AGENT_SDK} is not installed`, hint: CLAUDE_AGENT_SDK_INSTALL_HINT },
      };
    }
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, availability: { available: false, status: "broken", reason: `${CLAUDE_AGENT_SDK} failed to load: ${message}`, hint: CLAUDE_AGENT_SDK_INSTALL_HINT } };
  }
  const candidate = loaded as { query?: unknown } | null;
  if (candidate === null || typeof candidate !== "object" || typeof candidate.query !== "function") {
    return {
      ok: false,
      availability: { available: false, status: "broken", reason: `${CLAUDE_AGENT_SDK} does not export query()`, hint: CLAUDE_AGENT_SDK_INSTALL_HINT },
    };
  }
  return { ok: true, module: candidate as ClaudeSdkModule };
}
