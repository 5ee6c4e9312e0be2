/**
 * A bounded single-consumer queue. `push` resolves once there is room, so a slow consumer slows
 * the producer (and, through it, the CLI's stdout) instead of growing memory without bound.
 */
export class AsyncQueue<T> {
  private readonly items: T[] = [];
  private closed = false;
  private abandoned = false;
  private timer: NodeJS.Timeout | undefined;
  private timerDue = 0;
  private waitDeadline = Number.POSITIVE_INFINITY;
  private onWaitTimeout: (() => void) | undefined;
  private waitingConsumer: (() => void) | undefined;
  private readonly waitingProducers: Array<() => void> = [];

  constructor(private readonly capacity = 256) {}

  /** Number of items waiting. */
  get size(): number {
    return this.items.length;
  }

  /**
   * Adds an item. Returns nothing when there was room (the common case, without allocating a
   * promise), or a promise that resolves once the item is queued after the consumer made room.
   * Items pushed after `close` or `abandon` are dropped.
   */
  push(item: T): Promise<void> | undefined {
    if (this.closed || this.abandoned) return undefined;
    if (this.items.length < this.capacity) {
      this.items.push(item);
      this.waitingConsumer?.();
      return undefined;
    }
    return this.pushWhenRoom(item);
  }

  private async pushWhenRoom(item: T): Promise<void> {
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
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.waitingConsumer?.();
    for (const wake of this.waitingProducers.splice(0)) wake();
  }

  /**
   * The next item if one is queued, without waiting (and without a promise); `undefined` when the
   * queue is empty. Items are never `undefined` themselves.
   */
  take(): T | undefined {
    if (this.items.length === 0) return undefined;
    const value = this.items.shift() as T;
    this.waitingProducers.shift()?.();
    return value;
  }

  /** Next item, or `undefined` at the end. Resolves `"timeout"` when `timeoutMs` passes first. */
  async next(timeoutMs = Number.POSITIVE_INFINITY): Promise<{ done: false; value: T } | { done: true } | "timeout"> {
    while (this.items.length === 0) {
      if (this.closed) return { done: true };
      const deadline = Number.isFinite(timeoutMs) ? performance.now() + timeoutMs : Number.POSITIVE_INFINITY;
      const woke = await new Promise<boolean>((resolve) => {
        this.waitingConsumer = () => resolve(true);
        this.waitDeadline = deadline;
        this.onWaitTimeout = () => resolve(false);
        if (Number.isFinite(deadline)) this.armTimer(deadline);
      });
      this.waitingConsumer = undefined;
      this.onWaitTimeout = undefined;
      if (!woke) return "timeout";
    }
    return { done: false, value: this.take() as T };
  }

  // One timer serves every wait: a consumer that keeps up waits on an empty queue once per item,
  // and a timer per wait would be created and cleared for every event. The timer re-arms itself
  // for the current wait's deadline when it fires early, and stops when nobody waits.
  private armTimer(deadline: number): void {
    if (this.timer !== undefined && this.timerDue <= deadline) return;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timerDue = deadline;
    this.timer = setTimeout(() => this.onTimer(), Math.max(0, Math.ceil(deadline - performance.now())));
    this.timer.unref?.();
  }

  private onTimer(): void {
    this.timer = undefined;
    if (this.onWaitTimeout === undefined || !Number.isFinite(this.waitDeadline)) return;
    if (performance.now() >= this.waitDeadline) this.onWaitTimeout();
    else this.armTimer(this.waitDeadline);
  }
}
