// Loads and validates layers.config.json: the layer table as data, so changing
// a rule is a reviewed one-line edit rather than a code change.
import { readFile } from "node:fs/promises";
import { LayerCheckError } from "./errors.mjs";

/**
 * One row of the layer table.
 * @typedef {object} LayerRule
 * @property {string} name - e.g. `providers`.
 * @property {number} rank - a package may depend only on allowed packages; a higher rank is outward.
 * @property {string[]} folders - package folder globs relative to the workspace root.
 * @property {string} [tag] - the turbo boundaries tag packages of this layer carry.
 * @property {boolean} [allowAnything] - apps: no dependency restriction.
 * @property {string[]} [allow] - package names (globs) every package of the layer may depend on.
 * @property {Record<string, string[]>} [packageAllow] - extra allowed externals, keyed by folder glob.
 * @property {boolean} [forbidSiblings] - a package may not depend on another of the same layer.
 * @property {string[]} [optionalPeers] - externals allowed only as optional peers (or devDependencies).
 * @property {Record<string, string[]>} [vendorSdks] - per folder glob: vendor SDKs allowed only as optional peers.
 * @property {{ layer: string, name: string }} [ownProvider] - the one package of `layer` a package may use;
 *   `{dir}` in `name` is the package's folder name.
 */

/**
 * An external package only some packages may use, whatever else the layer allows.
 * @typedef {object} RestrictedExternal
 * @property {string[]} [layers] - layer names that may use it.
 * @property {string[]} [packages] - package names that may use it.
 * @property {string} reason - why it is restricted; shown in the violation.
 */

/**
 * The whole configuration.
 * @typedef {object} LayersConfig
 * @property {LayerRule[]} layers - first matching folder glob wins.
 * @property {string[]} anyPackageDevDependencies - workspace packages any package may devDepend on.
 * @property {string[]} devTooling - build/test tools allowed as devDependencies everywhere.
 * @property {Record<string, RestrictedExternal>} restrictedExternals
 * @property {import("./scan-imports.mjs").SourceSettings} sources
 * @property {boolean} privatePackagesImportDevDependencies - a private package is never installed
 *   from the registry, so all of its code may import its devDependencies.
 * @property {boolean} turboTags - require each package's turbo.json to carry its layer's tag.
 */

/** @type {Omit<LayersConfig, "layers">} */
const DEFAULTS = {
  anyPackageDevDependencies: [],
  devTooling: [],
  restrictedExternals: {},
  sources: {
    roots: ["src", "test", "scripts"],
    extensions: [".ts", ".mts", ".cts", ".tsx", ".js", ".mjs", ".cjs", ".jsx"],
    nonProduction: ["**/*.test.*", "**/*.spec.*", "**/__fixtures__/**", "**/__tests__/**", "test/**", "scripts/**"],
  },
  privatePackagesImportDevDependencies: false,
  turboTags: false,
};

const ROOT_KEYS = new Set(["layers", ...Object.keys(DEFAULTS)]);
const LAYER_KEYS = new Set([
  "name",
  "rank",
  "folders",
  "tag",
  "allowAnything",
  "allow",
  "packageAllow",
  "forbidSiblings",
  "optionalPeers",
  "vendorSdks",
  "ownProvider",
]);

/**
 * Reads and validates a layers.config.json file.
 * @param {string} file - absolute path.
 * @returns {Promise<LayersConfig>}
 */
export async function loadConfig(file) {
  let text;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    throw new LayerCheckError(`cannot read layer rules at ${file}`, { cause: error });
  }
  let raw;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new LayerCheckError(`${file} is not valid JSON`, { cause: error });
  }
  return validateConfig(raw, file);
}

/**
 * Checks the shape of a parsed configuration and fills in defaults. Unknown
 * keys are errors so a misspelt rule cannot silently stop applying; keys
 * starting with `$` are comments.
 * @param {unknown} raw
 * @param {string} [source] - where it came from, for messages.
 * @returns {LayersConfig}
 */
export function validateConfig(raw, source = "layers.config.json") {
  const fail = (/** @type {string} */ what) => {
    throw new LayerCheckError(`${source}: ${what}`);
  };
  if (!isObject(raw)) return fail("expected an object");
  checkKeys(raw, ROOT_KEYS, "", fail);
  if (!Array.isArray(raw.layers) || raw.layers.length === 0) return fail("`layers` must be a non-empty array");
  const names = new Set();
  const layers = raw.layers.map((layer, i) => {
    const at = `layers[${i}]`;
    if (!isObject(layer)) return fail(`${at} must be an object`);
    checkKeys(layer, LAYER_KEYS, `${at}.`, fail);
    if (typeof layer.name !== "string" || layer.name === "") fail(`${at}.name must be a string`);
    if (names.has(layer.name)) fail(`${at}.name "${layer.name}" is used twice`);
    names.add(layer.name);
    if (!Number.isInteger(layer.rank)) fail(`${at}.rank must be an integer`);
    if (!isStringArray(layer.folders) || layer.folders.length === 0) fail(`${at}.folders must list folder globs`);
    for (const key of ["allow", "optionalPeers"]) {
      if (layer[key] !== undefined && !isStringArray(layer[key])) fail(`${at}.${key} must be an array of strings`);
    }
    for (const key of ["packageAllow", "vendorSdks"]) {
      if (layer[key] !== undefined && !isStringArrayMap(layer[key])) fail(`${at}.${key} must map folder globs to arrays of strings`);
    }
    for (const key of ["allowAnything", "forbidSiblings"]) {
      if (layer[key] !== undefined && typeof layer[key] !== "boolean") fail(`${at}.${key} must be a boolean`);
    }
    if (layer.tag !== undefined && typeof layer.tag !== "string") fail(`${at}.tag must be a string`);
    if (layer.ownProvider !== undefined) {
      const own = layer.ownProvider;
      if (!isObject(own) || typeof own.layer !== "string" || typeof own.name !== "string") {
        fail(`${at}.ownProvider must be { "layer": string, "name": string }`);
      }
    }
    return /** @type {LayerRule} */ (layer);
  });
  for (const layer of layers) {
    if (layer.ownProvider && !names.has(layer.ownProvider.layer)) {
      fail(`layer "${layer.name}": ownProvider.layer "${layer.ownProvider.layer}" is not a layer`);
    }
  }
  for (const key of ["anyPackageDevDependencies", "devTooling"]) {
    if (raw[key] !== undefined && !isStringArray(raw[key])) fail(`\`${key}\` must be an array of strings`);
  }
  if (raw.restrictedExternals !== undefined) {
    if (!isObject(raw.restrictedExternals)) fail("`restrictedExternals` must be an object");
    for (const [name, rule] of Object.entries(raw.restrictedExternals)) {
      if (name.startsWith("$")) continue;
      const ok =
        isObject(rule) &&
        typeof rule.reason === "string" &&
        (rule.layers === undefined || isStringArray(rule.layers)) &&
        (rule.packages === undefined || isStringArray(rule.packages));
      if (!ok) fail(`restrictedExternals["${name}"] must be { "reason": string, "layers"?: string[], "packages"?: string[] }`);
      for (const layerName of rule.layers ?? []) {
        if (!names.has(layerName)) fail(`restrictedExternals["${name}"].layers: "${layerName}" is not a layer`);
      }
    }
  }
  const sources = { ...DEFAULTS.sources, ...(raw.sources ?? {}) };
  for (const key of ["roots", "extensions", "nonProduction"]) {
    if (!isStringArray(sources[key])) fail(`sources.${key} must be an array of strings`);
  }
  for (const key of ["privatePackagesImportDevDependencies", "turboTags"]) {
    if (raw[key] !== undefined && typeof raw[key] !== "boolean") fail(`\`${key}\` must be a boolean`);
  }
  return {
    layers,
    anyPackageDevDependencies: raw.anyPackageDevDependencies ?? DEFAULTS.anyPackageDevDependencies,
    devTooling: raw.devTooling ?? DEFAULTS.devTooling,
    restrictedExternals: Object.fromEntries(
      Object.entries(raw.restrictedExternals ?? {}).filter(([name]) => !name.startsWith("$")),
    ),
    sources,
    privatePackagesImportDevDependencies: raw.privatePackagesImportDevDependencies ?? DEFAULTS.privatePackagesImportDevDependencies,
    turboTags: raw.turboTags ?? DEFAULTS.turboTags,
  };
}

/**
 * @param {unknown} value
 * @returns {value is Record<string, any>}
 */
function isObject(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * @param {unknown} value
 * @returns {value is string[]}
 */
function isStringArray(value) {
  return Array.isArray(value) && value.every((item) => typeof item === "string");
}

/**
 * @param {unknown} value
 * @returns {boolean}
 */
function isStringArrayMap(value) {
  return isObject(value) && Object.entries(value).every(([key, list]) => key.startsWith("$") || isStringArray(list));
}

/**
 * @param {Record<string, unknown>} object
 * @param {Set<string>} known
 * @param {string} prefix
 * @param {(what: string) => never} fail
 */
function checkKeys(object, known, prefix, fail) {
  for (const key of Object.keys(object)) {
    if (!key.startsWith("$") && !known.has(key)) fail(`unknown key \`${prefix}${key}\``);
  }
}
