import { describe, expect, it } from "vitest";
import { AsyncQueue } from "./async-queue.js";

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

// How a consumer reads the queue (as a run stream does): take what is queued, else wait once.
async function next<T>(queue: AsyncQueue<T>, timeoutMs = Number.POSITIVE_INFINITY): Promise<{ done: false; value: T } | { done: true } | "timeout"> {
  for (;;) {
    const value = queue.take();
    if (value !== undefined) return { done: false, value };
    if (queue.ended) return { done: true };
    if (!(await new Promise<boolean>((resolve) => queue.waitForItem(timeoutMs, resolve)))) return "timeout";
  }
}

describe("AsyncQueue", () => {
  it("times out a wait on an empty queue and delivers items pushed in time", async () => {
    const queue = new AsyncQueue<number>();
    expect(await next(queue, 30)).toBe("timeout");
    setTimeout(() => void queue.push(1), 10);
    expect(await next(queue, 1_000)).toEqual({ done: false, value: 1 });
  });

  it("never times out a consumer that keeps getting items within the timeout", async () => {
    const queue = new AsyncQueue<number>();
    const producer = (async () => {
      for (let i = 0; i < 20; i++) {
        await sleep(5);
        await queue.push(i);
      }
      queue.close();
    })();
    const seen: number[] = [];
    for (;;) {
      const item = await next(queue, 60);
      expect(item).not.toBe("timeout");
      if (item === "timeout" || item.done) break;
      seen.push(item.value);
    }
    await producer;
    expect(seen).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it("a long wait after many short ones still times out at its own deadline", async () => {
    const queue = new AsyncQueue<number>();
    for (let i = 0; i < 5; i++) {
      setTimeout(() => void queue.push(i), 2);
      await next(queue, 10_000);
    }
    expect(await next(queue, 40)).toBe("timeout");
  });

  it("blocks producers at capacity and releases them when the consumer abandons", async () => {
    const queue = new AsyncQueue<number>(2);
    await queue.push(1);
    await queue.push(2);
    let third = false;
    const pending = Promise.resolve(queue.push(3)).then(() => (third = true));
    await sleep(20);
    expect(third).toBe(false);
    expect(await next(queue)).toEqual({ done: false, value: 1 });
    await pending;
    expect(third).toBe(true);
    // Full again (2, 3): the next push waits until the consumer abandons the queue.
    const blocked = queue.push(4);
    queue.abandon();
    await blocked;
    await queue.push(5);
    expect(queue.size).toBe(0);
  });

  it("drains queued items after close, then ends", async () => {
    const queue = new AsyncQueue<string>();
    await queue.push("a");
    queue.close();
    await queue.push("late");
    expect(await next(queue)).toEqual({ done: false, value: "a" });
    expect(await next(queue)).toEqual({ done: true });
  });

  it("waitForItem wakes its callback once: on the first of several pushes, on close, or on timeout", async () => {
    const queue = new AsyncQueue<number>();
    const wakes: boolean[] = [];
    queue.waitForItem(1_000, (woke) => wakes.push(woke));
    void queue.push(1);
    void queue.push(2);
    expect(wakes).toEqual([true]);
    expect([queue.take(), queue.take(), queue.take()]).toEqual([1, 2, undefined]);
    queue.waitForItem(20, (woke) => wakes.push(woke));
    await sleep(60);
    expect(wakes).toEqual([true, false]);
    queue.waitForItem(Number.POSITIVE_INFINITY, (woke) => wakes.push(woke));
    expect(queue.ended).toBe(false);
    queue.close();
    expect(wakes).toEqual([true, false, true]);
    expect(queue.ended).toBe(true);
  });
});
