import { AsmError, isAsmError, type AsmEvent, type EventStore } from "@asm/contract";

/** Default room of a {@link StoreWriter}'s buffer, in events. */
const DEFAULT_STORE_BUFFER = 1024;

/** What handing one event to the writer gives back. */
export interface StoreTicket {
  /** Undefined when the event is in the buffer already; else resolves once there is room. */
  accepted: Promise<void> | undefined;
  /**
   * Resolves when the store acknowledged the event; rejects with `AsmError("store_unavailable")`.
   * Events written together share one promise.
   */
  acknowledged: Promise<void>;
}

/** One batch being gathered: its events and the one promise that settles for all of them. */
interface Batch {
  events: AsmEvent[];
  done: Promise<void>;
  resolve: () => void;
  reject: (error: AsmError) => void;
}

function newBatch(): Batch {
  let resolve!: () => void;
  let reject!: (error: AsmError) => void;
  const done = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // Whoever asks later (acknowledged()) gets the outcome; nobody asking is not an unhandled rejection.
  done.catch(() => undefined);
  return { events: [], done, resolve, reject };
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
  private buffer: Batch = newBatch();
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
    return this.buffer.events.length;
  }

  /** Hands an event to the store. */
  write(event: AsmEvent): StoreTicket {
    if (this.buffer.events.length < this.capacity && this.waitingForRoom.length === 0) {
      return { accepted: undefined, acknowledged: this.push(event) };
    }
    let acknowledged!: Promise<void>;
    const accepted = new Promise<void>((resolve) =>
      this.waitingForRoom.push(() => {
        acknowledged = this.push(event);
        resolve();
      }),
    );
    // The ticket's promise follows the batch the event lands in once it has room.
    const ticket = accepted.then(() => acknowledged);
    ticket.catch(() => undefined);
    this.tickets.set(event, ticket);
    return { accepted, acknowledged: ticket };
  }

  private push(event: AsmEvent): Promise<void> {
    this.buffer.events.push(event);
    this.tickets.set(event, this.buffer.done);
    this.draining ??= this.drain();
    return this.buffer.done;
  }

  /** Whether \`event\` was handed to this writer. */
  knows(event: AsmEvent): boolean {
    return this.tickets.has(event);
  }

  /** The acknowledgement of an event handed to this writer (resolved for an event it never saw). */
  acknowledged(event: AsmEvent): Promise<void> {
    return this.tickets.get(event) ?? Promise.resolve();
  }

  /** Resolves when every event handed over so far is acknowledged or failed. */
  async flush(): Promise<void> {
    while (this.draining) await this.draining;
  }

  private async drain(): Promise<void> {
    // Let the events of this tick join the first batch.
    await Promise.resolve();
    while (this.buffer.events.length > 0) {
      const batch = this.buffer;
      this.buffer = newBatch();
      // Room again: the longest-waiting events move into the buffer, in order.
      for (const admit of this.waitingForRoom.splice(0, this.capacity)) admit();
      try {
        if (this.store.appendBatch) await this.store.appendBatch(batch.events);
        else for (const event of batch.events) await this.store.append(event);
        batch.resolve();
      } catch (error) {
        batch.reject(asStoreError(error, batch.events.length));
      }
    }
    this.draining = undefined;
  }
}
