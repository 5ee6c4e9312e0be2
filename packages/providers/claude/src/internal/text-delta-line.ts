import { NativeLine } from "@asm/contract";
import { decodeJsonString, JSON_STRING_SOURCE, PLAIN_STRING_SOURCE, UNCAPTURED_PLAIN_STRING_SOURCE } from "@asm/provider-utils";

// Most lines of a streamed reply are one text fragment each, printed by Claude Code in one fixed
// layout. Such a line is read here straight from its text, without parsing the whole line into
// objects nobody reads: the expression accepts only that exact layout (keys in Claude Code's
// order, no key twice, every string well formed), so a line it accepts is valid JSON and means
// what the parsed line would. Any other line, including the same one with a key added, moved or
// written differently, goes the usual way.

const TEXT_DELTA_LINE = new RegExp(
  String.raw`^\{"type":"stream_event","event":\{"type":"content_block_delta","index":(0|[1-9][0-9]{0,14}),` +
    String.raw`"delta":\{"type":"text_delta","text":(${JSON_STRING_SOURCE})\}\},` +
    String.raw`"session_id":${PLAIN_STRING_SOURCE},"parent_tool_use_id":(?:null|${PLAIN_STRING_SOURCE}),"uuid":${UNCAPTURED_PLAIN_STRING_SOURCE}` +
    String.raw`(?:,"api_message_id":${UNCAPTURED_PLAIN_STRING_SOURCE})?\}$`,
);

/** How deeply a text fragment line nests: the line, its `event`, the event's `delta`. */
const TEXT_DELTA_DEPTH = 3;

/** What a text fragment line says. */
export interface TextDeltaLine {
  /** The fragment (possibly empty). */
  text: string;
  /** The content block's index. */
  index: number;
  /** The line's `session_id` (possibly empty). */
  sessionId: string;
  /** The line's `parent_tool_use_id`, when it is a string. */
  parentToolUseId: string | undefined;
  /** The line itself, kept as text, for the event's raw. */
  line: NativeLine;
}

/** The fields of a `stream_event` text fragment line in Claude Code's own layout, else `undefined`. */
export function readTextDeltaLine(text: string): TextDeltaLine | undefined {
  const match = TEXT_DELTA_LINE.exec(text);
  if (match === null) return undefined;
  return {
    text: decodeJsonString(match[2] as string),
    index: Number(match[1]),
    sessionId: match[3] as string,
    parentToolUseId: match[4],
    line: new NativeLine(text, TEXT_DELTA_DEPTH),
  };
}
