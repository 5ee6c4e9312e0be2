import type { Writable } from "node:stream";
import { stripAnsi } from "./ansi.js";
import { writeChunk } from "./internal/stream-writer.js";
import type { Sink } from "./sink.js";

/** Options of {@link ttySink}. */
export interface TtySinkOptions {
  /** The stream to write to (default `process.stdout`); it is never closed by the sink. */
  stream?: Writable & { isTTY?: boolean };
  /**
   * Strip ANSI codes: `true`, `false`, or `"auto"` (the default: strip when the stream is not a
   * terminal or `NO_COLOR` is set).
   */
  stripAnsi?: boolean | "auto";
}

/**
 * Writes rendered text to a terminal (or any writable stream), waiting for `drain` when the
 * stream is slow.
 *
 * @example
 * ```ts
 * await renderStream(events, { sinks: [ttySink()] });
 * ```
 */
export function ttySink(options: TtySinkOptions = {}): Sink {
  const stream = options.stream ?? process.stdout;
  const mode = options.stripAnsi ?? "auto";
  const strip = mode === "auto" ? stream.isTTY !== true || (process.env.NO_COLOR ?? "") !== "" : mode;
  return {
    name: "tty",
    async write(text: string): Promise<void> {
      if (text === "") return;
      await writeChunk(stream, strip ? stripAnsi(text) : text);
    },
  };
}
