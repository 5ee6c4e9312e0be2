import { createEvent, ulid, type AsmEvent, type EventStore } from "@asm/contract";
import { afterEach, describe, expect, it } from "vitest";

/** How the event store conformance suite gets a store to test. */
export interface EventStoreConformanceOptions {
  /** A new, empty store (its own directory, schema or table prefix): called once per test. */
  create: () => EventStore | Promise<EventStore>;
  /**
   * Closes `store` and opens the same storage again. Given for durable stores: the suite then
   * checks that every acknowledged event is still there after a reopen.
   */
  reopen?: (store: EventStore) => Promise<EventStore>;
}

/** Text that breaks naive encoders: astral emoji, CJK, right-to-left, combining marks, escapes, a NUL, a lone surrogate. */
const UNICODE_SAMPLE = "héllo 👩🏽‍💻 世界 مرحبا ק e\u0301 \u0000 \\n \"quoted\" \ud800 \u2028\u2029 tab\tend";

/** One event of `sessionId`/`runId` with `text`, numbered by `sequence`. */
function textEvent(sessionId: string, runId: string, sequence: number, text = `delta ${sequence}`): AsmEvent {
  return createEvent({ kind: "assistant_delta", payload: { content: text }, sessionId, runId, provider: "conformance", sequence, metadata: { lane: "core" } });
}

function runEvents(sessionId: string, count: number): AsmEvent[] {
  const runId = ulid();
  return Array.from({ length: count }, (_unused, index) => textEvent(sessionId, runId, index));
}

/**
 * Registers the event store conformance tests (vitest) for one {@link EventStore}. The kernel runs
 * it against `MemoryStore`, `@asm/persistence` against its SQLite, file and PostgreSQL stores, and
 * a third-party store can run it the same way:
 *
 * - a session's events come back in append order, equal to what was appended, and only its own;
 * - re-appending an event id (alone or inside a batch) stores nothing twice;
 * - sessions appended concurrently each keep their own order;
 * - a 10 MB payload and unicode text (astral, right-to-left, NUL, lone surrogate) round-trip;
 * - `reset` forgets one session only, and its ids may be appended again;
 * - `appendBatch` and `sessionIds` behave as documented when the store has them;
 * - with `reopen`, everything acknowledged is there after the store is closed and opened again.
 *
 * @example
 * ```ts
 * describeEventStoreConformance("sqlite", { create: () => openSqliteStore({ path: tempFile() }) });
 * ```
 */
export function describeEventStoreConformance(name: string, options: EventStoreConformanceOptions): void {
  describe(`${name} event store conformance`, () => {
    const open: EventStore[] = [];
    const fresh = async (): Promise<EventStore> => {
      const store = await options.create();
      open.push(store);
      return store;
    };
    afterEach(async () => {
      for (const store of open.splice(0)) await store.close?.();
    });

    it("lists nothing for a session it never saw", async () => {
      const store = await fresh();
      expect(await store.list(ulid())).toEqual([]);
    });

    it("keeps a session's events in append order, equal to what was appended", async () => {
      const store = await fresh();
      const sessionId = ulid();
      const events = runEvents(sessionId, 200);
      for (const event of events) await store.append(event);
      const listed = await store.list(sessionId);
      expect(listed.map((event) => event.id)).toEqual(events.map((event) => event.id));
      expect(listed).toEqual(events);
    });

    it("stores an event id once, however often it is appended", async () => {
      const store = await fresh();
      const sessionId = ulid();
      const [first, second] = runEvents(sessionId, 2) as [AsmEvent, AsmEvent];
      await store.append(first);
      await store.append(first);
      await store.append(second);
      await store.append({ ...first, payload: { content: "a different body under the same id", format: "text" } } as AsmEvent);
      expect((await store.list(sessionId)).map((event) => event.id)).toEqual([first.id, second.id]);
      expect((await store.list(sessionId))[0]).toEqual(first);
    });

    it("keeps each of several concurrently written sessions in its own order", async () => {
      const store = await fresh();
      const sessions = Array.from({ length: 6 }, () => ulid());
      const bySession = new Map(sessions.map((sessionId) => [sessionId, runEvents(sessionId, 60)]));
      await Promise.all(
        sessions.map(async (sessionId) => {
          for (const event of bySession.get(sessionId)!) await store.append(event);
        }),
      );
      for (const sessionId of sessions) {
        expect((await store.list(sessionId)).map((event) => event.id)).toEqual(bySession.get(sessionId)!.map((event) => event.id));
      }
    });

    it("round-trips a 10 MB payload", async () => {
      const store = await fresh();
      const sessionId = ulid();
      const text = "0123456789abcdef".repeat((10 * 1024 * 1024) / 16);
      const event = textEvent(sessionId, ulid(), 0, text);
      await store.append(event);
      const [listed] = await store.list(sessionId);
      expect(listed?.kind).toBe("assistant_delta");
      expect((listed?.payload as { content: string }).content.length).toBe(text.length);
      expect(listed).toEqual(event);
    });

    it("round-trips unicode text, in the payload, the raw line and the metadata", async () => {
      const store = await fresh();
      const sessionId = ulid();
      const event = { ...textEvent(sessionId, ulid(), 0, UNICODE_SAMPLE), raw: { line: UNICODE_SAMPLE }, metadata: { lane: "core", note: UNICODE_SAMPLE } };
      await store.append(event);
      expect(await store.list(sessionId)).toEqual([event]);
    });

    it("forgets one session on reset, leaves the others, and takes its ids again", async () => {
      const store = await fresh();
      const kept = runEvents(ulid(), 3);
      const forgotten = runEvents(ulid(), 3);
      for (const event of [...kept, ...forgotten]) await store.append(event);
      await store.reset(forgotten[0]!.sessionId);
      expect(await store.list(forgotten[0]!.sessionId)).toEqual([]);
      expect(await store.list(kept[0]!.sessionId)).toEqual(kept);
      await store.append(forgotten[0]!);
      expect(await store.list(forgotten[0]!.sessionId)).toEqual([forgotten[0]]);
    });

    it("returns a copy: changing a listed array changes nothing stored", async () => {
      const store = await fresh();
      const events = runEvents(ulid(), 2);
      for (const event of events) await store.append(event);
      const listed = await store.list(events[0]!.sessionId);
      listed.pop();
      expect(await store.list(events[0]!.sessionId)).toHaveLength(2);
    });

    it("appends a batch in order, skipping ids it already holds", async (context) => {
      const store = await fresh();
      if (!store.appendBatch) return context.skip("this store has no appendBatch");
      const events = runEvents(ulid(), 50);
      await store.append(events[10]!);
      await store.appendBatch(events.slice(0, 30));
      await store.appendBatch([events[29]!, ...events.slice(30)]);
      await store.appendBatch([]);
      expect((await store.list(events[0]!.sessionId)).map((event) => event.id)).toEqual(
        [events[10]!, ...events.slice(0, 10), ...events.slice(11)].map((event) => event.id),
      );
    });

    it("lists every session id, in order of first append", async (context) => {
      const store = await fresh();
      if (!store.sessionIds) return context.skip("this store has no sessionIds");
      const first = runEvents(ulid(), 2);
      const second = runEvents(ulid(), 2);
      await store.append(first[0]!);
      await store.append(second[0]!);
      await store.append(first[1]!);
      expect(await store.sessionIds()).toEqual([first[0]!.sessionId, second[0]!.sessionId]);
      await store.reset(first[0]!.sessionId);
      expect(await store.sessionIds()).toEqual([second[0]!.sessionId]);
    });

    if (options.reopen) {
      const reopen = options.reopen;
      it("still holds every acknowledged event after close and reopen", async () => {
        const store = await options.create();
        const events = [...runEvents(ulid(), 40), ...runEvents(ulid(), 5)];
        for (const event of events.slice(0, 20)) await store.append(event);
        if (store.appendBatch) await store.appendBatch(events.slice(20));
        else for (const event of events.slice(20)) await store.append(event);
        const again = await reopen(store);
        open.push(again);
        expect(await again.list(events[0]!.sessionId)).toEqual(events.slice(0, 40));
        expect(await again.list(events[44]!.sessionId)).toEqual(events.slice(40));
        await again.append(events[0]!);
        expect(await again.list(events[0]!.sessionId)).toHaveLength(40);
      });
    }
  });
}
