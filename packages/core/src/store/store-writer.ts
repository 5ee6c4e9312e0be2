import { AsmError, isAsmError, type AsmEvent, type EventStore } from "@asm/contract";

/** Default room of a {@link StoreWriter}'s buffer, in events. */
const DEFAULT_STORE_BUFFER = 1024;

/** What handing one event to the writer gives back. */
export interface StoreTicket {
  /** Resolves when the event is in the buffer: at once, unless the buffer is full. */
  accepted: Promise<void>;
  /** Resolves when the store acknowledged the event; rejects with `AsmError("store_unavailable")`. */
  acknowledged: Promise<void>;
}

interface Entry {
  event: AsmEvent;
  resolve: () => void;
  reject: (error: AsmError) => void;
}

function asStoreError(error: unknown, count: number): AsmError {
  if (isAsmError(error) && error.code === "store_unavailable") return error;
  return new AsmError("store_unavailable", `the event store failed to append ${count} event(s): ${error instanceof Error ? error.message : String(error)}`, { cause: error });
}

/**
 * Appends a runtime's events to its store off the delivery path. Events wait in a bounded buffer
 * (in delivery order, at most `capacity` besides the batch being written) while the store writes
 * the previous batch, and go to the store as one
 * `appendBatch` (or `append` after `append`). A run hands an event over and carries on, so a slow
 * store does not hold up the CLI's output, until the buffer is full: then `accepted` waits for
 * room, which pauses the run's delivery and, through its bounded queue, the reading of the CLI's
 * stdout (back-pressure, never a dropped event). A failed append rejects `acknowledged` of every
 * event it carried with `AsmError("store_unavailable")`.
 */
export class StoreWriter {
  private buffer: Entry[] = [];
  private readonly waitingForRoom: Array<() => void> = [];
  private readonly tickets = new WeakMap<AsmEvent, Promise<void>>();
  private draining: Promise<void> | undefined;

  constructor(
    readonly store: EventStore,
    private readonly capacity = DEFAULT_STORE_BUFFER,
  ) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new AsmError("config_invalid", "storeBuffer must be an integer >= 1", { details: { key: "storeBuffer" } });
    }
  }

  /** Events waiting for the store. */
  get buffered(): number {
    return this.buffer.length;
  }

  /** Hands an event to the store. */
  write(event: AsmEvent): StoreTicket {
    let entry!: Entry;
    const acknowledged = new Promise<void>((resolve, reject) => {
      entry = { event, resolve, reject };
    });
    // Whoever asks later (acknowledged()) gets the outcome; nobody asking is not an unhandled rejection.
    acknowledged.catch(() => undefined);
    this.tickets.set(event, acknowledged);
    if (this.buffer.length < this.capacity && this.waitingForRoom.length === 0) {
      this.push(entry);
      return { accepted: Promise.resolve(), acknowledged };
    }
    const accepted = new Promise<void>((resolve) =>
      this.waitingForRoom.push(() => {
        this.push(entry);
        resolve();
      }),
    );
    return { accepted, acknowledged };
  }

  private push(entry: Entry): void {
    this.buffer.push(entry);
    this.draining ??= this.drain();
  }

  /** The acknowledgement of an event handed to this writer (resolved for an event it never saw). */
  acknowledged(event: AsmEvent): Promise<void> {
    return this.tickets.get(event) ?? Promise.resolve();
  }

  /** Whether `event` was handed to this writer. */
  knows(event: AsmEvent): boolean {
    return this.tickets.has(event);
  }

  /** Resolves when every event handed over so far is acknowledged or failed. */
  async flush(): Promise<void> {
    while (this.draining) await this.draining;
  }

  private async drain(): Promise<void> {
    // Let the events of this tick join the first batch.
    await Promise.resolve();
    while (this.buffer.length > 0) {
      const batch = this.buffer;
      this.buffer = [];
      // Room again: the longest-waiting events move into the buffer, in order.
      for (const admit of this.waitingForRoom.splice(0, this.capacity)) admit();
      try {
        const events = batch.map((entry) => entry.event);
        if (this.store.appendBatch) await this.store.appendBatch(events);
        else for (const event of events) await this.store.append(event);
        for (const entry of batch) entry.resolve();
      } catch (error) {
        const failure = asStoreError(error, batch.length);
        for (const entry of batch) entry.reject(failure);
      }
    }
    this.draining = undefined;
  }
}
