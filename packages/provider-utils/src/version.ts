// A semver with an optional pre-release, neither preceded nor followed by more version digits (so
// `1.2.3.4` and the middle of a longer number do not count).
const VERSION = /(?:^|[^\d.])(\d+\.\d+\.\d+(?:-[0-9A-Za-z][0-9A-Za-z.-]*)?)(?!\.?\d)/;

/**
 * The first semver in a CLI's `--version` output (`2.1.329 (Claude Code)` → `2.1.329`,
 * `codex-cli 0.170.0-alpha.2` → `0.170.0-alpha.2`), or `null` when there is none: what a
 * `CliDiscovery.parseVersion` returns.
 */
export function findVersion(output: string): string | null {
  return VERSION.exec(output)?.[1] ?? null;
}
