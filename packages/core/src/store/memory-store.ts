import type { AsmEvent } from "@asm/contract";
import type { EventStore } from "./event-store.js";

/** An in-memory {@link EventStore}. Appends are idempotent by event id across all sessions. */
export class MemoryStore implements EventStore {
  private readonly bySession = new Map<string, AsmEvent[]>();
  private readonly ids = new Map<string, string>();

  append(event: AsmEvent): Promise<void> {
    if (!this.ids.has(event.id)) {
      this.ids.set(event.id, event.sessionId);
      const events = this.bySession.get(event.sessionId) ?? [];
      events.push(event);
      this.bySession.set(event.sessionId, events);
    }
    return Promise.resolve();
  }

  appendBatch(events: readonly AsmEvent[]): Promise<void> {
    for (const event of events) void this.append(event);
    return Promise.resolve();
  }

  list(sessionId: string): Promise<AsmEvent[]> {
    return Promise.resolve([...(this.bySession.get(sessionId) ?? [])]);
  }

  sessionIds(): Promise<string[]> {
    return Promise.resolve([...this.bySession.keys()]);
  }

  reset(sessionId: string): Promise<void> {
    for (const event of this.bySession.get(sessionId) ?? []) this.ids.delete(event.id);
    this.bySession.delete(sessionId);
    return Promise.resolve();
  }
}
