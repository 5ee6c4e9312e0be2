import type { AsmEvent, EventKind } from "@asm/contract";

/** Counts a renderer reports in its footer and `renderStream` returns. */
export interface RenderStats {
  /** Events rendered (every event consumed, including omitted kinds). */
  eventCount: number;
  /** `tool_use` events seen. */
  toolCount: number;
}

/**
 * Turns events into text. A renderer is stateful (it knows whether streamed text is open, which
 * tools ran) and is used for one stream; create a fresh one per stream with its factory.
 */
export interface Renderer {
  /** Name used in error messages. */
  readonly name: string;
  /** Text written before the first event (may be empty). */
  init?(): string;
  /** The text for one event (may be empty). */
  render(event: AsmEvent): string;
  /** Text written after the last event: closes open text and prints the footer. */
  finish(stats: RenderStats): string;
  /**
   * Text written instead of {@link finish} when the stream failed (an interrupted run, a limit
   * hit, a broken sink): ends an open text line so whatever the caller prints next (a summary, an
   * error) starts on its own line. No footer.
   */
  abort?(): string;
}

/** Options shared by the built-in renderers. */
export interface RendererOptions {
  /** ANSI colours (default true). Sinks that write plain text strip them anyway. */
  color?: boolean;
  /** Longest preview of a message, tool input or result, in characters (default 240). */
  previewChars?: number;
  /** Event kinds to leave out of the output (they are still counted). */
  omit?: readonly EventKind[];
  /** Print the footer line (default true). */
  footer?: boolean;
}
