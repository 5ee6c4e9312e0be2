import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** A provider's recorded stdout stretched to a benchmark's length. */
export interface RecordedStream {
  /** The lines, without their newlines. */
  lines: string[];
  /** UTF-8 bytes of the lines with their newlines. */
  bytes: number;
}

/**
 * The recorded transcript `__fixtures__/<name>` with its middle lines (everything between the
 * first and the last line) repeated until the stream holds at least `lines` lines: the first
 * line once, the last line (the turn's outcome) once, at the end.
 */
export function recordedStream(name: string, lines: number): RecordedStream {
  const path = fileURLToPath(new URL(`../__fixtures__/${name}`, import.meta.url));
  const recorded = readFileSync(path, "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "");
  const first = recorded[0] as string;
  const last = recorded.at(-1) as string;
  const middle = recorded.slice(1, -1);
  const out = [first];
  while (out.length < lines - 1) out.push(...middle);
  out.push(last);
  return { lines: out, bytes: out.reduce((total, line) => total + Buffer.byteLength(line) + 1, 0) };
}
