/**
 * A bounded single-consumer queue. `push` resolves once there is room, so a slow consumer slows
 * the producer (and, through it, the CLI's stdout) instead of growing memory without bound.
 */
export class AsyncQueue<T> {
  private readonly items: T[] = [];
  private closed = false;
  private abandoned = false;
  private waitingConsumer: (() => void) | undefined;
  private readonly waitingProducers: Array<() => void> = [];

  constructor(private readonly capacity = 256) {}

  /** Number of items waiting. */
  get size(): number {
    return this.items.length;
  }

  /** Adds an item, waiting while the queue is full. Items pushed after `close` are dropped. */
  async push(item: T): Promise<void> {
    while (this.items.length >= this.capacity && !this.closed && !this.abandoned) {
      await new Promise<void>((resolve) => this.waitingProducers.push(resolve));
    }
    if (this.closed || this.abandoned) return;
    this.items.push(item);
    this.waitingConsumer?.();
  }

  /**
   * The consumer is gone: drop everything queued and every later push, and release waiting
   * producers, so a producer never blocks on a queue nobody reads.
   */
  abandon(): void {
    this.abandoned = true;
    this.items.length = 0;
    for (const wake of this.waitingProducers.splice(0)) wake();
  }

  /** No more items will come; the consumer drains what is queued and then sees the end. */
  close(): void {
    this.closed = true;
    this.waitingConsumer?.();
    for (const wake of this.waitingProducers.splice(0)) wake();
  }

  /** Next item, or `undefined` at the end. Resolves `"timeout"` when `timeoutMs` passes first. */
  async next(timeoutMs = Number.POSITIVE_INFINITY): Promise<{ done: false; value: T } | { done: true } | "timeout"> {
    while (this.items.length === 0) {
      if (this.closed) return { done: true };
      const woke = await new Promise<boolean>((resolve) => {
        const timer = Number.isFinite(timeoutMs) ? setTimeout(() => resolve(false), timeoutMs) : undefined;
        this.waitingConsumer = () => {
          if (timer) clearTimeout(timer);
          resolve(true);
        };
      });
      this.waitingConsumer = undefined;
      if (!woke) return "timeout";
    }
    const value = this.items.shift() as T;
    this.waitingProducers.shift()?.();
    return { done: false, value };
  }
}
