import { posix, win32 } from "node:path";
import type { CliDiscovery } from "@asm/contract";
import { findVersion } from "@asm/provider-utils";

/**
 * How to find the `gemini` binary: `GEMINI_CLI_PATH`, then `gemini` on PATH, then the usual npm
 * global install locations. Verified against `@google/gemini-cli` 0.61.x, whose stream-json
 * format this profile parses.
 */
export const geminiDiscovery: CliDiscovery = {
  binaryNames: ["gemini"],
  envVar: "GEMINI_CLI_PATH",
  knownPaths(env, platform) {
    const home = env.HOME ?? env.USERPROFILE;
    if (platform === "win32") {
      const appData = env.APPDATA;
      return appData === undefined ? [] : [win32.join(appData, "npm", "gemini.cmd")];
    }
    const paths: string[] = [];
    if (env.NPM_CONFIG_PREFIX !== undefined && env.NPM_CONFIG_PREFIX !== "") paths.push(posix.join(env.NPM_CONFIG_PREFIX, "bin", "gemini"));
    if (home !== undefined && home !== "") {
      paths.push(posix.join(home, ".npm-global", "bin", "gemini"), posix.join(home, ".local", "bin", "gemini"), posix.join(home, ".volta", "bin", "gemini"));
    }
    paths.push("/usr/local/bin/gemini", "/opt/homebrew/bin/gemini");
    return paths;
  },
  installHint: "npm install -g @google/gemini-cli@0.61",
  versionArgs: ["--version"],
  parseVersion: findVersion,
  supportedVersions: { min: "0.61.0", maxExclusive: "0.62.0" },
};
