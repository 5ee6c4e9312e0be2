import type { LaneAvailability } from "@asm/contract";
import type { AcpSdkModule } from "./internal/acp-shapes.js";

/** The vendor package the lane drives. */
export const ACP_SDK = "@agentclientprotocol/sdk";

/** The install hint shown when the ACP SDK is missing (it needs zod at runtime). */
export const ACP_SDK_INSTALL_HINT = `npm install ${ACP_SDK}@">=2.4 <3" zod`;

/** Loads the ACP SDK; defaults to a dynamic `import()` of the optional peer. */
export type AcpSdkLoader = () => Promise<unknown>;

/** The default loader: the installed optional peer. */
export const defaultAcpSdkLoader: AcpSdkLoader = () => import("@agentclientprotocol/sdk");

/** A loaded ACP SDK, or why it cannot be used. */
export type LoadedAcpSdk = { ok: true; module: AcpSdkModule } | { ok: false; availability: LaneAvailability };

function notFound(error: unknown, name: string): boolean {
  if (typeof error !== "object" || error === null) return false;
  const code = (error as { code?: unknown }).code;
  const raw = (error as { message?: unknown }).message;
  const message = typeof raw === "string" ? raw : "";
  return (code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND") && message.includes(`'${name}'`);
}

/**
 * Loads and feature-detects the ACP SDK (`client`, `ndJsonStream`, `PROTOCOL_VERSION`): a missing
 * package is `not_installed`, one that fails to load (zod missing) or lacks the 2.x client API is
 * `broken`. Never throws.
 */
export async function loadAcpSdk(loader: AcpSdkLoader): Promise<LoadedAcpSdk> {
  let loaded: unknown;
  try {
    loaded = await loader();
  } catch (error) {
    if (notFound(error, ACP_SDK)) {
      return { ok: false, availability: { available: false, status: "not_installed", reason: `${ACP_SDK} is not installed`, hint: ACP_SDK_INSTALL_HINT } };
    }
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, availability: { available: false, status: "broken", reason: `${ACP_SDK} failed to load: ${message}`, hint: ACP_SDK_INSTALL_HINT } };
  }
  const candidate = loaded as Partial<AcpSdkModule> | null;
  if (candidate === null || typeof candidate !== "object" || typeof candidate.client !== "function" || typeof candidate.ndJsonStream !== "function") {
    return {
      ok: false,
      availability: { available: false, status: "broken", reason: `${ACP_SDK} has no 2.x client API (client, ndJsonStream)`, hint: ACP_SDK_INSTALL_HINT },
    };
  }
  return { ok: true, module: candidate as AcpSdkModule };
}
