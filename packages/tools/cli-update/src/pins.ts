import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { compareVersions, isVersion, nextBreakingBound } from "./semver.js";

const SECTIONS = ["dependencies", "devDependencies", "peerDependencies", "optionalDependencies"] as const;

/** One place a package is pinned: a manifest's dependency section. */
export interface Pin {
  /** The manifest, relative to the repository root. */
  file: string;
  section: (typeof SECTIONS)[number];
  name: string;
  /** The version spec as written (`2.1.329`, `>=0.3.329 <0.4.0`). */
  spec: string;
}

/** A pin and what it becomes for a new version (`next === spec` when it already admits it). */
export interface PinBump extends Pin {
  next: string;
}

/** The pins of `names` in one manifest's text. */
export function pinsInManifest(file: string, text: string, names: ReadonlySet<string>): Pin[] {
  const manifest = JSON.parse(text) as Record<string, unknown>;
  const pins: Pin[] = [];
  for (const section of SECTIONS) {
    const deps = manifest[section];
    if (typeof deps !== "object" || deps === null) continue;
    for (const [name, spec] of Object.entries(deps as Record<string, unknown>)) {
      if (names.has(name) && typeof spec === "string") pins.push({ file, section, name, spec });
    }
  }
  return pins;
}

/**
 * What a pin's spec becomes for `latest`: an exact version moves to it; a `>=A <B` range keeps
 * its floor and, when `latest` is at or past `B`, moves the bound past `latest`'s breaking line;
 * anything else (`^x`, `workspace:`, `catalog:`) is left as written.
 */
export function bumpedSpec(spec: string, latest: string): string {
  if (isVersion(spec)) return compareVersions(latest, spec) > 0 ? latest : spec;
  const range = /^>=\s*(\S+)\s+<\s*(\S+)$/.exec(spec.trim());
  if (range?.[1] !== undefined && range[2] !== undefined && compareVersions(latest, range[2]) >= 0) {
    return `>=${range[1]} <${nextBreakingBound(latest)}`;
  }
  return spec;
}

/** Replaces one dependency's spec in a manifest's text, keeping its formatting. */
export function withSpec(text: string, name: string, from: string, to: string): string {
  return text.split(`${JSON.stringify(name)}: ${JSON.stringify(from)}`).join(`${JSON.stringify(name)}: ${JSON.stringify(to)}`);
}

/** Every workspace manifest under `root` (`packages/**`, `examples`), skipping installs and builds. */
function workspaceManifests(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string, depth: number): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === "node_modules" || entry.name === "dist" || entry.name.startsWith(".") || entry.name === "__fixtures__") continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory() && depth < 3) walk(path, depth + 1);
      else if (entry.name === "package.json") out.push(relative(root, path));
    }
  };
  for (const top of ["packages", "examples"]) walk(join(root, top), 0);
  return out.sort();
}

/** Every pin of `names` in the workspace under `root`. */
export function findPins(root: string, names: ReadonlySet<string>): Pin[] {
  return workspaceManifests(root).flatMap((file) => pinsInManifest(file, readFileSync(join(root, file), "utf8"), names));
}

/**
 * The new `maxExclusive` of a supported-versions declaration in a provider's discovery source
 * (`supportedVersions: { min: "0.169.0", maxExclusive: "0.170.0" }`) once `latest` is verified,
 * or `null` when the range already admits it (or the source declares none).
 */
export function widenedSupportedRange(source: string, latest: string): { from: string; to: string; source: string } | null {
  const match = /maxExclusive:\s*"([^"]+)"/.exec(source);
  if (match?.[1] === undefined || compareVersions(latest, match[1]) < 0) return null;
  const to = nextBreakingBound(latest);
  return { from: match[1], to, source: source.replace(match[0], `maxExclusive: "${to}"`) };
}
