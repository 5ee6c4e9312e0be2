import type { AsmEvent } from "@asm/contract";
import type { Broadcaster, PublishOverrides } from "./broadcaster.js";

/**
 * A callback for the rendering extension's `callbackSink((event, text) => …)`: it publishes each
 * rendered event (the header and footer, which have no event, are skipped).
 *
 * @example
 * ```ts
 * await renderStream(stream, { sinks: [ttySink(), callbackSink(eventCallback(broadcaster))] });
 * ```
 */
export function eventCallback(broadcaster: Broadcaster, overrides: PublishOverrides = { source: "callback" }): (event: AsmEvent | null, text: string) => void {
  return (event) => {
    if (event) broadcaster.publish(event, overrides);
  };
}
