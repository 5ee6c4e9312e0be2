// Loads the recorded transcripts next to this file (see README.md).
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));

/** One recorded run. */
export interface Transcript {
  name: string;
  stdout: string;
  lines: string[];
  stderr: string;
  exitCode: number | null;
}

/** Every transcript name in this directory. */
export const TRANSCRIPTS = [
  "text",
  "tool",
  "error-401",
  "error-500",
  "items",
  "reconnect",
  "error-429",
  "error-quota",
  "structured",
  "oss-notice",
  "no-git-check",
  "interrupted",
  "resume",
] as const;

/** Reads one transcript. */
export function loadTranscript(name: (typeof TRANSCRIPTS)[number]): Transcript {
  const stdout = readFileSync(join(here, `${name}.jsonl`), "utf8");
  const exit = readFileSync(join(here, `${name}.exit`), "utf8").trim();
  return {
    name,
    stdout,
    lines: stdout.split("\n").filter((line) => line !== ""),
    stderr: readFileSync(join(here, `${name}.stderr.txt`), "utf8"),
    exitCode: /^\d+$/.test(exit) ? Number(exit) : null,
  };
}
