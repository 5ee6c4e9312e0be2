import type { AsmError, AsmEvent, BackendEvent } from "@asm/contract";

/** What a plug sees besides the event. */
export interface PlugContext {
  readonly runId: string;
  readonly sessionId: string;
  readonly provider: string;
  /** Per-run state shared by all plugs across events (each plug should use its own key). */
  readonly state: Record<string, unknown>;
}

/**
 * A plug's verdict on one event:
 * - `continue`: pass `event` (possibly a replacement) on to later plugs, then emit `inject` after it;
 * - `halt`: emit `event` and `inject` but skip later plugs;
 * - `drop`: emit nothing for this event (later plugs skipped);
 * - `fail`: end the run with `error` (a terminal `error` event is emitted).
 */
export type PlugResult =
  | { action: "continue"; event: AsmEvent; inject?: BackendEvent[] }
  | { action: "halt"; event: AsmEvent; inject?: BackendEvent[] }
  | { action: "drop" }
  | { action: "fail"; error: AsmError };

/** A synchronous or asynchronous step every event of a run passes through, in order. */
export interface PipelinePlug {
  /** Name used in errors and telemetry. */
  readonly name: string;
  /** Judges one event. Throwing is treated as `fail` with a `runtime` error. */
  handle(event: AsmEvent, context: PlugContext): PlugResult | Promise<PlugResult>;
  /**
   * Sees every event the run delivers, after all plugs and in delivery order, including the
   * events no plug judges (injected events, the kernel's own terminal errors). It is called
   * synchronously and cannot alter, delay or block the event: its return value is ignored, a
   * throw or a rejected promise is swallowed. Treat the event as read-only; do slow work elsewhere.
   */
  observe?(event: AsmEvent, context: PlugContext): void;
}

/** Shorthand for a `continue` verdict. */
export function pass(event: AsmEvent, inject?: BackendEvent[]): PlugResult {
  return inject ? { action: "continue", event, inject } : { action: "continue", event };
}
