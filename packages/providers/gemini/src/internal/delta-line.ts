import { NativeLine } from "@asm/contract";
import { decodeJsonString, JSON_STRING_SOURCE, UNCAPTURED_PLAIN_STRING_SOURCE } from "@asm/provider-utils";

// A streamed Gemini reply is mostly `message` lines of the assistant with `delta: true`, printed
// by Gemini CLI in one fixed layout. Such a line is read here straight from its text: the
// expression accepts only that exact layout (keys in Gemini CLI's order, none twice, every string
// well formed), so a line it accepts is valid JSON and means what the parsed line would. Any other
// line goes the usual way.
const DELTA_LINE = new RegExp(
  String.raw`^\{"type":"message","timestamp":${UNCAPTURED_PLAIN_STRING_SOURCE},"role":"assistant","content":(${JSON_STRING_SOURCE}),"delta":true\}$`,
);

/** A delta line nests one level: the line itself. */
const DELTA_DEPTH = 1;

/** What an assistant delta line says. */
export interface DeltaLine {
  /** The fragment (possibly empty). */
  content: string;
  /** The line itself, kept as text, for the event's raw. */
  line: NativeLine;
}

/** The fields of an assistant `message` delta line in Gemini CLI's own layout, else `undefined`. */
export function readDeltaLine(text: string): DeltaLine | undefined {
  const match = DELTA_LINE.exec(text);
  if (match === null) return undefined;
  return { content: decodeJsonString(match[1] as string), line: new NativeLine(text, DELTA_DEPTH) };
}
