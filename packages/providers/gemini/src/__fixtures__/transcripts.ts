// Loads the recorded Gemini CLI transcripts for tests.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const TRANSCRIPTS = [
  "text",
  "tool",
  "error-401",
  "error-500",
  "error-429",
  "resume",
  "tool-denied",
  "no-api-key",
  "untrusted-folder",
  "resume-unknown",
  "interrupted",
  "connection-refused",
] as const;

export type TranscriptName = (typeof TRANSCRIPTS)[number];

export interface Transcript {
  name: TranscriptName;
  stdout: string;
  lines: string[];
  stderr: string;
  exitCode: number;
}

export function loadTranscript(name: TranscriptName): Transcript {
  const read = (suffix: string): string => readFileSync(fileURLToPath(new URL(`./${name}${suffix}`, import.meta.url)), "utf8");
  const stdout = read(".jsonl");
  return {
    name,
    stdout,
    lines: stdout.split("\n").filter((line) => line !== ""),
    stderr: read(".stderr.txt"),
    exitCode: Number(read(".exit").trim()),
  };
}
