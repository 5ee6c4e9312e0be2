// The layer rules: which layer a package belongs to, and whether one use of a
// dependency (declared in a manifest or imported by a file) is allowed.
import { matchesAny, matchesGlob } from "./glob.mjs";

/**
 * Rule names, as printed in violations.
 * @readonly
 */
export const RULES = Object.freeze({
  outwardDependency: "outward-dependency",
  layerNotAllowed: "layer-not-allowed",
  siblingExtension: "sibling-extension",
  wrongProviderForLane: "wrong-provider-for-lane",
  vendorSdkNotOptionalPeer: "vendor-sdk-not-optional-peer",
  notOptionalPeer: "not-optional-peer",
  externalNotAllowed: "external-not-allowed",
  undeclaredImport: "undeclared-import",
  relativeEscape: "relative-escape",
  unknownLayer: "unknown-layer",
  layerTagMismatch: "layer-tag-mismatch",
});

/**
 * What a package is allowed, resolved from its layer and the per-folder entries.
 * @typedef {object} PackageRules
 * @property {import("./config.mjs").LayerRule} layer
 * @property {string[]} allow - names (globs) allowed at runtime.
 * @property {string[]} optionalPeers
 * @property {string[]} vendorSdks
 * @property {string | undefined} ownProvider - the one package of `layer.ownProvider.layer` allowed.
 */

/**
 * How a dependency is used.
 * @typedef {object} Use
 * @property {"runtime" | "dev"} scope - dev: devDependencies and test files.
 * @property {"dependencies" | "devDependencies" | "peerDependencies" | "optionalDependencies" | "import"} via
 * @property {boolean} optionalPeer - declared in peerDependencies with `optional: true`.
 */

/**
 * A rule broken by one use.
 * @typedef {object} Finding
 * @property {string} rule
 * @property {string} message
 */

/**
 * The layer whose folder globs match a package folder (first match wins).
 * @param {import("./config.mjs").LayersConfig} config
 * @param {string} dir - package folder relative to the workspace root.
 * @returns {import("./config.mjs").LayerRule | undefined}
 */
export function resolveLayer(config, dir) {
  return config.layers.find((layer) => matchesAny(dir, layer.folders));
}

/**
 * Resolves what a package in `layer` at folder `dir` may use.
 * @param {import("./config.mjs").LayerRule} layer
 * @param {string} dir
 * @returns {PackageRules}
 */
export function packageRules(layer, dir) {
  const perFolder = (/** @type {Record<string, string[]> | undefined} */ map) =>
    Object.entries(map ?? {})
      .filter(([glob, list]) => Array.isArray(list) && matchesGlob(dir, glob))
      .flatMap(([, list]) => list);
  const folderName = dir.split("/").pop() ?? dir;
  return {
    layer,
    allow: [...(layer.allow ?? []), ...perFolder(layer.packageAllow)],
    optionalPeers: layer.optionalPeers ?? [],
    vendorSdks: perFolder(layer.vendorSdks),
    ownProvider: layer.ownProvider?.name.replaceAll("{dir}", folderName),
  };
}

/**
 * Context for judging one package's uses.
 * @typedef {object} RuleContext
 * @property {import("./config.mjs").LayersConfig} config
 * @property {string} packageName
 * @property {PackageRules | undefined} rules - undefined when the package has no layer.
 * @property {(name: string) => import("./config.mjs").LayerRule | null | undefined} workspaceLayer -
 *   undefined: not a workspace package; null: a workspace package without a layer.
 */

/**
 * Judges one use of package `target` by the package in `ctx`.
 * @param {RuleContext} ctx
 * @param {string} target - a package name (not a builtin, not the package itself).
 * @param {Use} use
 * @returns {Finding | null}
 */
export function judgeUse(ctx, target, use) {
  const { config, rules } = ctx;
  if (!rules) return null;
  const { layer } = rules;
  const targetLayer = ctx.workspaceLayer(target);
  const isWorkspace = targetLayer !== undefined;

  const restricted = isWorkspace ? undefined : config.restrictedExternals[target];
  if (restricted && !(restricted.layers ?? []).includes(layer.name) && !(restricted.packages ?? []).includes(ctx.packageName)) {
    return { rule: RULES.externalNotAllowed, message: `${target} is restricted: ${restricted.reason}` };
  }
  if (layer.allowAnything) return null;

  if (use.scope === "dev") {
    if (matchesAny(target, config.anyPackageDevDependencies) || matchesAny(target, config.devTooling)) return null;
  }

  if (matchesAny(target, rules.vendorSdks)) {
    if (use.scope === "dev" || use.via === "import" || use.optionalPeer) return null;
    return {
      rule: RULES.vendorSdkNotOptionalPeer,
      message: `vendor SDK ${target} must be an optional peer (peerDependencies + peerDependenciesMeta optional: true), not in ${describeVia(use)}`,
    };
  }
  if (matchesAny(target, rules.optionalPeers)) {
    if (use.scope === "dev" || use.via === "import" || use.optionalPeer) return null;
    return {
      rule: RULES.notOptionalPeer,
      message: `${target} may be only an optional peer of ${layer.name} packages, not in ${describeVia(use)}`,
    };
  }

  if (matchesAny(target, rules.allow) || target === rules.ownProvider) return null;

  const allowed = describeAllowed(rules);
  if (!isWorkspace) {
    return { rule: RULES.externalNotAllowed, message: `${target} is not allowed in ${layer.name}; allowed: ${allowed}` };
  }
  if (targetLayer === null) {
    return { rule: RULES.layerNotAllowed, message: `${target} belongs to no layer; ${layer.name} packages may depend on ${allowed}` };
  }
  if (layer.ownProvider && targetLayer.name === layer.ownProvider.layer) {
    return {
      rule: RULES.wrongProviderForLane,
      message: `${layer.name} may use only their own ${targetLayer.name} package (${rules.ownProvider}), not ${target}`,
    };
  }
  if (layer.forbidSiblings && targetLayer.name === layer.name) {
    return { rule: RULES.siblingExtension, message: `${layer.name} never depend on one another` };
  }
  if (targetLayer.rank > layer.rank) {
    return {
      rule: RULES.outwardDependency,
      message: `${layer.name} (rank ${layer.rank}) may not depend on ${targetLayer.name} (rank ${targetLayer.rank}); allowed: ${allowed}`,
    };
  }
  return {
    rule: RULES.layerNotAllowed,
    message: `${layer.name} (rank ${layer.rank}) may not depend on ${targetLayer.name} (rank ${targetLayer.rank}); allowed: ${allowed}`,
  };
}

/**
 * @param {PackageRules} rules
 * @returns {string}
 */
function describeAllowed(rules) {
  const names = [...rules.allow];
  if (rules.ownProvider) names.push(rules.ownProvider);
  for (const peer of [...rules.optionalPeers, ...rules.vendorSdks]) names.push(`${peer} (optional peer)`);
  return names.length === 0 ? "nothing" : names.join(", ");
}

/**
 * @param {Use} use
 * @returns {string}
 */
function describeVia(use) {
  return use.via === "peerDependencies" ? "a required peer" : use.via;
}
