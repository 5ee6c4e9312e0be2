import { accessSync, constants, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

/** The claude-code version this project pins for its demo and tests. */
export const DEMO_CLAUDE_VERSION = "2.1.329";

/** The pinned `claude` binary installed with this package, if present. */
export interface ClaudeBinary {
  path: string;
  version: string;
}

/**
 * Finds the `claude` binary of the `@anthropic-ai/claude-code` package installed next to this
 * one (a dev dependency of `@asm/cli`); null when it is missing or not executable.
 */
export function findClaudeBinary(): ClaudeBinary | null {
  try {
    const require = createRequire(import.meta.url);
    const manifestPath = require.resolve("@anthropic-ai/claude-code/package.json");
    const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as { version?: string };
    const path = join(dirname(manifestPath), "bin", "claude.exe");
    accessSync(path, constants.X_OK);
    return { path, version: manifest.version ?? "unknown" };
  } catch {
    return null;
  }
}
