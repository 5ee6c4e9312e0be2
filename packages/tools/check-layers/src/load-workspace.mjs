// Reads the workspace the way pnpm sees it: the `packages:` globs of
// pnpm-workspace.yaml, expanded to folders that hold a package.json.
import { readFile, readdir, stat } from "node:fs/promises";
import path from "node:path";
import { LayerCheckError } from "./errors.mjs";
import { globToRegExp, matchesAny } from "./glob.mjs";

/**
 * One workspace package as the checker sees it.
 * @typedef {object} WorkspacePackage
 * @property {string} name - `name` from package.json (the folder when it has none).
 * @property {string} dir - folder relative to the workspace root, `/`-separated.
 * @property {string} absDir - absolute folder.
 * @property {string} manifestPath - package.json, relative to the workspace root.
 * @property {Record<string, any>} manifest - parsed package.json.
 * @property {string} manifestText - package.json as written, to point at lines.
 */

/**
 * The loaded workspace.
 * @typedef {object} Workspace
 * @property {string} root - absolute workspace root.
 * @property {string[]} patterns - the `packages:` globs of pnpm-workspace.yaml.
 * @property {WorkspacePackage[]} packages - sorted by folder.
 */

/** Folders never searched for packages. */
const SKIPPED_DIRS = new Set(["node_modules", ".git", "dist", ".turbo", "coverage"]);

/**
 * Extracts the `packages:` list from pnpm-workspace.yaml. Only the shapes pnpm
 * documents for this key are understood (a block list of scalars, or a flow
 * list), which keeps the checker free of a YAML dependency.
 * @param {string} text - contents of pnpm-workspace.yaml.
 * @returns {string[]}
 */
export function parseWorkspacePatterns(text) {
  const lines = text.split(/\r?\n/);
  const start = lines.findIndex((line) => /^packages\s*:/.test(line));
  if (start === -1) return [];
  const inline = lines[start].replace(/^packages\s*:/, "").replace(/\s+#.*$/, "").trim();
  if (inline.startsWith("[")) {
    return inline
      .replace(/^\[|\]$/g, "")
      .split(",")
      .map(unquote)
      .filter((item) => item !== "");
  }
  /** @type {string[]} */
  const patterns = [];
  for (const line of lines.slice(start + 1)) {
    if (line.trim() === "" || /^\s*#/.test(line)) continue;
    // YAML allows a block list at the key's own indentation ("- item" in column 0).
    const item = /^\s*-\s+(.*)$/.exec(line);
    if (item) {
      patterns.push(unquote(item[1].replace(/\s+#.*$/, "")));
      continue;
    }
    if (!/^\s/.test(line)) break;
  }
  return patterns;
}

/**
 * @param {string} value
 * @returns {string}
 */
function unquote(value) {
  const trimmed = value.trim();
  const quoted = /^(["'])(.*)\1$/.exec(trimmed);
  return quoted ? quoted[2] : trimmed;
}

/**
 * Expands one positive workspace glob into the folders (relative, `/`-separated)
 * that contain a package.json.
 * @param {string} root
 * @param {string} pattern
 * @returns {Promise<string[]>}
 */
async function expandPattern(root, pattern) {
  const segments = pattern.replace(/^\.\//, "").replace(/\/+$/, "").split("/");
  /** @type {string[]} */
  let current = [""];
  for (const segment of segments) {
    /** @type {string[]} */
    const next = [];
    for (const base of current) {
      if (segment === "**") {
        next.push(base, ...(await descendants(root, base)));
      } else if (/[*?[]/.test(segment)) {
        const re = globToRegExp(segment);
        for (const child of await childDirs(root, base)) {
          if (re.test(child)) next.push(join(base, child));
        }
      } else {
        next.push(join(base, segment));
      }
    }
    current = next;
  }
  /** @type {string[]} */
  const found = [];
  for (const dir of current) {
    if (await exists(path.join(root, dir, "package.json"))) found.push(dir);
  }
  return found;
}

/**
 * @param {string} base
 * @param {string} child
 * @returns {string}
 */
function join(base, child) {
  return base === "" ? child : `${base}/${child}`;
}

/**
 * @param {string} root
 * @param {string} dir
 * @returns {Promise<string[]>}
 */
async function childDirs(root, dir) {
  try {
    const entries = await readdir(path.join(root, dir), { withFileTypes: true });
    return entries
      .filter((entry) => entry.isDirectory() && !SKIPPED_DIRS.has(entry.name) && !entry.name.startsWith("."))
      .map((entry) => entry.name);
  } catch (error) {
    if (/** @type {NodeJS.ErrnoException} */ (error).code === "ENOENT") return [];
    throw error;
  }
}

/**
 * @param {string} root
 * @param {string} dir
 * @returns {Promise<string[]>}
 */
async function descendants(root, dir) {
  /** @type {string[]} */
  const out = [];
  for (const child of await childDirs(root, dir)) {
    const rel = join(dir, child);
    out.push(rel, ...(await descendants(root, rel)));
  }
  return out;
}

/**
 * @param {string} file
 * @returns {Promise<boolean>}
 */
async function exists(file) {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}

/**
 * Loads every package of the pnpm workspace rooted at `root`.
 * @param {string} root - folder holding pnpm-workspace.yaml.
 * @returns {Promise<Workspace>}
 */
export async function loadWorkspace(root) {
  const absRoot = path.resolve(root);
  let yaml;
  try {
    yaml = await readFile(path.join(absRoot, "pnpm-workspace.yaml"), "utf8");
  } catch (error) {
    throw new LayerCheckError(`no pnpm-workspace.yaml in ${absRoot}`, { cause: error });
  }
  const patterns = parseWorkspacePatterns(yaml);
  if (patterns.length === 0) {
    // An unreadable list would make every check pass vacuously.
    throw new LayerCheckError(`pnpm-workspace.yaml in ${absRoot} lists no packages (or its packages: list could not be read)`);
  }
  const positive = patterns.filter((p) => !p.startsWith("!"));
  const negative = patterns.filter((p) => p.startsWith("!")).map((p) => p.slice(1));
  /** @type {Set<string>} */
  const dirs = new Set();
  for (const pattern of positive) {
    for (const dir of await expandPattern(absRoot, pattern)) {
      if (!matchesAny(dir, negative)) dirs.add(dir);
    }
  }
  /** @type {WorkspacePackage[]} */
  const packages = [];
  for (const dir of [...dirs].sort()) {
    const manifestPath = dir === "" ? "package.json" : `${dir}/package.json`;
    const manifestText = await readFile(path.join(absRoot, manifestPath), "utf8");
    let manifest;
    try {
      manifest = JSON.parse(manifestText);
    } catch (error) {
      throw new LayerCheckError(`${manifestPath} is not valid JSON`, { cause: error });
    }
    packages.push({
      name: typeof manifest.name === "string" ? manifest.name : dir,
      dir,
      absDir: path.join(absRoot, dir),
      manifestPath,
      manifest,
      manifestText,
    });
  }
  return { root: absRoot, patterns, packages };
}
