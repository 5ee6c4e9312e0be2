import type { AsmEvent } from "@asm/contract";
import type { EventStore } from "./event-store.js";

/** An in-memory {@link EventStore}. Appends are idempotent by event id across all sessions. */
export class MemoryStore implements EventStore {
  private readonly bySession = new Map<string, AsmEvent[]>();
  private readonly ids = new Map<string, string>();

  append(event: AsmEvent): Promise<void> {
    this.add(event, undefined);
    return Promise.resolve();
  }

  appendBatch(events: readonly AsmEvent[]): Promise<void> {
    // Consecutive events of one session share one lookup of its list.
    let list: AsmEvent[] | undefined;
    for (const event of events) list = this.add(event, list);
    return Promise.resolve();
  }

  /** Adds `event` unless its id is known; `list` is the previous event's session list, reused when it matches. */
  private add(event: AsmEvent, list: AsmEvent[] | undefined): AsmEvent[] | undefined {
    if (this.ids.has(event.id)) return list;
    this.ids.set(event.id, event.sessionId);
    let events = list !== undefined && list[0]?.sessionId === event.sessionId ? list : this.bySession.get(event.sessionId);
    if (events === undefined) {
      events = [];
      this.bySession.set(event.sessionId, events);
    }
    events.push(event);
    return events;
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
