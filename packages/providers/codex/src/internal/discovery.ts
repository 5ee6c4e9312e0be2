import type { CliDiscovery } from "@asm/contract";
import { findVersion } from "@asm/provider-utils";

/**
 * How to find the `codex` binary: `CODEX_PATH`, then `codex` on PATH, then the usual npm, cargo
 * and Homebrew locations. Verified against `@openai/codex` 0.169.0 and 0.171.0.
 */
export const codexDiscovery: CliDiscovery = {
  binaryNames: ["codex"],
  envVar: "CODEX_PATH",
  knownPaths(env, platform) {
    const home = env.HOME ?? env.USERPROFILE;
    if (platform === "win32") {
      return env.APPDATA === undefined ? [] : [`${env.APPDATA}\\npm\\codex.cmd`];
    }
    const paths: string[] = [];
    if (home !== undefined) paths.push(`${home}/.npm-global/bin/codex`, `${home}/.local/bin/codex`, `${home}/.cargo/bin/codex`);
    paths.push("/usr/local/bin/codex");
    if (platform === "darwin") paths.push("/opt/homebrew/bin/codex");
    return paths;
  },
  installHint: "npm install -g @openai/codex",
  versionArgs: ["--version"],
  parseVersion: findVersion,
  supportedVersions: { min: "0.169.0", maxExclusive: "0.172.0" },
};
