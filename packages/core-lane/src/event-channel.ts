import { AsmError } from "@asm/contract";

/** Callbacks through which an {@link EventChannel} asks its producer to pause and resume. */
export interface EventChannelHooks {
  /** Queued items reached the high-water mark: stop producing. */
  onPressure(): void;
  /** The consumer caught up (queue at half the mark or less): produce again. */
  onRelief(): void;
  /** The consumer stopped iterating early (`break`, `return`). */
  onAbandon(): void;
}

/**
 * A single-consumer async queue with a high-water mark. The producer pushes synchronously; when
 * the queue holds `highWater` items it is told to pause (the core lane then stops reading the
 * CLI's stdout, so the pipe fills and the CLI blocks on write instead of ASM buffering without
 * bound). Items are delivered in push order.
 */
export class EventChannel<T> {
  private items: T[] = [];
  private head = 0;
  private waiting: ((result: IteratorResult<T>) => void) | null = null;
  private ended = false;
  private pressured = false;
  private iterated = false;
  private peak = 0;

  constructor(
    private readonly highWater: number,
    private readonly hooks: EventChannelHooks,
  ) {}

  /** Items queued and not yet taken. */
  get size(): number {
    return this.items.length - this.head;
  }

  /** The largest number of items ever queued at once. */
  get peakSize(): number {
    return this.peak;
  }

  /** Whether the producer is currently asked to pause. */
  get isPressured(): boolean {
    return this.pressured;
  }

  /** Adds an item (ignored after {@link end}). */
  push(item: T): void {
    if (this.ended) return;
    const waiting = this.waiting;
    if (waiting !== null) {
      this.waiting = null;
      waiting({ value: item, done: false });
      return;
    }
    this.items.push(item);
    if (this.size > this.peak) this.peak = this.size;
    if (!this.pressured && this.size >= this.highWater) {
      this.pressured = true;
      this.hooks.onPressure();
    }
  }

  /** No more items: the consumer finishes once it has taken what is queued. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    const waiting = this.waiting;
    if (waiting !== null && this.size === 0) {
      this.waiting = null;
      waiting({ value: undefined, done: true });
    }
  }

  private take(): T | undefined {
    if (this.size === 0) return undefined;
    const item = this.items[this.head] as T;
    this.items[this.head] = undefined as T;
    this.head += 1;
    // Compact once the consumed prefix dominates, so taking stays O(1) amortized.
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    if (this.pressured && this.size <= Math.floor(this.highWater / 2)) {
      this.pressured = false;
      this.hooks.onRelief();
    }
    return item;
  }

  /**
   * The channel as an async iterable; it may be iterated once. Its iterator also has
   * `takeQueued()`, the next queued item without a promise (`undefined` when none is queued).
   */
  iterable(): AsyncIterable<T> {
    return {
      [Symbol.asyncIterator]: (): AsyncIterator<T> & { takeQueued?(): T | undefined } => {
        if (this.iterated) return failingIterator<T>();
        this.iterated = true;
        return {
          takeQueued: () => this.take(),
          next: () => {
            if (this.size > 0) return Promise.resolve({ value: this.take() as T, done: false });
            if (this.ended) return Promise.resolve({ value: undefined, done: true });
            return new Promise<IteratorResult<T>>((resolve) => {
              this.waiting = resolve;
            });
          },
          return: () => {
            if (!this.ended) this.hooks.onAbandon();
            this.items = [];
            this.head = 0;
            this.ended = true;
            if (this.pressured) {
              this.pressured = false;
              this.hooks.onRelief();
            }
            return Promise.resolve({ value: undefined, done: true });
          },
        };
      },
    };
  }
}

function failingIterator<T>(): AsyncIterator<T> {
  return {
    next: () => Promise.reject(new AsmError("runtime", "a run's events can be iterated only once")),
  };
}
