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
  /** The consumer's wait: called once, `true` for an item or the end, `false` for its timeout. */
  private wake: ((woke: boolean) => void) | undefined;
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
      this.notify(true);
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
    this.notify(true);
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
    this.notify(true);
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

  /** True once the queue is closed and everything queued has been taken: no item will come. */
  get ended(): boolean {
    return this.closed && this.items.length === 0;
  }

  /**
   * Calls `wake` once, without a promise: with `true` when an item arrives or the queue closes,
   * with `false` when `timeoutMs` passes first. One wait at a time (the single consumer's); a
   * consumer that waits once per item passes the same function every time, so a wait allocates
   * nothing.
   */
  waitForItem(timeoutMs: number, wake: (woke: boolean) => void): void {
    const deadline = Number.isFinite(timeoutMs) ? performance.now() + timeoutMs : Number.POSITIVE_INFINITY;
    this.wake = wake;
    this.waitDeadline = deadline;
    if (Number.isFinite(deadline)) this.armTimer(deadline);
  }

  private notify(woke: boolean): void {
    const wake = this.wake;
    if (wake === undefined) return;
    this.wake = undefined;
    wake(woke);
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
    if (this.wake === undefined || !Number.isFinite(this.waitDeadline)) return;
    if (performance.now() >= this.waitDeadline) this.notify(false);
    else this.armTimer(this.waitDeadline);
  }
}
