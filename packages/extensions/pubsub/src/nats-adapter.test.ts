// A real nats-server (Debian package), private to each test on a random loopback port.
import { natsServerInstalled, startPrivateNatsServer, type PrivateNatsServer } from "@asm/testkit";
import { afterEach, describe, expect, it } from "vitest";
import type { PubSubMessage } from "./adapter.js";
import { createBroadcaster } from "./broadcaster.js";
import { natsAdapter, type NatsAdapter } from "./nats-adapter.js";
import { payloadForEvent } from "./payload.js";
import { topicsForEvent } from "./topics.js";
import { broadcasterPlug } from "./plug.js";
import { collect, deltaScript, fakeAsm, syntheticEvent, until } from "./__tests__/helpers.js";

// Under CI the server must be there (.ci/run installs it): a missing one fails rather than skips.
const runs = natsServerInstalled() || process.env.CI === "true";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function server(): Promise<PrivateNatsServer> {
  const started = await startPrivateNatsServer();
  cleanups.push(() => started.stop());
  return started;
}

async function adapter(url: string): Promise<NatsAdapter> {
  const created = await natsAdapter({ servers: url, reconnectTimeWaitMs: 50 });
  cleanups.push(() => created.close());
  return created;
}

describe.runIf(runs)("nats adapter (real nats-server)", () => {
  it("a run's events reach a subscriber of the events topic, in order", async () => {
    const nats = await server();
    const publisher = await adapter(nats.url);
    const subscriber = await adapter(nats.url);
    const all: PubSubMessage[] = [];
    await subscriber.subscribe("asm:events", (message) => void all.push(message));
    const broadcaster = createBroadcaster({ adapter: publisher });
    const events = await collect(fakeAsm(deltaScript(30)).stream("fake", "hi", { pipeline: [broadcasterPlug(broadcaster)] }));
    expect(await broadcaster.flush(5_000)).toBe(true);
    await until(() => all.length === events.length);
    expect(all.map((m) => m.payload.event.id)).toEqual(events.map((e) => e.id));
    expect(all[0]?.topic).toBe("asm:events");
    expect(all[0]?.payload.schema).toBe("asm.pubsub.event.v1");
  });

  it("one message per event on its run subject; session, run and custom topics each get theirs", async () => {
    const nats = await server();
    const publisher = await adapter(nats.url);
    const subscriber = await adapter(nats.url);
    const got: Record<string, string[]> = {};
    for (const topic of ["asm:events", "asm:session:S1", "asm:session:S1:run:r2", "app:events", "custom:thing"]) {
      got[topic] = [];
      await subscriber.subscribe(topic, ({ payload }) => void got[topic]!.push(payload.event.id));
    }
    const raw: string[] = [];
    const spy = publisher.connection.subscribe("asm.>", { callback: (_error, message) => void raw.push(message.subject) });
    const broadcaster = createBroadcaster({ adapter: publisher });
    const a = syntheticEvent(1, "S1", "r1");
    const b = syntheticEvent(2, "S1", "r2");
    const c = syntheticEvent(3, "S2", "r3");
    for (const event of [a, b, c]) broadcaster.publish(event);
    broadcaster.publish(syntheticEvent(4, "S1", "r1"), { prefix: "app", scopes: [] });
    await broadcaster.flush(5_000);
    const custom = syntheticEvent(5);
    await publisher.publish([{ topic: "custom:thing", payload: { schema: "asm.pubsub.event.v1", event: custom, meta: { topics: ["custom:thing"] } as never } }]);
    await until(() => got["custom:thing"]!.length === 1 && got["app:events"]!.length === 1 && got["asm:events"]!.length === 3);
    expect(got["asm:events"]).toEqual([a.id, b.id, c.id]);
    expect(got["asm:session:S1"]).toEqual([a.id, b.id]);
    expect(got["asm:session:S1:run:r2"]).toEqual([b.id]);
    expect(raw).toEqual(["asm.session.S1.run.r1", "asm.session.S1.run.r2", "asm.session.S2.run.r3"]);
    spy.unsubscribe();
  });

  it("survives a server kill and restart: the client reconnects, subscriptions come back, nothing arrives twice", async () => {
    const nats = await server();
    const publisher = await adapter(nats.url);
    const subscriber = await adapter(nats.url);
    const received: string[] = [];
    await subscriber.subscribe("asm:events", ({ payload }) => void received.push(payload.event.id));
    const broadcaster = createBroadcaster({ adapter: publisher, scopes: [] });
    const before = Array.from({ length: 20 }, (_, i) => syntheticEvent(i));
    for (const event of before) broadcaster.publish(event);
    await broadcaster.flush(5_000);
    await until(() => received.length === 20);

    await nats.kill();
    // Published while the server is down: buffered by the client, sent after the reconnect.
    for (let i = 0; i < 5; i++) broadcaster.publish(syntheticEvent(100 + i));
    await broadcaster.flush(5_000);
    await nats.restart();
    // Wait until the subscriber is back: probe until a probe arrives.
    await until(() => {
      broadcaster.publish(syntheticEvent(999, "probe"));
      return received.length > 20;
    }, 10_000, "delivery after the restart");
    const after = Array.from({ length: 20 }, (_, i) => syntheticEvent(200 + i));
    for (const event of after) broadcaster.publish(event);
    await broadcaster.flush(5_000);
    await until(() => received.includes(after.at(-1)!.id), 5_000, "the last event after the restart");
    expect(received.slice(0, 20)).toEqual(before.map((e) => e.id));
    expect(received.slice(-20)).toEqual(after.map((e) => e.id));
    expect(new Set(received).size).toBe(received.length);
    expect(broadcaster.stats().errors).toBe(0);
  });

  it("reuses a connection it is given and leaves it open", async () => {
    const nats = await server();
    const owner = await adapter(nats.url);
    const borrowing = await natsAdapter({ connection: owner.connection });
    const got: string[] = [];
    await owner.subscribe("asm:events", ({ payload }) => void got.push(payload.event.id));
    const event = syntheticEvent(1);
    await borrowing.publish([{ topic: "asm:events", payload: payloadForEvent(event, topicsForEvent(event)) }]);
    await until(() => got.length === 1);
    await borrowing.close();
    expect(owner.connection.isClosed()).toBe(false);
  });

  it("refuses a topic that is not a subject, and an unreachable server with connection_failed", async () => {
    const nats = await server();
    const publisher = await adapter(nats.url);
    await expect(publisher.subscribe("asm:session:a.b", () => undefined)).rejects.toMatchObject({ code: "config_invalid" });
    await nats.stop();
    await expect(natsAdapter({ servers: nats.url })).rejects.toMatchObject({ code: "connection_failed" });
    await expect(natsAdapter({ servers: "http://x" })).rejects.toMatchObject({ code: "config_invalid", details: { key: "servers" } });
  });
});
