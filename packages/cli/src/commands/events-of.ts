import type { AsmEvent } from "@asm/contract";

/** Stored or replayed events as the stream the renderer reads. */
export function eventsOf(events: readonly AsmEvent[]): AsyncIterable<AsmEvent> {
  return {
    [Symbol.asyncIterator]: () => {
      let index = 0;
      return { next: () => Promise.resolve(index < events.length ? { done: false, value: events[index++]! } : { done: true, value: undefined }) };
    },
  };
}
