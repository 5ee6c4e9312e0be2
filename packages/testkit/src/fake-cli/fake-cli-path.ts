import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { AsmError } from "@asm/contract";

let cached: string | undefined;

/**
 * Absolute path of the fake CLI script (`bin/fake-cli.mjs`, executable, `#!/usr/bin/env node`).
 * Works from the sources and from the built package.
 *
 * @example
 * ```ts
 * const run = await backend.start({ ...config, backendOptions: { cliPath: fakeCliPath(), env: fakeCliEnv({ mode: "hang" }) } });
 * ```
 */
export function fakeCliPath(): string {
  if (cached !== undefined) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 4; depth += 1) {
    const candidate = join(dir, "bin", "fake-cli.mjs");
    if (existsSync(candidate)) {
      cached = candidate;
      return candidate;
    }
    dir = dirname(dir);
  }
  throw new AsmError("cli_not_found", "bin/fake-cli.mjs not found next to @asm/testkit");
}
