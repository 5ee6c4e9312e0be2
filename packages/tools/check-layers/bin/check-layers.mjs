#!/usr/bin/env node
// `pnpm check:layers`: checks the workspace dependency graph against layers.config.json.
// Exit codes: 0 no violations, 1 violations, 2 the check could not run.
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { checkWorkspace } from "../src/check.mjs";
import { formatJson, formatLayers, formatSummary, formatViolation } from "../src/format.mjs";

const USAGE = `usage: check-layers [--root <dir>] [--config <file>] [--json]
  --root <dir>     workspace root holding pnpm-workspace.yaml (default: this repository)
  --config <file>  layer rules (default: <root>/layers.config.json)
  --json           print a JSON report instead of text`;

/**
 * The workspace this tool lives in: the nearest folder above it with a pnpm-workspace.yaml.
 * @returns {string}
 */
function defaultRoot() {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, "pnpm-workspace.yaml"))) {
    const parent = path.dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
  return dir;
}

async function main() {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        root: { type: "string" },
        config: { type: "string" },
        json: { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    console.error(`check:layers: ${/** @type {Error} */ (error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const root = path.resolve(values.root ?? defaultRoot());
  let result;
  try {
    result = await checkWorkspace(root, values.config ? { configPath: path.resolve(values.config) } : {});
  } catch (error) {
    const err = /** @type {Error & { cause?: unknown }} */ (error);
    const cause = err.cause instanceof Error ? ` (${err.cause.message})` : "";
    console.error(`check:layers: ${err.message}${cause}`);
    return 2;
  }
  if (values.json) {
    console.log(formatJson(result));
  } else {
    for (const line of formatLayers(result.layers)) console.log(line);
    for (const violation of result.violations) console.log(formatViolation(violation));
    console.log(formatSummary(result.stats, result.violations.length));
  }
  return result.violations.length === 0 ? 0 : 1;
}

process.exitCode = await main();
