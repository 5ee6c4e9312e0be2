// Finds what a package's source actually imports. TypeScript's pre-processor
// does the lexing, so specifiers inside comments, strings, templates and
// regular expressions are not mistaken for imports.
import { readFile, readdir } from "node:fs/promises";
import { isBuiltin } from "node:module";
import path from "node:path";
import ts from "typescript";
import { matchesAny } from "./glob.mjs";

/**
 * One module specifier found in a source file.
 * @typedef {object} FoundImport
 * @property {string} specifier - as written, e.g. `zod`, `./x.js`, `node:fs`.
 * @property {number} line - 1-based.
 */

/**
 * A source file of a package, classified for the dev/production rule.
 * @typedef {object} SourceFile
 * @property {string} absPath
 * @property {string} rel - relative to the package folder, `/`-separated.
 * @property {boolean} production - shipped code (may use only runtime dependencies).
 */

/**
 * Which files are scanned and which of them count as test code.
 * @typedef {object} SourceSettings
 * @property {string[]} roots - package sub-folders to scan, e.g. `src`, `test`, `scripts`.
 * @property {string[]} extensions - file extensions, with the dot.
 * @property {string[]} nonProduction - globs (relative to the package) of test-only files.
 */

const SKIPPED_DIRS = new Set(["node_modules", "dist", ".turbo", "coverage"]);

/**
 * Lists the module specifiers of static `import`/`export … from`, `import("x")`
 * with a string literal, `require("x")` and `import x = require("x")`,
 * including type-only imports (they still need a declared dependency).
 * @param {string} text - source text.
 * @returns {FoundImport[]}
 */
export function findImports(text) {
  const { importedFiles } = ts.preProcessFile(text, true, true);
  const lineStarts = computeLineStarts(text);
  return importedFiles
    .map((ref) => ({ specifier: ref.fileName, line: lineOf(lineStarts, ref.pos) }))
    .sort((a, b) => a.line - b.line);
}

/**
 * @param {string} text
 * @returns {number[]}
 */
function computeLineStarts(text) {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

/**
 * @param {number[]} starts
 * @param {number} pos
 * @returns {number}
 */
function lineOf(starts, pos) {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= pos) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}

/**
 * The kind of a module specifier.
 * @param {string} specifier
 * @returns {"relative" | "builtin" | "subpath-import" | "url" | "package"}
 */
export function classifySpecifier(specifier) {
  if (specifier.startsWith(".") || specifier.startsWith("/")) return "relative";
  if (specifier.startsWith("#")) return "subpath-import";
  if (isBuiltin(specifier)) return "builtin";
  if (/^[a-z][a-z0-9+.-]*:/i.test(specifier)) return "url";
  return "package";
}

/**
 * The package a bare specifier names: `@scope/name/sub` → `@scope/name`, `x/y` → `x`.
 * @param {string} specifier
 * @returns {string}
 */
export function packageNameOf(specifier) {
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
}

/**
 * Lists the source files of a package under the configured roots, sorted.
 * @param {string} absDir - package folder.
 * @param {SourceSettings} settings
 * @returns {Promise<SourceFile[]>}
 */
export async function listSourceFiles(absDir, settings) {
  /** @type {SourceFile[]} */
  const files = [];
  for (const root of settings.roots) {
    for (const rel of await walk(absDir, root)) {
      if (!settings.extensions.some((ext) => rel.endsWith(ext))) continue;
      files.push({ absPath: path.join(absDir, rel), rel, production: !matchesAny(rel, settings.nonProduction) });
    }
  }
  return files.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
}

/**
 * @param {string} absDir
 * @param {string} rel
 * @returns {Promise<string[]>}
 */
async function walk(absDir, rel) {
  let entries;
  try {
    entries = await readdir(path.join(absDir, rel), { withFileTypes: true });
  } catch (error) {
    const code = /** @type {NodeJS.ErrnoException} */ (error).code;
    if (code === "ENOENT" || code === "ENOTDIR") return [];
    throw error;
  }
  /** @type {string[]} */
  const out = [];
  for (const entry of entries) {
    const child = `${rel}/${entry.name}`;
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRS.has(entry.name)) out.push(...(await walk(absDir, child)));
    } else if (entry.isFile()) {
      out.push(child);
    }
  }
  return out;
}

/**
 * Reads a file and returns its imports.
 * @param {string} absPath
 * @returns {Promise<FoundImport[]>}
 */
export async function scanFile(absPath) {
  return findImports(await readFile(absPath, "utf8"));
}
