import { backendEvent, type AsmEvent, type BackendEvent, type BackendSession, type ProviderBackend, type QueuedEventIterator } from "@asm/contract";
import { fakeEvents, fakeProvider } from "@asm/testkit";
import { describe, expect, it } from "vitest";
import { createAsm } from "../src/index.js";

// A backend whose event iterator also hands over queued events without a promise: the kernel
// takes bursts that way, in order, and still stops at the outcome and returns the iterator.

interface Calls {
  next: number;
  takeQueued: number;
  returned: number;
}

/** A backend that queues `burst` at once (as a CLI's stdout chunk does), then ends. */
function burstBackend(burst: BackendEvent[], calls: Calls): ProviderBackend {
  return {
    specificationVersion: "v1",
    name: "burst",
    start(): Promise<BackendSession> {
      const queue = [...burst];
      const iterator: QueuedEventIterator = {
        next: () => {
          calls.next += 1;
          const value = queue.shift();
          return Promise.resolve(value === undefined ? { value: undefined, done: true } : { value, done: false });
        },
        takeQueued: () => {
          calls.takeQueued += 1;
          return queue.shift();
        },
        return: () => {
          calls.returned += 1;
          queue.length = 0;
          return Promise.resolve({ value: undefined, done: true });
        },
      };
      return Promise.resolve({
        events: () => ({ [Symbol.asyncIterator]: () => iterator }),
        sendInput: () => Promise.resolve(),
        endInput: () => Promise.resolve(),
        interrupt: () => Promise.resolve(),
        close: () => Promise.resolve(),
        respondToApproval: () => Promise.resolve(),
        info: () => ({ runtime: "burst", session: {}, observability: {} }) as unknown as ReturnType<BackendSession["info"]>,
      });
    },
  };
}

async function run(burst: BackendEvent[]): Promise<{ events: AsmEvent[]; calls: Calls }> {
  const calls: Calls = { next: 0, takeQueued: 0, returned: 0 };
  const provider = { ...fakeProvider([]), coreBackend: burstBackend(burst, calls) };
  const asm = createAsm({ providers: [provider] });
  const session = await asm.startSession({ provider: provider.name });
  const events: AsmEvent[] = [];
  for await (const event of session.stream("go")) events.push(event);
  await asm.dispose();
  return { events, calls };
}

const deltas = (count: number) => Array.from({ length: count }, (_, i) => backendEvent("assistant_delta", { content: `part ${i} ` }));

describe("a burst of queued backend events", () => {
  it("is delivered whole and in order, taken without a promise per event", async () => {
    const { events, calls } = await run([...deltas(50), fakeEvents.result("done")]);
    expect(events.filter((event) => event.kind === "assistant_delta").map((event) => event.payload.content)).toEqual(deltas(50).map((event) => event.payload.content));
    expect(events.map((event) => event.sequence)).toEqual(events.map((_, i) => i));
    expect(events.at(-1)?.kind).toBe("run_completed");
    expect(calls.next).toBe(1);
    expect(calls.takeQueued).toBe(50);
  });

  it("stops at the outcome: what is queued after it is not delivered, and the iterator is returned", async () => {
    const { events, calls } = await run([...deltas(3), fakeEvents.result("done"), ...deltas(5)]);
    expect(events.filter((event) => event.kind === "assistant_delta")).toHaveLength(3);
    expect(events.filter((event) => event.kind === "result")).toHaveLength(1);
    expect(events.filter((event) => event.kind === "run_completed")).toHaveLength(1);
    expect(calls.returned).toBe(1);
  });

  it("ends with an error outcome when the burst ends without one, waiting with next() when nothing is queued", async () => {
    const { events, calls } = await run(deltas(4));
    expect(events.filter((event) => event.kind === "assistant_delta")).toHaveLength(4);
    expect(events.find((event) => event.kind === "error")?.payload).toMatchObject({ code: "transport_error" });
    expect(calls.next).toBe(2);
    expect(calls.returned).toBe(0);
  });
});
