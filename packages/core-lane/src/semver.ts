import type { VersionRange } from "@asm/contract";

/** A parsed semantic version. */
export interface SemVer {
  major: number;
  minor: number;
  patch: number;
  /** Pre-release identifiers (`["beta", "2"]` for `1.0.0-beta.2`); empty for a release. */
  prerelease: string[];
}

const SEMVER = /^v?(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/;

/** Parses `1.2.3`, `v1.2.3`, `1.2.3-beta.1+build`; returns null for anything else. */
export function parseSemver(text: string): SemVer | null {
  const match = SEMVER.exec(text.trim());
  if (match === null) return null;
  return {
    major: Number(match[1]),
    minor: Number(match[2]),
    patch: Number(match[3]),
    prerelease: match[4] === undefined ? [] : match[4].split("."),
  };
}

function compareIdentifiers(a: string, b: string): number {
  const aNumeric = /^\d+$/.test(a);
  const bNumeric = /^\d+$/.test(b);
  if (aNumeric && bNumeric) return Math.sign(Number(a) - Number(b));
  // Numeric identifiers sort before alphanumeric ones (semver 2.0.0 §11).
  if (aNumeric !== bNumeric) return aNumeric ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Compares two versions by semver precedence: negative when `a < b`, 0 when equal, positive when
 * `a > b`. Build metadata is ignored; unparsable input sorts as `0.0.0` rather than throwing.
 */
export function compareSemver(a: string | SemVer, b: string | SemVer): number {
  const left = typeof a === "string" ? (parseSemver(a) ?? ZERO) : a;
  const right = typeof b === "string" ? (parseSemver(b) ?? ZERO) : b;
  for (const key of ["major", "minor", "patch"] as const) {
    if (left[key] !== right[key]) return Math.sign(left[key] - right[key]);
  }
  // A release ranks above any of its pre-releases.
  if (left.prerelease.length === 0 && right.prerelease.length === 0) return 0;
  if (left.prerelease.length === 0) return 1;
  if (right.prerelease.length === 0) return -1;
  const length = Math.max(left.prerelease.length, right.prerelease.length);
  for (let index = 0; index < length; index += 1) {
    const x = left.prerelease[index];
    const y = right.prerelease[index];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    const order = compareIdentifiers(x, y);
    if (order !== 0) return order;
  }
  return 0;
}

const ZERO: SemVer = { major: 0, minor: 0, patch: 0, prerelease: [] };

/**
 * True when `version` lies in `range` (`>= min`, and `< maxExclusive` when set). An unparsable
 * version is never in range.
 */
export function satisfiesRange(version: string, range: VersionRange): boolean {
  const parsed = parseSemver(version);
  if (parsed === null) return false;
  if (compareSemver(parsed, range.min) < 0) return false;
  if (range.maxExclusive !== undefined && compareSemver(parsed, range.maxExclusive) >= 0) return false;
  return true;
}

/** Renders a range as `>=1.0.0 <2.0.0`. */
export function formatRange(range: VersionRange): string {
  return range.maxExclusive === undefined ? `>=${range.min}` : `>=${range.min} <${range.maxExclusive}`;
}
