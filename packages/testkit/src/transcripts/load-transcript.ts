import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { AsmError, isOutcomeEvent, type BackendEvent, type ExitInfo, type ProfileParser } from "@asm/contract";

/**
 * One recorded CLI run, as stored next to a provider's tests: `<name>.jsonl` (stdout),
 * `<name>.exit` (the exit code, or `signal SIGTERM`), and optionally `<name>.stderr.txt` and
 * `<name>.stdin.jsonl` (what was written to the CLI's stdin).
 */
export interface Transcript {
  name: string;
  /** The whole stdout, as recorded. */
  stdout: string;
  /** Stdout lines without their newline; a final newline makes no extra empty line. */
  lines: string[];
  /** The whole stderr (empty when there is no `.stderr.txt`). */
  stderr: string;
  /** The exit code, or `null` when the process was killed by a signal. */
  exitCode: number | null;
  /** The signal that killed the process, or `null` when it exited. */
  signal: string | null;
  /** Non-empty lines written to the CLI's stdin (empty when there is no `.stdin.jsonl`). */
  stdin: string[];
}

/** How a recorded exit reads: `0`, `145`, `signal SIGTERM` (or `SIGTERM` alone). */
export interface RecordedExit {
  exitCode: number | null;
  signal: string | null;
}

/**
 * Reads an exit status as recorded next to transcripts. Throws `AsmError("parse_error")` for
 * anything else, so a broken fixture fails loudly instead of giving `NaN`.
 */
export function parseRecordedExit(text: string, source = "exit status"): RecordedExit {
  const value = text.trim();
  if (/^\d{1,3}$/.test(value) && Number(value) <= 255) return { exitCode: Number(value), signal: null };
  const signal = /^(?:signal\s+)?(SIG[A-Z0-9]+)$/.exec(value);
  if (signal?.[1] !== undefined) return { exitCode: null, signal: signal[1] };
  throw new AsmError("parse_error", `${source}: expected an exit code (0–255) or "signal SIGNAME", got ${JSON.stringify(text)}`);
}

function folderPath(dir: string | URL): string {
  return dir instanceof URL ? fileURLToPath(dir) : dir;
}

function readOptional(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

/** The lines of a recorded stream: split on `\n`, a trailing `\r` dropped, no extra final line. */
export function linesOf(text: string): string[] {
  if (text === "") return [];
  const lines = text.split("\n").map((line) => (line.endsWith("\r") ? line.slice(0, -1) : line));
  if (lines.at(-1) === "") lines.pop();
  return lines;
}

/**
 * Loads the recorded run `name` from the folder `dir` (a path or a `file:` URL, such as
 * `new URL("./__fixtures__/", import.meta.url)`). The `.jsonl` and `.exit` files are required;
 * a missing one, or an exit file that is neither a code nor a signal, throws.
 *
 * @example
 * ```ts
 * const transcript = loadTranscript(new URL("./__fixtures__/", import.meta.url), "error-401");
 * for (const line of transcript.lines) events.push(...parser.line(line));
 * events.push(...parser.exit(exitInfoOf(transcript)));
 * ```
 */
export function loadTranscript(dir: string | URL, name: string): Transcript {
  const folder = folderPath(dir);
  const stdout = readOptional(join(folder, `${name}.jsonl`));
  if (stdout === undefined) throw new AsmError("config_invalid", `no transcript ${name} in ${folder} (missing ${name}.jsonl)`);
  const exitText = readOptional(join(folder, `${name}.exit`));
  if (exitText === undefined) throw new AsmError("config_invalid", `transcript ${name} in ${folder} has no ${name}.exit`);
  const { exitCode, signal } = parseRecordedExit(exitText, `${name}.exit`);
  return {
    name,
    stdout,
    lines: linesOf(stdout),
    stderr: readOptional(join(folder, `${name}.stderr.txt`)) ?? "",
    exitCode,
    signal,
    stdin: linesOf(readOptional(join(folder, `${name}.stdin.jsonl`)) ?? "").filter((line) => line !== ""),
  };
}

/** The names of every transcript in `dir` (each `.jsonl` but the `.stdin.jsonl` files), sorted. */
export function transcriptNames(dir: string | URL): string[] {
  return readdirSync(folderPath(dir))
    .filter((file) => file.endsWith(".jsonl") && !file.endsWith(".stdin.jsonl"))
    .map((file) => file.slice(0, -".jsonl".length))
    .sort();
}

/** The `ExitInfo` a parser is given at the end of a transcript, as the core lane reports it. */
export function exitInfoOf(transcript: Pick<Transcript, "exitCode" | "signal" | "stderr">, outcomeSeen = false): ExitInfo {
  return { exitCode: transcript.exitCode, signal: transcript.signal, stderrTail: transcript.stderr, outcomeSeen };
}

/**
 * Feeds a transcript to a parser the way the core lane does: every stdout line, the stderr in one
 * chunk, then `exit()` with `outcomeSeen` computed from what came out. Returns every event.
 */
export function feedTranscript(parser: ProfileParser, transcript: Pick<Transcript, "lines" | "stderr" | "exitCode" | "signal">): BackendEvent[] {
  const events: BackendEvent[] = [];
  for (const line of transcript.lines) events.push(...parser.line(line));
  if (transcript.stderr !== "") events.push(...parser.stderr(transcript.stderr));
  events.push(...parser.exit(exitInfoOf(transcript, events.some(isOutcomeEvent))));
  return events;
}
