import type { CliDiscovery } from "@asm/contract";
import { findVersion } from "@asm/provider-utils";

/** The Amp CLI version the argv and the error classification were checked against. */
export const AMP_VERIFIED_CLI_VERSION = "0.0.1790142911-g7618fb";

/**
 * How to find the `amp` binary: `AMP_CLI_PATH`, then PATH and the locations Amp's installer uses
 * (`~/.amp/bin`, `~/.local/bin`).
 */
export const ampDiscovery: CliDiscovery = {
  binaryNames: ["amp"],
  envVar: "AMP_CLI_PATH",
  knownPaths(env, platform) {
    const home = platform === "win32" ? (env.USERPROFILE ?? env.HOME) : env.HOME;
    if (home === undefined || home === "") return [];
    if (platform === "win32") return [`${home}\\.amp\\bin\\amp.exe`];
    return [`${home}/.amp/bin/amp`, `${home}/.local/bin/amp`];
  },
  installHint: "npm install -g @sourcegraph/amp, then run `amp login` (or set AMP_API_KEY)",
  versionArgs: ["--version"],
  // `amp --version` prints e.g. "0.0.1790142911-g7618fb (released 2026-09-23T05:55:11.000Z, 1mo ago)".
  parseVersion: findVersion,
  supportedVersions: { min: AMP_VERIFIED_CLI_VERSION },
};
