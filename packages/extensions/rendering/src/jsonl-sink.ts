import { eventToCompactLine, eventToJsonLine } from "./event-json.js";
import { textTarget, type TargetOptions } from "./internal/text-target.js";
import type { Sink } from "./sink.js";

/** Options of {@link jsonlSink}. */
export type JsonlSinkOptions = TargetOptions & {
  /** `full` (default): the whole event envelope; `compact`: time, short kind code, ids, payload. */
  mode?: "full" | "compact";
};

/**
 * Writes one JSON object per event and line; rendered text (header, footer) is not written.
 * `full` lines are the event envelope as `parseEvent` reads it; `compact` lines are
 * `{"t":epochMs,"e":{"k","id","s","r","p"}}` (see {@link eventToCompactLine}).
 *
 * @example
 * ```ts
 * await renderStream(events, { sinks: [ttySink(), jsonlSink({ path: "events.jsonl" })] });
 * ```
 */
export function jsonlSink(options: JsonlSinkOptions): Sink {
  const target = textTarget(options, "jsonl");
  const encode = options.mode === "compact" ? eventToCompactLine : eventToJsonLine;
  return {
    name: "jsonl",
    open: () => target.open(),
    async write() {
      // Rendered text is for people; a JSONL file holds only events.
    },
    async writeEvent(event) {
      await target.write(`${encode(event)}\n`);
    },
    flush: () => target.flush(),
    close: () => target.close(),
  };
}
