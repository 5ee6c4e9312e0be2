import { readFileSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { ExitInfo } from "@asm/contract";

const root = fileURLToPath(new URL(".", import.meta.url));

/** One recorded CLI run. */
export interface Transcript {
  name: string;
  /** Stdout lines (without newlines; a trailing empty line is dropped). */
  lines: string[];
  stderr: string;
  /** Exit code, or null when the process was killed by a signal. */
  exitCode: number | null;
  signal: string | null;
  /** Lines written to the CLI's stdin, when recorded. */
  stdin: string[];
}

/** Loads `<dir>/<name>.*` from this folder. */
export function loadTranscript(dir: "transcripts" | "recorded", name: string): Transcript {
  const read = (ext: string): string | undefined => {
    try {
      return readFileSync(`${root}${dir}/${name}.${ext}`, "utf8");
    } catch {
      return undefined;
    }
  };
  const stdout = read("jsonl");
  if (stdout === undefined) throw new Error(`no transcript ${dir}/${name}`);
  const exit = (read("exit") ?? "0").trim();
  const signal = /^\d+$/.test(exit) ? null : exit.replace(/^signal /, "");
  const split = (text: string) => text.split("\n").filter((line, index, all) => !(line === "" && index === all.length - 1));
  return {
    name,
    lines: stdout === "" ? [] : split(stdout),
    stderr: read("stderr.txt") ?? "",
    exitCode: signal === null ? Number(exit) : null,
    signal,
    stdin: split(read("stdin.jsonl") ?? "").filter((line) => line !== ""),
  };
}

/** Names of every transcript in a folder. */
export function transcriptNames(dir: "transcripts" | "recorded"): string[] {
  return readdirSync(`${root}${dir}`)
    .filter((file) => file.endsWith(".jsonl") && !file.endsWith(".stdin.jsonl"))
    .map((file) => file.slice(0, -".jsonl".length))
    .sort();
}

/** The exit info a transcript ended with, as the kernel would report it. */
export function exitInfoOf(transcript: Transcript, outcomeSeen = false): ExitInfo {
  return { exitCode: transcript.exitCode, signal: transcript.signal, stderrTail: transcript.stderr, outcomeSeen };
}
