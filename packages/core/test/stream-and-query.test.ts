import { isAsmError, type AsmEvent } from "@asm/contract";
import { fakeEvents } from "@asm/testkit";
import { describe, expect, it, vi } from "vitest";
import { finalText, RunStream } from "../src/index.js";
import { collect, kinds, rejectsWithCode, setup, sleep, until } from "./helpers.js";

const okScript = [fakeEvents.started("ps-1"), fakeEvents.delta("O"), fakeEvents.delta("K"), fakeEvents.cost(10, 2, 0.001), fakeEvents.result("OK")].map(
  (emit) => ({ emit }),
);

describe("stream", () => {
  it("is lazy: nothing starts until the first next()", async () => {
    const { asm, backend } = setup(okScript);
    const session = await asm.startSession({ provider: "fake" });
    const stream = session.stream("hi");
    await sleep(20);
    expect(backend.record.starts).toHaveLength(0);
    const events = await collect(stream);
    expect(backend.record.starts).toHaveLength(1);
    expect(events.at(-1)?.kind).toBe("run_completed");
  });

  it("wraps every event in the envelope with a monotonic sequence and lane metadata", async () => {
    const { asm } = setup(okScript);
    const session = await asm.startSession({ provider: "fake" });
    const stream = session.stream("hi");
    const events = await collect(stream);
    expect(kinds(events)).toEqual(["run_started", "session_updated", "assistant_delta", "assistant_delta", "cost_update", "result", "run_completed"]);
    expect(events.map((e) => e.sequence)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    for (const event of events) {
      expect(event.runId).toBe(stream.runId);
      expect(event.sessionId).toBe(session.id);
      expect(event.metadata).toMatchObject({ lane: "core", requestedLane: "auto", preferredLane: "core", laneReason: "sdk_unavailable", laneFallbackReason: null, backend: "fake:fake" });
    }
    expect(events.at(-1)?.payload).toEqual({ status: "completed" });
    expect(events.slice(2).every((e) => e.providerSessionId === "ps-1")).toBe(true);
    expect(finalText(events)).toBe("OK");
  });

  it("emits exactly one run_completed when the backend ends without an outcome", async () => {
    const { asm } = setup([{ emit: fakeEvents.delta("partial") }, { end: true }]);
    const events = await collect(asm.stream("fake", "hi"));
    expect(events.filter((e) => e.kind === "run_completed")).toHaveLength(1);
    const error = events.find((e) => e.kind === "error");
    expect(error?.payload).toMatchObject({ code: "transport_error" });
    expect(events.at(-1)?.payload).toMatchObject({ status: "failed", error: { code: "transport_error" } });
  });

  it("turns a backend start failure into an error event and one run_completed", async () => {
    const { AsmError } = await import("@asm/contract");
    const { asm } = setup([], { startError: new AsmError("cli_not_found", "no claude here") });
    const events = await collect(asm.stream("fake", "hi"));
    expect(kinds(events)).toEqual(["error", "run_completed"]);
    expect(events[0]?.payload).toMatchObject({ code: "cli_not_found", severity: "error" });
  });

  it("drops backend events after the outcome", async () => {
    const { asm } = setup([{ emit: fakeEvents.result("done") }, { emit: fakeEvents.delta("late") }]);
    const events = await collect(asm.stream("fake", "hi"));
    expect(kinds(events)).toEqual(["run_started", "result", "run_completed"]);
  });

  it("breaking out of the loop interrupts and closes the backend", async () => {
    const { asm, backend } = setup([{ emit: fakeEvents.delta("a") }, { hang: true }]);
    const session = await asm.startSession({ provider: "fake" });
    const stream = session.stream("hi");
    for await (const event of stream) if (event.kind === "assistant_delta") break;
    expect(backend.record.interrupts).toEqual([stream.runId]);
    expect(backend.record.closes).toEqual([stream.runId]);
    expect(session.info().activeRuns).toEqual([]);
  });

  it("an interrupt racing a consumer that stops reading signals the backend once", async () => {
    const { asm, backend } = setup([{ emit: fakeEvents.delta("a") }, { hang: true }]);
    const session = await asm.startSession({ provider: "fake" });
    const stream = session.stream("hi");
    const iterator = stream[Symbol.asyncIterator]();
    await iterator.next();
    await Promise.all([asm.interrupt(stream.runId), iterator.return?.()]);
    await stream.admittedRun?.done;
    expect(backend.record.interrupts).toEqual([stream.runId]);
    expect(session.info().activeRuns).toEqual([]);
  });

  it("fires streamTimeoutMs as a timeout error naming the stream watchdog", async () => {
    const { asm, backend } = setup([{ emit: fakeEvents.delta("a") }, { hang: true }]);
    const events = await collect(asm.stream("fake", "hi", { streamTimeoutMs: 50 }));
    const error = events.find((e) => e.kind === "error");
    expect(error?.payload).toMatchObject({ code: "timeout", details: { watchdog: "stream" } });
    expect(events.at(-1)?.payload).toMatchObject({ status: "failed" });
    expect(backend.record.closes).toHaveLength(1);
  });

  it("times out a consumer waiting on an empty queue at the first expiry of streamTimeoutMs", async () => {
    const { asm } = setup([{ emit: fakeEvents.delta("a") }, { hang: true }]);
    const iterator = asm.stream("fake", "hi", { streamTimeoutMs: 1_000 })[Symbol.asyncIterator]();
    let event = await iterator.next();
    while (!event.done && event.value.kind !== "assistant_delta") event = await iterator.next();
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "performance"] });
    try {
      let answer: IteratorResult<AsmEvent> | undefined;
      void iterator.next().then((result) => (answer = result));
      await vi.advanceTimersByTimeAsync(900);
      expect(answer).toBeUndefined();
      await vi.advanceTimersByTimeAsync(200);
      expect(answer?.done ? null : answer?.value.payload).toMatchObject({ code: "timeout", details: { watchdog: "stream", timeoutMs: 1_000 } });
    } finally {
      vi.useRealTimers();
    }
    await iterator.return?.();
  });

  it("hands each event of a paced backend to a consumer that keeps up, once and in order", async () => {
    const script = Array.from({ length: 20 }, (_, index) => [{ emit: fakeEvents.delta(String(index)) }, { delayMs: index % 3 }]).flat();
    const { asm } = setup([...script, { emit: fakeEvents.result("done") }]);
    const iterator = asm.stream("fake", "hi")[Symbol.asyncIterator]();
    const deltas: string[] = [];
    // One next() at a time, each made only after the one before settled: the queue is empty at
    // almost every call, so each waits on its own.
    for (let result = await iterator.next(); !result.done; result = await iterator.next()) {
      if (result.value.kind === "assistant_delta") deltas.push(result.value.payload.content);
    }
    expect(deltas).toEqual(Array.from({ length: 20 }, (_, index) => String(index)));
  });

  it("rejects a non-string prompt on first next() with config_invalid", async () => {
    const { asm } = setup(okScript);
    const session = await asm.startSession({ provider: "fake" });
    await rejectsWithCode(collect(session.stream(42 as unknown as string)), "config_invalid");
  });

  it("answers next() calls made without waiting in order, each event once, then done", async () => {
    const { asm } = setup(okScript);
    const iterator = asm.stream("fake", "hi")[Symbol.asyncIterator]();
    // Ten calls at once, more than there are events: they settle in call order, like a generator's.
    const settled = await Promise.all(Array.from({ length: 10 }, () => iterator.next()));
    const values = settled.filter((r) => !r.done).map((r) => (r.value as { kind: string }).kind);
    expect(values).toEqual(["run_started", "session_updated", "assistant_delta", "assistant_delta", "cost_update", "result", "run_completed"]);
    expect(settled.slice(values.length).every((r) => r.done)).toBe(true);
    expect(await iterator.next()).toEqual({ value: undefined, done: true });
  });

  it("a return() before the first next() starts nothing; after the end it is done at once", async () => {
    const { asm, backend } = setup(okScript);
    const session = await asm.startSession({ provider: "fake" });
    const unused = session.stream("hi")[Symbol.asyncIterator]();
    expect(await unused.return?.()).toEqual({ value: undefined, done: true });
    expect(await unused.next()).toEqual({ value: undefined, done: true });
    expect(backend.record.starts).toHaveLength(0);
    const finished = session.stream("hi")[Symbol.asyncIterator]();
    while (!(await finished.next()).done);
    expect(await finished.return?.()).toEqual({ value: undefined, done: true });
    expect(backend.record.interrupts).toEqual([]);
  });

  it("a return() made while a next() waits is answered after it: the event, then done, the run interrupted once", async () => {
    const { asm, backend } = setup([{ emit: fakeEvents.delta("a") }, { delayMs: 30 }, { emit: fakeEvents.delta("b") }, { hang: true }]);
    const session = await asm.startSession({ provider: "fake" });
    const stream = session.stream("hi");
    const iterator = stream[Symbol.asyncIterator]();
    let event = await iterator.next();
    while (!event.done && !(event.value.kind === "assistant_delta" && event.value.payload.content === "a")) event = await iterator.next();
    const waiting = iterator.next();
    const closed = iterator.return?.();
    const [next, done] = await Promise.all([waiting, closed]);
    expect(next.done ? null : next.value.payload).toMatchObject({ content: "b" });
    expect(done).toEqual({ value: undefined, done: true });
    expect(backend.record.interrupts).toEqual([stream.runId]);
    expect(session.info().activeRuns).toEqual([]);
    expect(await iterator.next()).toEqual({ value: undefined, done: true });
  });

  it("a throw() leaves the stream as return() does, then rejects with what was thrown", async () => {
    const { asm, backend } = setup([{ emit: fakeEvents.delta("a") }, { hang: true }]);
    const session = await asm.startSession({ provider: "fake" });
    const stream = session.stream("hi");
    const iterator = stream[Symbol.asyncIterator]();
    let event = await iterator.next();
    while (!event.done && event.value.kind !== "assistant_delta") event = await iterator.next();
    const reason = new Error("consumer gave up");
    await expect(iterator.throw?.(reason)).rejects.toBe(reason);
    expect(backend.record.interrupts).toEqual([stream.runId]);
    expect(session.info().activeRuns).toEqual([]);
    expect(await iterator.next()).toEqual({ value: undefined, done: true });
  });

  it("gives an iterator that is itself iterable, as a generator is: a loop can take over where next() left off", async () => {
    const { asm } = setup(okScript);
    const iterator = asm.stream("fake", "hi")[Symbol.asyncIterator]() as AsyncIterableIterator<{ kind: string }>;
    const first = await iterator.next();
    expect(first.done ? null : first.value.kind).toBe("run_started");
    const rest: string[] = [];
    for await (const event of iterator) rest.push(event.kind);
    expect(rest).toEqual(["session_updated", "assistant_delta", "assistant_delta", "cost_update", "result", "run_completed"]);
  });

  it("cannot be iterated twice", async () => {
    const { asm } = setup(okScript);
    const session = await asm.startSession({ provider: "fake" });
    const stream = session.stream("hi");
    await collect(stream);
    expect(() => stream[Symbol.asyncIterator]()).toThrow(/only once/);
  });
});

describe("query", () => {
  it("resolves with the Result: text, usage, cost, lane metadata, provider session id", async () => {
    const { asm } = setup(okScript);
    const session = await asm.startSession({ provider: "fake" });
    const result = await session.query("hi");
    expect(result).toMatchObject({
      status: "completed",
      text: "OK",
      usage: { inputTokens: 10, outputTokens: 2 },
      costUsd: 0.001,
      error: null,
      stopReason: "end_turn",
      providerSessionId: "ps-1",
      sessionId: session.id,
    });
    expect(result.metadata).toMatchObject({ lane: "core", laneReason: "sdk_unavailable", provider: "fake" });
  });

  it("rejects with the run's AsmError and keeps the partial result on details.result", async () => {
    const { asm } = setup([{ emit: fakeEvents.delta("half") }, { emit: fakeEvents.error("auth_error", "invalid api key") }]);
    const error = await rejectsWithCode(asm.query("fake", "hi"), "auth_error");
    expect(isAsmError(error)).toBe(true);
    expect(error.domain).toBe("provider");
    expect((error.details.result as { text: string }).text).toBe("half");
  });

  it("on a provider name runs an ephemeral session and stops it", async () => {
    const { asm, backend } = setup(okScript);
    const result = await asm.query("fake", "hi", { model: "m1" });
    expect(result.text).toBe("OK");
    expect(backend.record.starts[0]?.providerOptions.model).toBe("m1");
    expect(backend.record.releasedSessions).toHaveLength(1);
  });

  it("keeps unknown cost null instead of zero", async () => {
    const { asm } = setup([{ emit: fakeEvents.cost(5, 5, null) }, { emit: fakeEvents.result("x") }]);
    const result = await asm.query("fake", "hi");
    expect(result.costUsd).toBeNull();
    expect(result.usage.inputTokens).toBe(5);
  });

  it("replaces usage on cumulative cost updates and adds incremental ones", async () => {
    const cumulative = setup([{ emit: fakeEvents.cost(10, 1, null, "cumulative") }, { emit: fakeEvents.cost(30, 3, null, "cumulative") }, { emit: fakeEvents.result("x") }]);
    expect((await cumulative.asm.query("fake", "hi")).usage).toMatchObject({ inputTokens: 30, outputTokens: 3 });
    const increment = setup([{ emit: fakeEvents.cost(10, 1, 0.1) }, { emit: fakeEvents.cost(30, 3, 0.2) }, { emit: fakeEvents.result("x") }]);
    const result = await increment.asm.query("fake", "hi");
    expect(result.usage).toMatchObject({ inputTokens: 40, outputTokens: 4 });
    expect(result.costUsd).toBeCloseTo(0.3);
  });
});

describe("interrupt", () => {
  it("ends an active run with user_cancelled and status interrupted", async () => {
    const { asm, backend } = setup([{ emit: fakeEvents.delta("a") }, { hang: true }]);
    const session = await asm.startSession({ provider: "fake" });
    const stream = session.stream("hi");
    const seen: string[] = [];
    const consuming = (async () => {
      for await (const event of stream) seen.push(event.kind);
    })();
    await until(() => seen.includes("assistant_delta"));
    await asm.interrupt(stream.runId);
    await consuming;
    expect(seen.at(-2)).toBe("error");
    expect(seen.at(-1)).toBe("run_completed");
    expect(backend.record.interrupts).toEqual([stream.runId]);
    expect(session.info().activeRuns).toEqual([]);
  });

  it("removes a queued run without starting it", async () => {
    const { asm, backend } = setup([{ hang: true }]);
    const session = await asm.startSession({ provider: "fake" });
    const first = session.stream("one");
    const firstIter = first[Symbol.asyncIterator]();
    await firstIter.next(); // run_started: the first run holds the only slot
    const second = session.stream("two");
    const secondEvents: string[] = [];
    const consuming = (async () => {
      for await (const event of second) secondEvents.push(`${event.kind}:${(event.payload as { code?: string }).code ?? ""}`);
    })();
    await until(() => session.info().queuedRuns.length === 1);
    await asm.interrupt(second.runId);
    await consuming;
    expect(secondEvents).toEqual(["error:user_cancelled", "run_completed:"]);
    expect(backend.record.starts).toHaveLength(1);
    await firstIter.return?.();
  });

  it("rejects an unknown run id with not_found", async () => {
    const { asm } = setup([]);
    await rejectsWithCode(asm.interrupt("nope"), "not_found");
  });
});

describe("asm.stream on an ephemeral session", () => {
  it("returns a RunStream whose runId is known before it starts and reaches the run", async () => {
    const { asm, backend } = setup([{ hang: true }]);
    const stream = asm.stream("fake", "hi", { runId: "ephemeral-1" });
    expect(stream).toBeInstanceOf(RunStream);
    expect(stream.runId).toBe("ephemeral-1");
    expect(backend.record.starts).toHaveLength(0);
    const events = collect(stream);
    await until(() => backend.record.starts.length === 1);
    expect(backend.record.starts[0]?.runId).toBe("ephemeral-1");
    await asm.interrupt(stream.runId);
    const all = await events;
    expect(all.at(-1)?.payload).toMatchObject({ status: "interrupted" });
    // The session it ran on is stopped with the stream.
    expect(backend.record.releasedSessions).toEqual([backend.record.starts[0]?.sessionId]);
    expect(asm.health(backend.record.starts[0]!.sessionId)).toEqual({ status: "unhealthy", reason: "not_found" });
  });

  it("stops the ephemeral session when the options are refused at the first next()", async () => {
    const { asm, backend } = setup([{ emit: fakeEvents.result("x") }]);
    const stream = asm.stream("fake", "hi", { sessionId: "ephemeral-session", idleTimeoutMs: -1 });
    await rejectsWithCode(collect(stream), "config_invalid");
    expect(backend.record.starts).toHaveLength(0);
    expect(asm.health("ephemeral-session")).toEqual({ status: "unhealthy", reason: "not_found" });
  });
});
