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
  /** The ticket of every event that goes straight into this batch (one object per batch, not per event). */
  ticket: StoreTicket;
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
  return { events: [], done, resolve, reject, ticket: { accepted: undefined, acknowledged: done } };
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
  /** The batches being written (at most two, for a store with pipelined appends), oldest first. */
  private readonly inFlight: Batch[] = [];
  /**
   * Events of failed batches, and of events still waiting for room. Only these need a lookup of
   * their own: an event in the buffer or in flight is found in its batch, and one written is
   * acknowledged. (A per-event map of promises cost more than the rest of the writer.)
   */
  private readonly remembered = new WeakMap<AsmEvent, Promise<void>>();
  private handOverScheduled = false;
  /** Batches in flight at most: two for a store that takes appends in call order, else one. */
  private readonly depth: number;

  constructor(
    readonly store: EventStore,
    private readonly capacity = DEFAULT_STORE_BUFFER,
  ) {
    this.depth = store.pipelinedAppends === true && store.appendBatch !== undefined ? 2 : 1;
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
      this.push(event);
      return this.buffer.ticket;
    }
    let acknowledged!: Promise<void>;
    const accepted = new Promise<void>((resolve) =>
      this.waitingForRoom.push(() => {
        this.push(event);
        acknowledged = this.buffer.done;
        resolve();
      }),
    );
    // The ticket's promise follows the batch the event lands in once it has room.
    const ticket = accepted.then(() => acknowledged);
    ticket.catch(() => undefined);
    this.remembered.set(event, ticket);
    return { accepted, acknowledged: ticket };
  }

  private push(event: AsmEvent): void {
    this.buffer.events.push(event);
    this.scheduleHandOver();
  }

  /** The pending acknowledgement of `event`, if this writer holds it (waiting, buffered, in flight or failed). */
  private pending(event: AsmEvent): Promise<void> | undefined {
    const remembered = this.remembered.get(event);
    if (remembered !== undefined) return remembered;
    // Searched from the end: a caller asks about an event it was just delivered.
    if (this.buffer.events.lastIndexOf(event) >= 0) return this.buffer.done;
    for (const batch of this.inFlight) if (batch.events.lastIndexOf(event) >= 0) return batch.done;
    return undefined;
  }

  /**
   * Whether this writer holds `event`: waiting for room, buffered, being written, or in a batch
   * that failed. An event it wrote is no longer held (its acknowledgement is settled).
   */
  knows(event: AsmEvent): boolean {
    return this.pending(event) !== undefined;
  }

  /** The acknowledgement of an event handed to this writer (resolved once written, or for an event it never saw). */
  acknowledged(event: AsmEvent): Promise<void> {
    return this.pending(event) ?? Promise.resolve();
  }

  /** Resolves when every event handed over so far is acknowledged or failed. */
  async flush(): Promise<void> {
    while (this.buffer.events.length > 0 || this.inFlight.length > 0 || this.waitingForRoom.length > 0) {
      const last = this.buffer.events.length > 0 || this.inFlight.length === 0 ? this.buffer.done : (this.inFlight.at(-1) as Batch).done;
      await last.catch(() => undefined);
    }
  }

  // The buffer goes to the store as one batch once the current tick's events have joined it, and
  // whenever a batch in flight completes: one batch at a time, or two for a store that takes
  // appends in call order (it serializes the next while it commits the previous).
  private scheduleHandOver(): void {
    if (this.handOverScheduled) return;
    this.handOverScheduled = true;
    queueMicrotask(() => {
      this.handOverScheduled = false;
      this.handOver();
    });
  }

  private handOver(): void {
    if (this.buffer.events.length === 0 || this.inFlight.length >= this.depth) return;
    const batch = this.buffer;
    this.inFlight.push(batch);
    this.buffer = newBatch();
    // Room again: the longest-waiting events move into the buffer, in order.
    for (const admit of this.waitingForRoom.splice(0, this.capacity)) admit();
    void this.writeBatch(batch).then(() => this.scheduleHandOver());
  }

  /** Writes one batch and settles its promise; never rejects. */
  private async writeBatch(batch: Batch): Promise<void> {
    try {
      if (this.store.appendBatch) await this.store.appendBatch(batch.events);
      else for (const event of batch.events) await this.store.append(event);
      batch.resolve();
    } catch (error) {
      batch.reject(asStoreError(error, batch.events.length));
      // A failure stays answerable for each of its events after the batch is gone.
      for (const event of batch.events) this.remembered.set(event, batch.done);
    }
    this.inFlight.splice(this.inFlight.indexOf(batch), 1);
  }
}
