import { accessSync, constants } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** Where pnpm links the `codex` binary this package pins (@openai/codex). */
const CODEX = join(dirname(fileURLToPath(import.meta.url)), "..", "node_modules", ".bin", "codex");

/** The pinned `codex` binary, or null when it is missing or not executable (the real-CLI gate says why). */
export function pinnedCodexPath(): string | null {
  try {
    accessSync(CODEX, constants.X_OK);
    return CODEX;
  } catch (_error) {
    return null;
  }
}
