import { stripAnsi as removeAnsi } from "./ansi.js";
import { textTarget, type TargetOptions } from "./internal/text-target.js";
import type { Sink } from "./sink.js";

/** Options of {@link fileSink}: a `path` the sink opens and closes, or a `stream` it only writes to. */
export type FileSinkOptions = TargetOptions & {
  /** Remove ANSI codes (default true). */
  stripAnsi?: boolean;
};

/**
 * Writes rendered text to a file, without ANSI colours by default. Given a `path`, the sink
 * opens the file on `open` (truncating unless `append`) and closes it on `close`; given an
 * already-open `stream`, it writes to it and leaves closing to its owner.
 *
 * @example
 * ```ts
 * await renderStream(events, { sinks: [ttySink(), fileSink({ path: "run.log", append: true })] });
 * ```
 */
export function fileSink(options: FileSinkOptions): Sink {
  const strip = options.stripAnsi ?? true;
  const target = textTarget(options, "file");
  return {
    name: "file",
    open: () => target.open(),
    async write(text) {
      if (text !== "") await target.write(strip ? removeAnsi(text) : text);
    },
    flush: () => target.flush(),
    close: () => target.close(),
  };
}
