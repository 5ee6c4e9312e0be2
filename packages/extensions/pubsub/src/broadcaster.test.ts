import diagnosticsChannel from "node:diagnostics_channel";
import { describe, expect, it } from "vitest";
import type { PubSubAdapter, PubSubMessage } from "./adapter.js";
import { createBroadcaster, type DropInfo } from "./broadcaster.js";
import { localBus } from "./local-bus.js";
import { messages } from "./messages.js";
import { PUBSUB_SCHEMA } from "./payload.js";
import { PUBSUB_TELEMETRY_CHANNELS } from "./telemetry.js";
import { runTopic, sessionTopic, topicsForEvent } from "./topics.js";
import { syntheticEvent, until } from "./__tests__/helpers.js";

/** An adapter whose publishes wait until the test releases them, one gate per dispatch. */
function gatedAdapter() {
  const batches: PubSubMessage[][] = [];
  const gates: (() => void)[] = [];
  const adapter: PubSubAdapter = {
    name: "gated",
    publish(batch) {
      batches.push([...batch]);
      return new Promise<void>((resolve) => gates.push(resolve));
    },
    subscribe: () => Promise.reject(new Error("not used")),
    close: () => Promise.resolve(),
  };
  return { adapter, batches, release: () => gates.shift()?.() };
}

describe("topics", () => {
  it("maps an event onto the all-events, session and run topics; prefix and scopes configurable", () => {
    const event = syntheticEvent(0, "S", "R");
    expect(topicsForEvent(event)).toEqual(["asm:events", "asm:session:S", "asm:session:S:run:R"]);
    expect(topicsForEvent(event, { prefix: "app", scopes: ["run"] })).toEqual(["app:events", "app:session:S:run:R"]);
    expect(topicsForEvent(event, { scopes: [] })).toEqual(["asm:events"]);
    expect(() => topicsForEvent(event, { prefix: "" })).toThrow(/prefix/);
    expect(() => topicsForEvent(event, { scopes: ["bogus" as "run"] })).toThrow(/scopes/);
    expect(sessionTopic("S")).toBe("asm:session:S");
    expect(runTopic("S", "R", "x")).toBe("x:session:S:run:R");
  });
});

describe("local bus", () => {
  it("delivers in order to each subscriber until it unsubscribes, and iterates per topic", async () => {
    const bus = localBus();
    const got: string[] = [];
    const subscription = await bus.subscribe("t", ({ payload }) => void got.push(payload.event.id));
    const iterated: string[] = [];
    const reader = (async () => {
      for await (const message of await messages(bus, "t")) {
        iterated.push(message.payload.event.id);
        if (iterated.length === 3) break;
      }
    })();
    await until(() => bus.subscriberCount("t") === 2);
    const broadcaster = createBroadcaster({ adapter: bus, scopes: [], prefix: "x" });
    const events = [0, 1, 2].map((i) => syntheticEvent(i));
    // Published on x:events, not t: nothing arrives yet.
    for (const event of events) broadcaster.publish(event);
    await broadcaster.flush();
    expect(got).toEqual([]);
    for (const event of events) await bus.publish([{ topic: "t", payload: { schema: PUBSUB_SCHEMA, event, meta: {} as never } }]);
    await reader;
    expect(got).toEqual(events.map((e) => e.id));
    expect(iterated).toEqual(events.map((e) => e.id));
    expect(bus.subscriberCount("t")).toBe(1);
    await subscription.unsubscribe();
    expect(bus.subscriberCount("t")).toBe(0);
  });

  it("publishes the v1 payload on every topic of the event", async () => {
    const bus = localBus();
    const seen: PubSubMessage[] = [];
    for (const topic of ["asm:events", "asm:session:s1", "asm:session:s1:run:r1"]) await bus.subscribe(topic, (m) => void seen.push(m));
    const broadcaster = createBroadcaster({ adapter: bus, source: "test" });
    const event = syntheticEvent(7);
    expect(broadcaster.publish(event)).toBe(true);
    expect(await broadcaster.flush()).toBe(true);
    expect(seen.map((m) => m.topic)).toEqual(["asm:events", "asm:session:s1", "asm:session:s1:run:r1"]);
    expect(seen[0]?.payload).toMatchObject({
      schema: "asm.pubsub.event.v1",
      event: { id: event.id },
      meta: { eventId: event.id, eventKind: "assistant_delta", sessionId: "s1", runId: "r1", provider: "fake", source: "test", topics: seen.map((m) => m.topic) },
    });
    expect(broadcaster.stats()).toMatchObject({ published: 1, dropped: 0, errors: 0, queued: 0 });
  });
});

describe("broadcaster", () => {
  it("keeps one dispatch in flight and batches what queued meanwhile", async () => {
    const { adapter, batches, release } = gatedAdapter();
    const broadcaster = createBroadcaster({ adapter, scopes: [] });
    broadcaster.publish(syntheticEvent(0));
    await until(() => batches.length === 1);
    for (let i = 1; i <= 5; i++) broadcaster.publish(syntheticEvent(i));
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(batches).toHaveLength(1);
    release();
    await until(() => batches.length === 2);
    expect(batches[1]?.map((m) => (m.payload.event.payload as { content: string }).content)).toEqual(["e1", "e2", "e3", "e4", "e5"]);
    release();
    expect(await broadcaster.flush(1_000)).toBe(true);
  });

  it.each(["drop_oldest", "drop_newest"] as const)("bounds the queue (in flight included) under a slow subscriber: %s", async (overflow) => {
    const bus = localBus();
    const delivered: string[] = [];
    const gates: (() => void)[] = [];
    // A subscriber that takes as long as the test wants for each message.
    await bus.subscribe("asm:events", (message) => {
      delivered.push((message.payload.event.payload as { content: string }).content);
      return new Promise<void>((resolve) => gates.push(resolve));
    });
    const drops: DropInfo[] = [];
    const telemetry: unknown[] = [];
    const onTelemetry = (message: unknown) => void telemetry.push(message);
    diagnosticsChannel.subscribe(PUBSUB_TELEMETRY_CHANNELS.drop, onTelemetry);
    try {
      const broadcaster = createBroadcaster({ adapter: bus, scopes: [], maxQueueSize: 4, maxBatch: 1, overflow, onDrop: (info) => void drops.push(info) });
      broadcaster.publish(syntheticEvent(0));
      await until(() => delivered.length === 1);
      // e0 in flight; e1..e3 fill the queue; e4..e9 overflow.
      const accepted = [];
      for (let i = 1; i < 10; i++) accepted.push(broadcaster.publish(syntheticEvent(i)));
      expect(broadcaster.stats().queued).toBe(4);
      expect(drops).toHaveLength(6);
      expect(telemetry).toHaveLength(6);
      expect(telemetry[0]).toMatchObject({ adapter: "local", reason: overflow });
      while (delivered.length < 4 || gates.length > 0) {
        gates.shift()?.();
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      expect(await broadcaster.flush(1_000)).toBe(true);
      if (overflow === "drop_newest") {
        expect(accepted).toEqual([true, true, true, false, false, false, false, false, false]);
        expect(delivered).toEqual(["e0", "e1", "e2", "e3"]);
        expect(drops.map((d) => (d.event.payload as { content: string }).content)).toEqual(["e4", "e5", "e6", "e7", "e8", "e9"]);
      } else {
        expect(accepted.every(Boolean)).toBe(true);
        expect(delivered).toEqual(["e0", "e7", "e8", "e9"]);
        expect(drops.map((d) => (d.event.payload as { content: string }).content)).toEqual(["e1", "e2", "e3", "e4", "e5", "e6"]);
      }
      expect(broadcaster.stats()).toMatchObject({ published: 4, dropped: 6, queued: 0 });
    } finally {
      diagnosticsChannel.unsubscribe(PUBSUB_TELEMETRY_CHANNELS.drop, onTelemetry);
    }
  });

  it("reports dispatch errors (callback and telemetry) and keeps going", async () => {
    let calls = 0;
    const adapter: PubSubAdapter = {
      name: "flaky",
      publish: () => (++calls === 1 ? Promise.reject(new Error("wire down")) : Promise.resolve()),
      subscribe: () => Promise.reject(new Error("not used")),
      close: () => Promise.resolve(),
    };
    const errors: string[] = [];
    const telemetry: unknown[] = [];
    const onTelemetry = (message: unknown) => void telemetry.push(message);
    diagnosticsChannel.subscribe(PUBSUB_TELEMETRY_CHANNELS.error, onTelemetry);
    try {
      const broadcaster = createBroadcaster({ adapter, onError: (info) => void errors.push(`${info.error.code}:${info.events.length}`) });
      broadcaster.publish(syntheticEvent(0));
      await broadcaster.flush();
      broadcaster.publish(syntheticEvent(1));
      await broadcaster.flush();
      expect(errors).toEqual(["transport_error:1"]);
      expect(telemetry[0]).toMatchObject({ adapter: "flaky", code: "transport_error", events: 1 });
      expect(broadcaster.stats()).toMatchObject({ published: 1, failed: 1, errors: 1 });
      expect(broadcaster.lastError?.reason).toContain("wire down");
    } finally {
      diagnosticsChannel.unsubscribe(PUBSUB_TELEMETRY_CHANNELS.error, onTelemetry);
    }
  });

  it("flush times out while a dispatch hangs; close drops what is left", async () => {
    const { adapter, batches } = gatedAdapter();
    const drops: string[] = [];
    const broadcaster = createBroadcaster({ adapter, onDrop: (info) => void drops.push(info.reason) });
    broadcaster.publish(syntheticEvent(0));
    await until(() => batches.length === 1);
    expect(await broadcaster.flush(50)).toBe(false);
    broadcaster.publish(syntheticEvent(1));
    await broadcaster.close(50);
    expect(drops).toEqual(["closed"]);
    expect(broadcaster.publish(syntheticEvent(2))).toBe(false);
  });

  it("rejects bad options with config_invalid naming the field", () => {
    const adapter = localBus();
    expect(() => createBroadcaster({ adapter, maxQueueSize: 0 })).toThrow(expect.objectContaining({ code: "config_invalid", details: { key: "maxQueueSize" } }) as Error);
    expect(() => createBroadcaster({ adapter, overflow: "drop_all" as "drop_oldest" })).toThrow(expect.objectContaining({ code: "config_invalid", details: { key: "overflow" } }) as Error);
    expect(() => createBroadcaster({ adapter: undefined as unknown as PubSubAdapter })).toThrow(expect.objectContaining({ code: "config_invalid" }) as Error);
  });
});
