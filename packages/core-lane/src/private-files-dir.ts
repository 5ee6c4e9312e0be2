import { mkdirSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { AsmError } from "@asm/contract";

/** Write permission for the group or for others. */
const GROUP_OR_OTHER_WRITE = 0o022;

/**
 * The folder for run files a CLI reads only from a secure path: `given`, else
 * `$XDG_RUNTIME_DIR/asm`, else `~/.cache/asm`, created 0700. It and every folder above it must
 * be writable by their owner only; otherwise → `AsmError("config_invalid")`, because the CLI
 * would skip the file without a word and the run would lose what it configures.
 */
export function privateFilesParent(given: string | undefined): string {
  const runtimeDir = process.env.XDG_RUNTIME_DIR;
  const dir = resolve(given ?? (runtimeDir !== undefined && runtimeDir !== "" ? join(runtimeDir, "asm") : join(homedir(), ".cache", "asm")));
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw new AsmError("config_invalid", `cannot create the private run files folder ${dir}: ${error instanceof Error ? error.message : String(error)}`, {
      details: { key: "privateFilesDir" },
    });
  }
  for (let current = dir; ; current = dirname(current)) {
    if ((statSync(current).mode & GROUP_OR_OTHER_WRITE) !== 0) {
      throw new AsmError("config_invalid", `the private run files folder ${dir} is under ${current}, which other users can write to; set coreLane.privateFilesDir to a folder they cannot`, {
        details: { key: "privateFilesDir", folder: current },
      });
    }
    if (dirname(current) === current) return dir;
  }
}
