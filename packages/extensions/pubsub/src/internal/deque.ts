// A FIFO with O(1) push and shift at both ends (the broadcaster drops from either end).
export class Deque<T> {
  private items: (T | undefined)[] = [];
  private head = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  push(item: T): void {
    this.items.push(item);
  }

  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head];
    this.items[this.head++] = undefined;
    // Compact now and then so the backing array does not grow without bound.
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }

  pop(): T | undefined {
    if (this.length === 0) return undefined;
    return this.items.pop();
  }

  take(max: number): T[] {
    const out: T[] = [];
    while (out.length < max && this.length > 0) out.push(this.shift() as T);
    return out;
  }

  clear(): T[] {
    return this.take(this.length);
  }
}
