interface Pending<T> {
  items: readonly T[];
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Coalesces concurrent appends into one write: every call made while a write is in flight joins
 * the next one, so a store commits one transaction per burst instead of one per event. Writes run
 * one at a time (one writer), in call order; each call resolves once the write that carried its
 * items has committed, or rejects with that write's error.
 */
export class Batcher<T> {
  private queue: Array<Pending<T>> = [];
  private running = false;

  constructor(
    private readonly write: (items: readonly T[]) => Promise<void> | void,
    private readonly maxItems = 1000,
    /**
     * Wait for a macrotask turn before each write, so that events produced meanwhile (the next
     * chunk of a CLI's output) join it. For a store whose write blocks the event loop (a
     * synchronous SQLite commit), nothing could join the write otherwise.
     */
    private readonly gather = false,
  ) {}

  /** Queues `items` (kept together, in order) and resolves when they are committed. */
  add(items: readonly T[]): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ items, resolve, reject });
      if (!this.running) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.running = true;
    // Let callers of the same tick join the first write.
    await Promise.resolve();
    while (this.queue.length > 0) {
      if (this.gather) await new Promise((resolve) => setImmediate(resolve));
      const taken: Array<Pending<T>> = [];
      let count = 0;
      while (this.queue.length > 0 && (taken.length === 0 || count + this.queue[0]!.items.length <= this.maxItems)) {
        const next = this.queue.shift()!;
        taken.push(next);
        count += next.items.length;
      }
      try {
        await this.write(taken.flatMap((entry) => entry.items));
        for (const entry of taken) entry.resolve();
      } catch (error) {
        for (const entry of taken) entry.reject(error);
      }
    }
    this.running = false;
  }
}
