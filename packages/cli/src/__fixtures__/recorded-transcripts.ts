import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** Real CLI transcripts, copied into this package (the folder's README says where they came from). */
export const TRANSCRIPTS_DIR = join(dirname(fileURLToPath(import.meta.url)), "cli-transcripts");

/** The CLIs the folder holds transcripts of. */
export const TRANSCRIPT_PROVIDERS = ["claude", "codex", "gemini", "amp"] as const;

/** One recorded run: the files beside each other in the provider's folder. */
export interface RecordedTranscript {
  provider: string;
  name: string;
  /** `<provider>/<name>`. */
  key: string;
  /** The stdout file (`<name>.jsonl`). */
  stdout: string;
  /** The stderr file, when one was recorded. */
  stderr: string | undefined;
  /** The exit-status file (`<name>.exit`) and what it says. */
  exitFile: string;
  exit: string;
}

/** Every recorded run of every provider, in name order; an empty list when the folder is missing. */
export function recordedTranscripts(): RecordedTranscript[] {
  if (!existsSync(TRANSCRIPTS_DIR)) return [];
  const found: RecordedTranscript[] = [];
  for (const provider of TRANSCRIPT_PROVIDERS) {
    const dir = join(TRANSCRIPTS_DIR, provider);
    for (const file of readdirSync(dir).filter((name) => name.endsWith(".jsonl") && !name.endsWith(".stdin.jsonl")).sort()) {
      const name = file.slice(0, -".jsonl".length);
      const stderr = join(dir, `${name}.stderr.txt`);
      const exitFile = join(dir, `${name}.exit`);
      found.push({
        provider,
        name,
        key: `${provider}/${name}`,
        stdout: join(dir, file),
        stderr: existsSync(stderr) ? stderr : undefined,
        exitFile,
        exit: readFileSync(exitFile, "utf8").trim(),
      });
    }
  }
  return found;
}
