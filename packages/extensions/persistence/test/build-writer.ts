import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { build } from "tsup";

/**
 * Bundles the child processes of the crash and restart tests once (vitest global setup): a plain `.mjs` starts in a
 * fraction of the time `node --import tsx` needs, which matters at 50 kills per store. It is
 * written inside the package so that `better-sqlite3` and `pg` resolve from its node_modules.
 */
export default async function setup(): Promise<void> {
  const outDir = fileURLToPath(new URL("../node_modules/.cache/crash-writer/", import.meta.url));
  mkdirSync(outDir, { recursive: true });
  await build({
    entry: {
      "crash-writer": fileURLToPath(new URL("./__fixtures__/crash-writer.ts", import.meta.url)),
      "restart-host": fileURLToPath(new URL("./__fixtures__/restart-host.ts", import.meta.url)),
    },
    outDir,
    format: ["esm"],
    platform: "node",
    target: "node20",
    bundle: true,
    splitting: false,
    dts: false,
    clean: false,
    silent: true,
    config: false,
    external: ["better-sqlite3", "pg"],
    noExternal: [/^@asm\//, /^(?!better-sqlite3$|pg$)[a-z]/],
    outExtension: () => ({ js: ".mjs" }),
    // Bundled CommonJS dependencies (execa's) require Node's built-in modules.
    banner: { js: 'import { createRequire as __createRequire } from "node:module"; const require = __createRequire(import.meta.url);' },
    esbuildOptions(options) {
      options.conditions = ["@asm/source"];
    },
  });
}
