import { describe, expect, it } from "vitest";
import { isAsmError } from "@asm/contract";
import { EventChannel } from "./event-channel.js";

function channel(highWater: number) {
  const calls: string[] = [];
  const queue = new EventChannel<number>(highWater, {
    onPressure: () => calls.push("pressure"),
    onRelief: () => calls.push("relief"),
    onAbandon: () => calls.push("abandon"),
  });
  return { queue, calls };
}

describe("EventChannel", () => {
  it("delivers in order and ends after the queued items", async () => {
    const { queue } = channel(100);
    queue.push(1);
    queue.push(2);
    queue.end();
    queue.push(3);
    const seen: number[] = [];
    for await (const item of queue.iterable()) seen.push(item);
    expect(seen).toEqual([1, 2]);
  });

  it("hands an item straight to a waiting consumer", async () => {
    const { queue } = channel(100);
    const iterator = queue.iterable()[Symbol.asyncIterator]();
    const next = iterator.next();
    queue.push(7);
    expect(await next).toEqual({ value: 7, done: false });
    const last = iterator.next();
    queue.end();
    expect(await last).toEqual({ value: undefined, done: true });
  });

  it("asks the producer to pause at the high-water mark and to resume at half of it", async () => {
    const { queue, calls } = channel(4);
    for (let index = 0; index < 4; index += 1) queue.push(index);
    expect(calls).toEqual(["pressure"]);
    expect(queue.isPressured).toBe(true);
    const iterator = queue.iterable()[Symbol.asyncIterator]();
    await iterator.next();
    expect(calls).toEqual(["pressure"]);
    await iterator.next();
    expect(calls).toEqual(["pressure", "relief"]);
    expect(queue.peakSize).toBe(4);
  });

  it("hands over queued items without a promise, in the order next() would, and resumes the producer as next() does", async () => {
    const { queue, calls } = channel(4);
    for (let index = 0; index < 5; index += 1) queue.push(index);
    const iterator = queue.iterable()[Symbol.asyncIterator]() as AsyncIterator<number> & { takeQueued(): number | undefined };
    expect(await iterator.next()).toEqual({ value: 0, done: false });
    expect(iterator.takeQueued()).toBe(1);
    expect(calls).toEqual(["pressure"]);
    expect(iterator.takeQueued()).toBe(2);
    expect(calls).toEqual(["pressure", "relief"]);
    expect(await iterator.next()).toEqual({ value: 3, done: false });
    expect(iterator.takeQueued()).toBe(4);
    expect(iterator.takeQueued()).toBeUndefined();
    const waiting = iterator.next();
    queue.push(5);
    expect(await waiting).toEqual({ value: 5, done: false });
    queue.end();
    expect(iterator.takeQueued()).toBeUndefined();
    expect(await iterator.next()).toEqual({ value: undefined, done: true });
  });

  it("reports an abandoned iteration and refuses a second one", async () => {
    const { queue, calls } = channel(2);
    queue.push(1);
    queue.push(2);
    for await (const item of queue.iterable()) {
      expect(item).toBe(1);
      break;
    }
    expect(calls).toEqual(["pressure", "relief", "abandon"]);
    const again = queue.iterable()[Symbol.asyncIterator]().next();
    await expect(again).rejects.toSatisfy((error: unknown) => isAsmError(error) && error.code === "runtime");
  });
});
