// Test-only loaders for the fixture files next to this module.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { payloadSchemas, type BackendEvent, type ExitInfo, type ProfileParser } from "@asm/contract";

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

/** Names of the recorded Amp error transcripts. */
export const RECORDED = ["error-401", "error-500", "error-no-actor-gateway"] as const;
/** Names of the synthetic streams. */
export const SYNTHETIC = [
  "text",
  "tool",
  "thinking",
  "error-result",
  "error-max-turns",
  "legacy",
  "legacy-failed",
  "legacy-cancelled",
] as const;

export interface Transcript {
  stdout: string;
  stderr: string;
  exitCode: number;
}

export function recorded(name: (typeof RECORDED)[number]): Transcript {
  return {
    stdout: readFileSync(here(`./recorded/${name}.jsonl`), "utf8"),
    stderr: readFileSync(here(`./recorded/${name}.stderr.txt`), "utf8"),
    exitCode: Number(readFileSync(here(`./recorded/${name}.exit`), "utf8").trim()),
  };
}

export function synthetic(name: (typeof SYNTHETIC)[number]): string {
  return readFileSync(here(`./synthetic/${name}.jsonl`), "utf8");
}

/** Complete lines of a stdout capture (the trailing newline does not make an extra line). */
export function linesOf(stdout: string): string[] {
  if (stdout === "") return [];
  const lines = stdout.split("\n");
  if (lines.at(-1) === "") lines.pop();
  return lines;
}

/** Feeds stdout lines, then stderr, then the exit, as the kernel does. */
export function replay(parser: ProfileParser, transcript: Partial<Transcript> & { stdout: string }): BackendEvent[] {
  const events: BackendEvent[] = [];
  for (const line of linesOf(transcript.stdout)) events.push(...parser.line(line));
  if (transcript.stderr !== undefined) events.push(...parser.stderr(transcript.stderr));
  events.push(...parser.exit(exitInfo(events, transcript.exitCode ?? 0, transcript.stderr ?? "")));
  return events;
}

export function exitInfo(events: BackendEvent[], exitCode: number | null, stderrTail = "", signal: string | null = null): ExitInfo {
  return { exitCode, signal, stderrTail, outcomeSeen: events.some(isOutcome) };
}

export function isOutcome(event: BackendEvent): boolean {
  if (event.kind === "result") return true;
  if (event.kind !== "error") return false;
  const severity = event.payload.severity ?? "error";
  return severity === "error" || severity === "fatal";
}

/** Throws when an event's payload does not satisfy the contract's schema for its kind. */
export function assertValidPayloads(events: BackendEvent[]): void {
  for (const event of events) {
    const parsed = payloadSchemas[event.kind].safeParse(event.payload);
    if (!parsed.success) throw new Error(`invalid ${event.kind} payload: ${JSON.stringify(event.payload)}`);
  }
}
