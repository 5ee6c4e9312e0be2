import { AsmError, createEvent, type AsmEvent, type EventStore } from "@asm/contract";
import { fakeEvents } from "@asm/testkit";
import { describe, expect, it } from "vitest";
import { MemoryStore, sessionIndex } from "../src/index.js";
import { collect, kinds, rejectsWithCode, setup, sleep, until } from "./helpers.js";

/** A MemoryStore whose writes wait until the gate is opened (a slow or stalled store). */
class GatedStore extends MemoryStore {
  private gate: Promise<void>;
  open!: () => void;
  batches = 0;
  constructor() {
    super();
    this.gate = new Promise((resolve) => (this.open = resolve));
  }
  override async appendBatch(events: readonly AsmEvent[]): Promise<void> {
    await this.gate;
    this.batches++;
    await super.appendBatch(events);
  }
}

/** A store that fails every write (a full disk). */
class FailingStore extends MemoryStore {
  override append(): Promise<void> {
    return Promise.reject(Object.assign(new Error("no space left on device"), { code: "ENOSPC" }));
  }
  override appendBatch(): Promise<void> {
    return this.append();
  }
}

const deltas = (count: number) => [...Array.from({ length: count }, (_unused, index) => ({ emit: fakeEvents.delta(`d${index} `) })), { emit: fakeEvents.result("ok") }];

describe("store writer", () => {
  it("delivers events before the store has them; run_completed comes once the store has the rest", async () => {
    const store = new GatedStore();
    const { asm } = setup(deltas(5), {}, { store });
    const session = await asm.startSession({ provider: "fake" });
    const iterator = session.stream("hi")[Symbol.asyncIterator]();
    const seen: AsmEvent[] = [];
    while (!seen.some((event) => event.kind === "result")) seen.push((await iterator.next()).value as AsmEvent);
    // Every event up to the outcome reached the consumer while the store had taken none of them.
    expect(await store.list(session.id)).toEqual([]);
    let completed = false;
    const rest = (async () => {
      for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
        seen.push(next.value);
        if (next.value.kind === "run_completed") completed = true;
      }
    })();
    await sleep(20);
    // The run says how it ended only after the store acknowledged (or failed) everything before.
    expect(completed).toBe(false);
    store.open();
    await rest;
    expect(kinds(seen).at(-1)).toBe("run_completed");
    expect((await store.list(session.id)).map((event) => event.id)).toEqual(seen.map((event) => event.id));
    for (const event of seen) await expect(asm.acknowledged(event)).resolves.toBeUndefined();
    // Events that arrived while the store was blocked were written together.
    expect(store.batches).toBeLessThan(seen.length);
  });

  it("pauses delivery when its buffer is full, and drops nothing", async () => {
    const store = new GatedStore();
    const { asm } = setup(deltas(40), {}, { store, storeBuffer: 3 });
    const session = await asm.startSession({ provider: "fake" });
    const seen: AsmEvent[] = [];
    const done = (async () => {
      for await (const event of session.stream("hi")) seen.push(event);
    })();
    await until(() => seen.length > 0);
    await sleep(50);
    // Bounded: the buffer (3), the batch in the store and the run's own queue hold the rest back.
    expect(seen.length).toBeLessThan(40);
    store.open();
    await done;
    expect(kinds(seen).filter((kind) => kind === "assistant_delta")).toHaveLength(40);
    expect((await store.list(session.id)).map((event) => event.id)).toEqual(seen.map((event) => event.id));
  });

  it("fails the run with store_unavailable when the store cannot take an event", async () => {
    const store = new FailingStore();
    const { asm } = setup([{ emit: fakeEvents.delta("a") }, { delayMs: 50 }, { emit: fakeEvents.result("never") }], {}, { store });
    const session = await asm.startSession({ provider: "fake" });
    const events = await collect(session.stream("hi"));
    const completed = events.at(-1)!;
    expect(completed.kind).toBe("run_completed");
    expect(completed.payload).toMatchObject({ status: "failed", error: { code: "store_unavailable" } });
    expect(events.filter((event) => event.kind === "run_completed")).toHaveLength(1);
    const error = await rejectsWithCode(asm.acknowledged(events[0]!), "store_unavailable");
    expect(error.reason).toMatch(/no space left/);
    await rejectsWithCode(session.query("again"), "store_unavailable");
  });

  it("hands a store with pipelined appends its next batch while one is being written, never a third, in order", async () => {
    /** Counts batches in flight; each write waits for its own release. */
    class PipelinedStore extends MemoryStore {
      readonly pipelinedAppends = true;
      inFlight = 0;
      peak = 0;
      readonly releases: Array<() => void> = [];
      override async appendBatch(events: readonly AsmEvent[]): Promise<void> {
        this.inFlight++;
        this.peak = Math.max(this.peak, this.inFlight);
        // Applied in call order, acknowledged later: what pipelinedAppends promises.
        await super.appendBatch(events);
        await new Promise<void>((resolve) => this.releases.push(resolve));
        this.inFlight--;
      }
    }
    const store = new PipelinedStore();
    const { asm } = setup(deltas(200), {}, { store, storeBuffer: 8 });
    const session = await asm.startSession({ provider: "fake" });
    const seen: AsmEvent[] = [];
    const done = (async () => {
      for await (const event of session.stream("hi")) seen.push(event);
    })();
    await until(() => store.inFlight === 2);
    await sleep(20);
    expect(store.inFlight).toBe(2);
    // Release writes as they come until the run is over.
    const releasing = setInterval(() => store.releases.shift()?.(), 1);
    await done;
    clearInterval(releasing);
    expect(store.peak).toBe(2);
    expect((await store.list(session.id)).map((event) => event.id)).toEqual(seen.map((event) => event.id));
    for (const event of seen) await expect(asm.acknowledged(event)).resolves.toBeUndefined();
  });

  it("hands a store without pipelined appends one batch at a time", async () => {
    const store = new GatedStore();
    let inFlight = 0;
    let peak = 0;
    const original = store.appendBatch.bind(store);
    store.appendBatch = async (events) => {
      peak = Math.max(peak, ++inFlight);
      await original(events);
      inFlight--;
    };
    const { asm } = setup(deltas(50), {}, { store, storeBuffer: 4 });
    const done = collect(asm.stream("fake", "hi"));
    await until(() => inFlight === 1);
    await sleep(20);
    store.open();
    await done;
    expect(peak).toBe(1);
  });

  it("refuses a storeBuffer that is not a positive integer", () => {
    expect(() => setup(deltas(1), {}, { store: new MemoryStore(), storeBuffer: 0 })).toThrow(AsmError);
  });
});

function stored(kind: "run_started" | "assistant_delta" | "run_completed" | "result" | "cost_update", payload: unknown, runId: string, sequence: number, providerSessionId: string | null = "ps-1"): AsmEvent {
  return createEvent({ kind, payload: payload as never, runId, sessionId: "s-restore", provider: "fake", sequence, providerSessionId, metadata: { lane: "core" } }) as AsmEvent;
}

/** A session as a host that died mid-run left it: run r1 finished, run r2 in flight. */
async function diedMidRun(store: EventStore): Promise<void> {
  for (const event of [
    stored("run_started", {}, "r1", 0),
    stored("cost_update", { inputTokens: 7, outputTokens: 3, costUsd: 0.25, mode: "increment" }, "r1", 1),
    stored("result", { text: "first" }, "r1", 2),
    stored("run_completed", { status: "completed" }, "r1", 3),
    stored("run_started", {}, "r2", 0, "ps-2"),
    stored("assistant_delta", { content: "half" }, "r2", 1, "ps-2"),
  ]) {
    await store.append(event);
  }
}

describe("restoreSession", () => {
  it("rebuilds the session, ends the in-flight run once, and resumes the provider session", async () => {
    const store = new MemoryStore();
    await diedMidRun(store);
    const { asm, backend } = setup([{ emit: fakeEvents.result("resumed") }], {}, { store });
    const session = await asm.restoreSession("s-restore");
    expect(session.id).toBe("s-restore");
    expect(session.checkpoint()?.providerSessionId).toBe("ps-2");
    expect(asm.cost(session)).toMatchObject({ inputTokens: 7, outputTokens: 3, costUsd: 0.25 });
    const r2 = (await store.list("s-restore")).filter((event) => event.runId === "r2");
    expect(kinds(r2)).toEqual(["run_started", "assistant_delta", "run_completed"]);
    expect(r2[2]).toMatchObject({ sequence: 2, payload: { status: "interrupted", error: { code: "runtime" } } });
    const result = await session.query("next");
    expect(result.text).toBe("resumed");
    expect(backend.record.starts[0]?.continuation).toEqual({ strategy: "exact", providerSessionId: "ps-2" });
    await asm.dispose();

    // A second restore (another host) finds nothing in flight and writes no second terminal.
    const again = setup([{ emit: fakeEvents.result("x") }], {}, { store });
    await again.asm.restoreSession("s-restore");
    expect((await store.list("s-restore")).filter((event) => event.kind === "run_completed")).toHaveLength(3);
    const [summary] = await sessionIndex(store);
    expect(summary).toMatchObject({ sessionId: "s-restore", provider: "fake", status: "completed", providerSessionId: expect.any(String) });
    expect(summary?.runs.map((run) => run.status)).toEqual(["completed", "interrupted", "completed"]);
    await again.asm.dispose();
  });

  it("writes to the store it was restored from when that is not the runtime's", async () => {
    const own = new MemoryStore();
    await diedMidRun(own);
    const { asm } = setup([{ emit: fakeEvents.result("there") }]);
    const session = await asm.restoreSession("s-restore", { store: own });
    const events = await collect(session.stream("more"));
    await asm.acknowledged(events.at(-1)!);
    expect((await own.list("s-restore")).slice(-events.length).map((event) => event.id)).toEqual(events.map((event) => event.id));
  });

  it("fails closed without a store, for an unknown session and for a live id", async () => {
    const { asm } = setup([{ emit: fakeEvents.result("x") }]);
    await rejectsWithCode(asm.restoreSession("s-restore"), "config_invalid");
    const store = new MemoryStore();
    await rejectsWithCode(asm.restoreSession("nothing", { store }), "not_found");
    await diedMidRun(store);
    await asm.restoreSession("s-restore", { store });
    await rejectsWithCode(asm.restoreSession("s-restore", { store }), "config_invalid");
  });
});
