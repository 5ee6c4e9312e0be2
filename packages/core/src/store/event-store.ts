import type { AsmEvent } from "@asm/contract";

/**
 * Where events are kept for replay. Appends are idempotent by event id, so a retried append never
 * duplicates an event.
 */
export interface EventStore {
  /** Stores an event (no-op when its id is already stored). */
  append(event: AsmEvent): Promise<void>;
  /** A session's events in insertion order. */
  list(sessionId: string): Promise<AsmEvent[]>;
  /** Forgets a session's events (their ids may then be appended again). */
  reset(sessionId: string): Promise<void>;
}
