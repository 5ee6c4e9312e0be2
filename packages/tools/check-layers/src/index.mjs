// Public entry of @asm/check-layers: the check, the rule names, the config loader and formatters.
export { checkWorkspace, lineOfDependency } from "./check.mjs";
export { loadConfig, validateConfig } from "./config.mjs";
export { LayerCheckError } from "./errors.mjs";
export { formatJson, formatSummary, formatViolation } from "./format.mjs";
export { loadWorkspace, parseWorkspacePatterns } from "./load-workspace.mjs";
export { RULES, judgeUse, packageRules, resolveLayer } from "./rules.mjs";
export { classifySpecifier, findImports, listSourceFiles, packageNameOf } from "./scan-imports.mjs";
