import type { AsmEvent } from "@asm/contract";
import { AsmError } from "@asm/contract";
import type { Sink } from "./sink.js";

/**
 * Receives each event with its rendered text; `event` is `null` for the renderer's header and
 * footer. May be async: rendering waits for it, and a throw stops the stream.
 */
export type RenderCallback = (event: AsmEvent | null, text: string) => void | Promise<void>;

/**
 * Hands every event and its rendered text to a function (to forward to a UI, a socket, a log).
 *
 * @example
 * ```ts
 * const lines: string[] = [];
 * await renderStream(events, { sinks: [callbackSink((_event, text) => void lines.push(text))] });
 * ```
 */
export function callbackSink(callback: RenderCallback): Sink {
  if (typeof callback !== "function") {
    throw new AsmError("config_invalid", "callbackSink needs a function (event, text) => void", { details: { sink: "callback" } });
  }
  return {
    name: "callback",
    async write(text) {
      if (text !== "") await callback(null, text);
    },
    async writeEvent(event, text) {
      await callback(event, text);
    },
  };
}
