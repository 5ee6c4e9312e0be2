// Shared paths and projections for the check-layers tests.
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The check-layers package folder. */
export const PACKAGE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** The repository root (the real workspace). */
export const REPO_ROOT = path.resolve(PACKAGE_DIR, "../../..");

/** The command-line entry point. */
export const BIN = path.join(PACKAGE_DIR, "bin/check-layers.mjs");

/**
 * Absolute folder of a fixture workspace.
 * @param {string} name
 * @returns {string}
 */
export function fixture(name) {
  return path.join(PACKAGE_DIR, "__fixtures__", name);
}

/**
 * The fields a test compares, with the location as `file:line`.
 * @param {import("../src/check.mjs").Violation} v
 */
export function brief(v) {
  return { rule: v.rule, package: v.package, target: v.target, via: v.via, at: `${v.file}:${v.line}` };
}
