import type { AsmEvent } from "@asm/contract";

/**
 * Where rendered output goes. `renderStream` calls `open` once, then for every event
 * `writeEvent(event, text)` when the sink has it (event-aware sinks: JSONL, callbacks) or
 * `write(text)` otherwise, `write` for the renderer's header and footer, and finally `flush` and
 * `close` — also after a failure, so every sink releases what it holds.
 */
export interface Sink {
  /** Name used in error messages. */
  readonly name: string;
  /** Prepares the sink (opens a file). */
  open?(): void | Promise<void>;
  /** Writes rendered text (may be called with an empty string only by custom callers). */
  write(text: string): void | Promise<void>;
  /** Receives each event with its rendered text; replaces `write` for events when present. */
  writeEvent?(event: AsmEvent, text: string): void | Promise<void>;
  /** Pushes buffered output out. */
  flush?(): void | Promise<void>;
  /** Releases the sink's resources; must be safe to call once after any failure. */
  close?(): void | Promise<void>;
}
