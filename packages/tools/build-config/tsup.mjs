// One build shape for every published package: ESM only, declarations, sourcemaps.
// A package's tsup.config.ts is a single call to `defineAsmConfig`.
import { defineConfig } from "tsup";

/**
 * Builds the tsup configuration shared by all `@asm/*` packages.
 * @param {import("tsup").Options} [overrides] - per-package additions (extra entries, banners).
 * @returns {import("tsup").Options}
 */
export function defineAsmConfig(overrides = {}) {
  return defineConfig({
    entry: ["src/index.ts"],
    format: ["esm"],
    target: "node20",
    platform: "node",
    dts: true,
    sourcemap: true,
    clean: true,
    splitting: false,
    treeshake: true,
    ...overrides,
  });
}
