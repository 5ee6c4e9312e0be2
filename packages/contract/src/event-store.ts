import type { AsmEvent } from "./event.js";

/**
 * Where events are kept for replay. Appends are idempotent by event id, so a retried append never
 * duplicates an event. An event is **acknowledged** once its `append` (or the `appendBatch` that
 * carried it) has resolved: a durable store promises that an acknowledged event survives a crash
 * of the writer. A store that cannot take an event rejects with `AsmError("store_unavailable")`.
 *
 * It lives in the contract (not the kernel) so that stores and the testkit's conformance suite can
 * be written against it without depending on the kernel.
 */
export interface EventStore {
  /** Stores an event (no-op when its id is already stored). */
  append(event: AsmEvent): Promise<void>;
  /**
   * Stores several events in order, acknowledged together (one transaction or one write where
   * the store can). Optional: writers fall back to `append` one event at a time.
   */
  appendBatch?(events: readonly AsmEvent[]): Promise<void>;
  /** A session's events in insertion order. */
  list(sessionId: string): Promise<AsmEvent[]>;
  /** Forgets a session's events (their ids may then be appended again). */
  reset(sessionId: string): Promise<void>;
  /** Every session id with stored events, oldest first (what a session index lists). Optional. */
  sessionIds?(): Promise<string[]>;
  /** Releases files, locks and connections. Optional; appends after close reject. */
  close?(): Promise<void>;
  /**
   * True when a caller may append again before an earlier append resolved: the store applies
   * appends in call order and resolves each once it is durable. A writer then hands over the next
   * batch while the previous one is being written (serializing one while the other commits).
   * Without it, a writer waits for each batch before the next.
   */
  readonly pipelinedAppends?: boolean;
}
