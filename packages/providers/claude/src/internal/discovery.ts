import path from "node:path";
import type { CliDiscovery } from "@asm/contract";
import { findVersion } from "@asm/provider-utils";

/** The Claude Code versions this profile was verified against. */
const CLAUDE_SUPPORTED_VERSIONS = { min: "2.1.0", maxExclusive: "3.0.0" } as const;

/** How to install Claude Code. */
export const CLAUDE_INSTALL_HINT = "npm install -g @anthropic-ai/claude-code";

/**
 * Extracts the version from `claude --version` output (`2.1.329 (Claude Code)`), or `null`.
 */
export function parseClaudeVersion(output: string): string | null {
  return findVersion(output);
}

/**
 * Well-known install locations of `claude`: the native installer's, npm/pnpm/yarn/bun/volta global
 * bins, Homebrew, and on Windows the npm `.cmd` shim.
 */
export function claudeKnownPaths(env: Readonly<Record<string, string | undefined>>, platform: string): string[] {
  const windows = platform === "win32";
  const pathApi = windows ? path.win32 : path.posix;
  const home = env["HOME"] ?? env["USERPROFILE"];
  const paths: string[] = [];
  const add = (...parts: Array<string | undefined>) => {
    if (parts.every((part): part is string => typeof part === "string" && part !== "")) paths.push(pathApi.join(...parts));
  };
  if (windows) {
    add(home, ".claude", "local", "claude.exe");
    add(home, ".local", "bin", "claude.exe");
    add(env["APPDATA"], "npm", "claude.cmd");
    add(env["npm_config_prefix"], "claude.cmd");
    add(env["PNPM_HOME"], "claude.cmd");
    add(home, ".bun", "bin", "claude.exe");
    return [...new Set(paths)];
  }
  add(home, ".claude", "local", "claude");
  add(home, ".local", "bin", "claude");
  add(home, ".npm-global", "bin", "claude");
  add(env["npm_config_prefix"], "bin", "claude");
  add(env["PNPM_HOME"], "claude");
  add(home, ".yarn", "bin", "claude");
  add(home, ".bun", "bin", "claude");
  add(home, ".volta", "bin", "claude");
  add(home, "node_modules", ".bin", "claude");
  paths.push("/usr/local/bin/claude");
  if (platform === "darwin") paths.push("/opt/homebrew/bin/claude");
  return [...new Set(paths)];
}

/** How the kernel finds and identifies the `claude` binary. */
export const claudeDiscovery: CliDiscovery = {
  binaryNames: ["claude"],
  envVar: "CLAUDE_CLI_PATH",
  knownPaths: claudeKnownPaths,
  installHint: CLAUDE_INSTALL_HINT,
  versionArgs: ["--version"],
  parseVersion: parseClaudeVersion,
  supportedVersions: CLAUDE_SUPPORTED_VERSIONS,
};
