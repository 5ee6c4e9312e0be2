import { execa } from "execa";
import { backendEvent, type BackendEvent, type CliDiscovery } from "@asm/contract";
import type { ResolvedCli } from "./cli-discovery.js";
import { formatRange, satisfiesRange } from "./semver.js";

/** What `--version` said about a CLI. */
export interface CliVersionCheck {
  /** The detected version, or null when it could not be read. */
  version: string | null;
  /** Whether the version lies in the profile's supported range (null when unknown). */
  supported: boolean | null;
}

/** Options of {@link detectCliVersion}. */
export interface DetectCliVersionOptions {
  /** The complete environment of the version command. */
  env?: Record<string, string>;
  cwd?: string;
  /** Upper bound on the version command; defaults to 10 s. */
  timeoutMs?: number;
}

const versionCache = new Map<string, Promise<string | null>>();

function cacheKey(cli: ResolvedCli, discovery: CliDiscovery): string {
  return JSON.stringify([cli.command, cli.prefixArgs, discovery.versionArgs]);
}

/**
 * Runs the CLI's version command (`discovery.versionArgs`) and extracts the version with
 * `discovery.parseVersion`. The answer is cached per resolved path for the life of the process, so
 * only the first run against a binary pays for the extra spawn. Never throws: a CLI that fails or
 * times out has an unknown (null) version.
 */
export function detectCliVersion(
  cli: ResolvedCli,
  discovery: CliDiscovery,
  options: DetectCliVersionOptions = {},
): Promise<string | null> {
  const key = cacheKey(cli, discovery);
  const cached = versionCache.get(key);
  if (cached !== undefined) return cached;
  const pending = (async () => {
    try {
      const result = await execa(cli.command, [...cli.prefixArgs, ...discovery.versionArgs], {
        env: options.env,
        extendEnv: options.env === undefined,
        cwd: options.cwd,
        timeout: options.timeoutMs ?? 10_000,
        killSignal: "SIGKILL",
        stdin: "ignore",
        reject: false,
        all: true,
      });
      const output = typeof result.all === "string" ? result.all : "";
      return discovery.parseVersion(output);
    } catch {
      return null;
    }
  })();
  versionCache.set(key, pending);
  return pending;
}

/** Forgets every cached version (after upgrading a CLI in place, and in tests). */
export function clearCliVersionCache(): void {
  versionCache.clear();
}

/** Compares a detected version with the profile's supported range. */
export function checkCliVersion(version: string | null, discovery: CliDiscovery): CliVersionCheck {
  if (version === null) return { version, supported: null };
  return { version, supported: satisfiesRange(version, discovery.supportedVersions) };
}

/**
 * The `warning` events a version check warrants: `version_unsupported` outside the supported
 * range, `version_unknown` when the version could not be read. Empty when the version is fine.
 */
export function versionWarnings(check: CliVersionCheck, discovery: CliDiscovery, command: string): BackendEvent[] {
  const range = formatRange(discovery.supportedVersions);
  if (check.supported === true) return [];
  if (check.version === null) {
    return [
      backendEvent("warning", {
        code: "version_unknown",
        message: `could not read the version of ${command} (${discovery.versionArgs.join(" ")}); supported: ${range}`,
        details: { command, supportedVersions: range },
      }),
    ];
  }
  return [
    backendEvent("warning", {
      code: "version_unsupported",
      message: `${command} is version ${check.version}, outside the supported range ${range}; output may not parse`,
      details: { command, version: check.version, supportedVersions: range },
    }),
  ];
}
