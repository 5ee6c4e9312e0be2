// Just enough semver for pins and supported ranges: `x.y.z` with an optional pre-release.

interface Version {
  major: number;
  minor: number;
  patch: number;
  prerelease: string;
}

function parse(text: string): Version | null {
  const match = /^(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?$/.exec(text.trim());
  if (match === null) return null;
  return { major: Number(match[1]), minor: Number(match[2]), patch: Number(match[3]), prerelease: match[4] ?? "" };
}

/** Whether `text` is a plain `x.y.z[-pre]` version. */
export function isVersion(text: string): boolean {
  return parse(text) !== null;
}

/** Compares two versions (negative, 0, positive); a pre-release sorts before its release. */
export function compareVersions(a: string, b: string): number {
  const left = parse(a);
  const right = parse(b);
  if (left === null || right === null) return a.localeCompare(b);
  for (const key of ["major", "minor", "patch"] as const) {
    if (left[key] !== right[key]) return left[key] - right[key];
  }
  if (left.prerelease === right.prerelease) return 0;
  if (left.prerelease === "") return 1;
  if (right.prerelease === "") return -1;
  return left.prerelease.localeCompare(right.prerelease);
}

/**
 * The exclusive upper bound that admits `version` and nothing of its next breaking line: for
 * `0.y.z` the next minor (`0.171.0` → `0.172.0`), else the next major (`2.1.332` → `3.0.0`).
 */
export function nextBreakingBound(version: string): string {
  const parsed = parse(version);
  if (parsed === null) return version;
  return parsed.major === 0 ? `0.${parsed.minor + 1}.0` : `${parsed.major + 1}.0.0`;
}
