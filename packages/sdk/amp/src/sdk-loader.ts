import { existsSync, readFileSync, realpathSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { LaneAvailability } from "@asm/contract";

/** The vendor package the lane would drive. */
export const AMP_SDK = "@sourcegraph/amp-sdk";

/** What to do instead while the SDK is unusable. */
export const AMP_SDK_HINT = "run Amp on the core lane (lane: \"core\"); the Amp CLI's --stream-json is what that lane parses";

/** The one SDK function the lane calls. */
export interface AmpSdkModule {
  execute(params: { prompt: string; options?: Record<string, unknown>; signal?: AbortSignal }): AsyncIterable<unknown>;
}

/** Loads the SDK; defaults to a dynamic `import()` of the optional peer. */
export type AmpSdkLoader = () => Promise<unknown>;

/** The default loader: the installed optional peer. */
export const defaultAmpSdkLoader: AmpSdkLoader = () => import(/* @vite-ignore */ AMP_SDK);

/**
 * Finds the file the published SDK runs with `node`: `bin.amp` of `@sourcegraph/amp`, resolved
 * from the SDK's own location. Returns why it cannot run, or null when it can. Injectable, so
 * tests can describe an installation without installing it.
 */
export type AmpBinCheck = () => string | null;

/** The real check: since the CLI moved to `@ampcode/cli` that path is gone or a native binary. */
export const defaultAmpBinCheck: AmpBinCheck = () => {
  try {
    // Resolved from this package, where the default loader imports the SDK from. The SDK's
    // exports hide its package.json, so its folder is found on the module search path.
    const sdkManifest = findManifest(createRequire(import.meta.url), AMP_SDK);
    if (sdkManifest === null) return `cannot find ${AMP_SDK} on the module search path`;
    const ampManifest = findManifest(createRequire(realpathSync(sdkManifest)), "@sourcegraph/amp");
    if (ampManifest === null) return "the SDK depends on @sourcegraph/amp, which is not installed";
    const bin = (JSON.parse(readFileSync(ampManifest, "utf8")) as { bin?: Record<string, string> | string }).bin;
    const relative = typeof bin === "string" ? bin : bin?.["amp"];
    if (relative === undefined) return "@sourcegraph/amp declares no amp bin";
    const path = join(dirname(ampManifest), relative);
    if (!existsSync(path)) return `the SDK runs \`node ${path}\`, which does not exist (the CLI was renamed to @ampcode/cli)`;
    const head = readFileSync(path).subarray(0, 4);
    if (head[0] === 0x7f && head.toString("latin1", 1, 4) === "ELF") return `the SDK runs \`node ${path}\`, which is a native binary, not JavaScript`;
    return null;
  } catch (error) {
    return `cannot locate the Amp CLI the SDK runs: ${error instanceof Error ? error.message : String(error)}`;
  }
};

function findManifest(require: NodeJS.Require, name: string): string | null {
  for (const folder of require.resolve.paths(name) ?? []) {
    const candidate = join(folder, name, "package.json");
    if (existsSync(candidate)) return candidate;
  }
  return null;
}

/** A usable SDK, or why not. */
export type LoadedAmpSdk = { ok: true; module: AmpSdkModule } | { ok: false; availability: LaneAvailability };

/**
 * Loads and feature-detects the SDK: missing → `not_installed`; no `execute()`, or a CLI path the
 * SDK cannot run → `broken` with the reason. Never pretends: a broken SDK is never used.
 */
export async function loadAmpSdk(loader: AmpSdkLoader, binCheck: AmpBinCheck): Promise<LoadedAmpSdk> {
  let loaded: unknown;
  try {
    loaded = await loader();
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    if (code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND") {
      return { ok: false, availability: { available: false, status: "not_installed", reason: `${AMP_SDK} is not installed`, hint: AMP_SDK_HINT } };
    }
    return { ok: false, availability: { available: false, status: "broken", reason: `${AMP_SDK} failed to load: ${error instanceof Error ? error.message : String(error)}`, hint: AMP_SDK_HINT } };
  }
  const candidate = loaded as Partial<AmpSdkModule> | null;
  if (candidate === null || typeof candidate !== "object" || typeof candidate.execute !== "function") {
    return { ok: false, availability: { available: false, status: "broken", reason: `${AMP_SDK} does not export execute()`, hint: AMP_SDK_HINT } };
  }
  const problem = binCheck();
  if (problem !== null) return { ok: false, availability: { available: false, status: "broken", reason: `${AMP_SDK} is broken as installed: ${problem}`, hint: AMP_SDK_HINT } };
  return { ok: true, module: candidate as AmpSdkModule };
}
