// Runs every rule over a workspace: manifests first, then source imports.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { loadConfig } from "./config.mjs";
import { loadWorkspace } from "./load-workspace.mjs";
import { RULES, judgeUse, packageRules, resolveLayer } from "./rules.mjs";
import { classifySpecifier, listSourceFiles, packageNameOf, scanFile } from "./scan-imports.mjs";

/**
 * One broken rule.
 * @typedef {object} Violation
 * @property {string} rule - e.g. `outward-dependency`.
 * @property {string} package - the package that breaks it.
 * @property {string} dir - its folder, relative to the workspace root.
 * @property {string | null} target - the offending dependency or import specifier.
 * @property {string | null} via - the manifest field, or `import` for source.
 * @property {string} file - relative to the workspace root, `/`-separated.
 * @property {number} line - 1-based.
 * @property {string} message - why it is a violation.
 */

/**
 * Counts of what was checked.
 * @typedef {object} CheckStats
 * @property {number} packages
 * @property {number} dependencies - manifest entries checked.
 * @property {number} files - source files scanned.
 * @property {number} imports - import specifiers checked.
 */

/**
 * One row of the layer table, with the workspace packages that fall in it.
 * @typedef {object} LayerRow
 * @property {string} name
 * @property {number} rank
 * @property {string[]} packages - sorted package names.
 * @property {string[] | null} allow - what the layer may use; `null` for a layer that may use anything.
 */

/**
 * Options for {@link checkWorkspace}.
 * @typedef {object} CheckOptions
 * @property {string} [configPath] - defaults to `<root>/layers.config.json`.
 * @property {import("./config.mjs").LayersConfig} [config] - use this instead of reading a file.
 */

/** Manifest fields checked, in report order. */
const FIELDS = /** @type {const} */ (["dependencies", "peerDependencies", "optionalDependencies", "devDependencies"]);

/**
 * Checks a pnpm workspace against its layer rules.
 * @param {string} root - folder holding pnpm-workspace.yaml (and, by default, layers.config.json).
 * @param {CheckOptions} [options]
 * @returns {Promise<{ violations: Violation[], stats: CheckStats, layers: LayerRow[] }>}
 */
export async function checkWorkspace(root, options = {}) {
  const absRoot = path.resolve(root);
  const config = options.config ?? (await loadConfig(options.configPath ?? path.join(absRoot, "layers.config.json")));
  const workspace = await loadWorkspace(absRoot);
  /** @type {Map<string, import("./config.mjs").LayerRule | null>} */
  const layerOf = new Map(workspace.packages.map((pkg) => [pkg.name, resolveLayer(config, pkg.dir) ?? null]));
  const layerTags = new Set(config.layers.flatMap((layer) => (layer.tag ? [layer.tag] : [])));

  /** @type {Violation[]} */
  const violations = [];
  /** @type {CheckStats} */
  const stats = { packages: workspace.packages.length, dependencies: 0, files: 0, imports: 0 };

  for (const pkg of workspace.packages) {
    const layer = layerOf.get(pkg.name) ?? undefined;
    const rules = layer ? packageRules(layer, pkg.dir) : undefined;
    /** @type {import("./rules.mjs").RuleContext} */
    const ctx = { config, packageName: pkg.name, rules, workspaceLayer: (name) => layerOf.get(name) };
    const report = (/** @type {Omit<Violation, "package" | "dir">} */ v) =>
      violations.push({
        rule: v.rule,
        package: pkg.name,
        dir: pkg.dir,
        target: v.target,
        via: v.via,
        file: v.file,
        line: v.line,
        message: v.message,
      });

    if (!layer) {
      report({
        rule: RULES.unknownLayer,
        target: null,
        via: null,
        file: pkg.manifestPath,
        line: 1,
        message: `folder ${pkg.dir} matches no layer in layers.config.json`,
      });
    } else if (config.turboTags && layer.tag) {
      const problem = await checkTurboTag(workspace.root, pkg.dir, layer.tag, layerTags);
      if (problem) report({ rule: RULES.layerTagMismatch, target: null, via: null, line: 1, ...problem });
    }

    const manifest = pkg.manifest;
    const meta = manifest.peerDependenciesMeta ?? {};
    for (const field of FIELDS) {
      for (const name of Object.keys(manifest[field] ?? {})) {
        stats.dependencies++;
        if (name === pkg.name) continue;
        const finding = judgeUse(ctx, name, {
          scope: field === "devDependencies" ? "dev" : "runtime",
          via: field,
          optionalPeer: field === "peerDependencies" && meta[name]?.optional === true,
        });
        if (finding) {
          report({ ...finding, target: name, via: field, file: pkg.manifestPath, line: lineOfDependency(pkg.manifestText, field, name) });
        }
      }
    }

    const runtimeDeclared = new Set(
      ["dependencies", "peerDependencies", "optionalDependencies"].flatMap((field) => Object.keys(manifest[field] ?? {})),
    );
    const devDeclared = new Set(Object.keys(manifest.devDependencies ?? {}));
    const privateMayUseDev = config.privatePackagesImportDevDependencies && manifest.private === true;

    for (const file of await listSourceFiles(pkg.absDir, config.sources)) {
      stats.files++;
      const fileRel = toPosix(path.relative(workspace.root, file.absPath));
      for (const { specifier, line } of await scanFile(file.absPath)) {
        stats.imports++;
        const at = { target: specifier, via: "import", file: fileRel, line };
        const kind = classifySpecifier(specifier);
        if (kind === "relative") {
          const resolved = path.resolve(path.dirname(file.absPath), specifier);
          const inside = path.relative(pkg.absDir, resolved);
          if (inside === ".." || inside.startsWith(`..${path.sep}`) || path.isAbsolute(inside)) {
            report({
              ...at,
              rule: RULES.relativeEscape,
              message: `resolves to ${toPosix(path.relative(workspace.root, resolved))}, outside ${pkg.dir}; import the package by name instead`,
            });
          }
          continue;
        }
        if (kind !== "package") continue;
        const name = packageNameOf(specifier);
        if (name === pkg.name) continue;
        const mayUseDev = !file.production || privateMayUseDev;
        if (!runtimeDeclared.has(name) && !(mayUseDev && devDeclared.has(name))) {
          report({
            ...at,
            rule: RULES.undeclaredImport,
            message: devDeclared.has(name)
              ? `${name} is only a devDependency; production source may import only dependencies and peerDependencies`
              : `${name} is not declared in ${pkg.manifestPath}`,
          });
        }
        const finding = judgeUse(ctx, name, { scope: file.production ? "runtime" : "dev", via: "import", optionalPeer: false });
        if (finding) report({ ...at, ...finding });
      }
    }
  }

  violations.sort(compareViolations);
  /** @type {LayerRow[]} */
  const layers = config.layers.map((layer) => ({
    name: layer.name,
    rank: layer.rank,
    packages: workspace.packages.filter((pkg) => layerOf.get(pkg.name) === layer).map((pkg) => pkg.name).sort(),
    allow: layer.allowAnything ? null : [...(layer.allow ?? [])],
  }));
  return { violations, stats, layers };
}

/**
 * Checks that a package's turbo.json carries its layer's tag and no other layer tag.
 * @param {string} root
 * @param {string} dir
 * @param {string} tag
 * @param {Set<string>} layerTags
 * @returns {Promise<{ file: string, message: string } | null>}
 */
async function checkTurboTag(root, dir, tag, layerTags) {
  const file = `${dir}/turbo.json`;
  const fix = `{ "extends": ["//"], "tags": ["${tag}"] }`;
  let parsed;
  try {
    parsed = JSON.parse(await readFile(path.join(root, file), "utf8"));
  } catch {
    return { file: `${dir}/package.json`, message: `no readable ${file}; turbo boundaries needs ${fix}` };
  }
  const tags = Array.isArray(parsed?.tags) ? parsed.tags : [];
  const others = tags.filter((t) => layerTags.has(t) && t !== tag);
  if (!tags.includes(tag) || others.length > 0) {
    return { file, message: `tags ${JSON.stringify(tags)} must include ${tag} and no other layer tag` };
  }
  return null;
}

/**
 * The line of `"name":` inside the `field` object of a package.json text.
 * @param {string} text
 * @param {string} field
 * @param {string} name
 * @returns {number}
 */
export function lineOfDependency(text, field, name) {
  const fieldMatch = new RegExp(`"${escapeRegExp(field)}"\\s*:`).exec(text);
  if (!fieldMatch) return 1;
  const entry = new RegExp(`"${escapeRegExp(name)}"\\s*:`, "g");
  entry.lastIndex = fieldMatch.index + fieldMatch[0].length;
  const match = entry.exec(text);
  const index = match ? match.index : fieldMatch.index;
  return text.slice(0, index).split("\n").length;
}

/**
 * @param {string} value
 * @returns {string}
 */
function escapeRegExp(value) {
  return value.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}

/**
 * @param {string} value
 * @returns {string}
 */
function toPosix(value) {
  return value.split(path.sep).join("/");
}

/**
 * @param {Violation} a
 * @param {Violation} b
 * @returns {number}
 */
function compareViolations(a, b) {
  return a.file.localeCompare(b.file) || a.line - b.line || a.rule.localeCompare(b.rule) || String(a.target).localeCompare(String(b.target));
}
