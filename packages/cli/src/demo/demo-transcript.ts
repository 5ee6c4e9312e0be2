import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { AsmError } from "@asm/contract";

/** File name of the recorded demo transcript, in the package's `transcripts/` folder. */
const DEMO_TRANSCRIPT = "demo-claude.jsonl";

/** Absolute path of the recorded demo transcript, from the sources or the built package. */
export function demoTranscriptPath(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 5; depth += 1) {
    const candidate = join(dir, "transcripts", DEMO_TRANSCRIPT);
    if (existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  throw new AsmError("config_invalid", `transcripts/${DEMO_TRANSCRIPT} not found next to @asm/cli`);
}
