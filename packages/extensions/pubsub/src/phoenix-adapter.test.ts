// The real `phoenix` 1.8 client (through the adapter) against the test kit's conformant server on
// loopback: no Phoenix server can run here, so the server side is ours; the client is the real one.
import { startPhoenixServer, type PhoenixTestServer } from "@asm/testkit";
import { afterEach, describe, expect, it } from "vitest";
import type { PubSubMessage } from "./adapter.js";
import { createBroadcaster } from "./broadcaster.js";
import { phoenixAdapter, type PhoenixAdapter, type PhoenixAdapterOptions, type PhoenixStatus } from "./phoenix-adapter.js";
import { syntheticEvent, until } from "./__tests__/helpers.js";

const FAST = {
  timeoutMs: 1_000,
  heartbeatIntervalMs: 300,
  reconnectAfterMs: () => 50,
  rejoinAfterMs: () => 100,
} satisfies Partial<PhoenixAdapterOptions>;

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function server(options: Parameters<typeof startPhoenixServer>[0] = {}): Promise<PhoenixTestServer> {
  const started = await startPhoenixServer(options);
  cleanups.push(() => started.stop());
  return started;
}

async function adapter(options: PhoenixAdapterOptions): Promise<PhoenixAdapter> {
  const created = await phoenixAdapter({ ...FAST, ...options });
  cleanups.push(() => created.close());
  return created;
}

const inboundEvents = (srv: PhoenixTestServer, topic: string) =>
  srv.frames.filter((f) => f.direction === "in" && f.frame.event === "asm_event" && f.frame.topic === topic).map((f) => (f.frame.payload as { event: { id: string } }).event.id);

describe("phoenix adapter (real phoenix client, conformant ws server)", () => {
  it("joins, publishes through the broadcaster, and a subscriber receives the broadcasts in order", async () => {
    const srv = await server();
    const publisher = await adapter({ url: srv.url, params: { user: "pub" } });
    const subscriber = await adapter({ url: srv.url });
    const received: PubSubMessage[] = [];
    await subscriber.subscribe("asm:events", (message) => void received.push(message));
    const broadcaster = createBroadcaster({ adapter: publisher, scopes: ["session"] });
    const events = Array.from({ length: 50 }, (_, i) => syntheticEvent(i, "S1"));
    for (const event of events) broadcaster.publish(event);
    expect(await broadcaster.flush(5_000)).toBe(true);
    await until(() => received.length === 50);
    expect(received.map((m) => m.payload.event.id)).toEqual(events.map((e) => e.id));
    expect(received[0]?.payload.meta.topics).toEqual(["asm:events", "asm:session:S1"]);
    expect(inboundEvents(srv, "asm:session:S1")).toEqual(events.map((e) => e.id));
    expect(broadcaster.stats()).toMatchObject({ published: 50, errors: 0 });
    // The socket params reach the server as the query string, next to vsn=2.0.0.
    expect(srv.upgrades.some((u) => u.info.params.user === "pub")).toBe(true);
    expect(publisher.stats()).toMatchObject({ pending: 0, acknowledged: 100 });
  });

  it("server restart mid-stream: rejoins, no acknowledged push delivered twice, the buffer bound holds", async () => {
    const srv = await server();
    const statuses: PhoenixStatus[] = [];
    const subscriberStatuses: PhoenixStatus[] = [];
    const publisher = await adapter({ url: srv.url, maxBuffered: 5, timeoutMs: 3_000, onStatus: (s) => void statuses.push(s) });
    const subscriber = await adapter({ url: srv.url, onStatus: (s) => void subscriberStatuses.push(s) });
    const received: string[] = [];
    await subscriber.subscribe("asm:events", ({ payload }) => void received.push(payload.event.id));
    const errors: string[] = [];
    const broadcaster = createBroadcaster({ adapter: publisher, scopes: [], maxBatch: 10, maxQueueSize: 20, overflow: "drop_oldest", onError: (info) => void errors.push(info.error.code) });

    const before = Array.from({ length: 20 }, (_, i) => syntheticEvent(i));
    for (const event of before) broadcaster.publish(event);
    expect(await broadcaster.flush(5_000)).toBe(true);
    await until(() => received.length === 20);

    await srv.stop();
    await until(() => statuses.some((s) => s.type === "disconnected"));
    // While the server is gone: at most 5 pushes wait for a reply, 20 more queue, the rest drop.
    const during = Array.from({ length: 40 }, (_, i) => syntheticEvent(100 + i));
    for (const event of during) broadcaster.publish(event);
    await until(() => publisher.stats().pending === 5);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(publisher.stats().pending).toBe(5);
    expect(broadcaster.stats().queued).toBe(20);
    await srv.start();
    expect(await broadcaster.flush(8_000)).toBe(true);
    // Pub/sub keeps no history: what the server relays before the subscriber is back is not
    // replayed to it. Its own reconnect runs on its own timer, so wait for it.
    await until(() => subscriberStatuses.some((s) => s.type === "joined" && s.rejoin), 10_000, "the subscriber's rejoin");

    const after = Array.from({ length: 20 }, (_, i) => syntheticEvent(200 + i));
    for (const event of after) broadcaster.publish(event);
    expect(await broadcaster.flush(5_000)).toBe(true);
    await until(() => received.includes(after.at(-1)!.id), 5_000, "the last event after the restart");

    expect(publisher.stats().maxPending).toBeLessThanOrEqual(5);
    // Both clients came back and rejoined with a fresh join_ref.
    expect(statuses.filter((s) => s.type === "joined" && s.rejoin).length).toBeGreaterThanOrEqual(1);
    const serverSeen = inboundEvents(srv, "asm:events");
    for (const seen of [serverSeen, received]) expect(new Set(seen).size).toBe(seen.length);
    // Everything acknowledged before the crash reached the server exactly once; the newest events
    // survive the outage (drop_oldest), in order; nothing after the restart is missing.
    expect(serverSeen.slice(0, 20)).toEqual(before.map((e) => e.id));
    expect(serverSeen.slice(-20)).toEqual(after.map((e) => e.id));
    const survivors = serverSeen.slice(20, -20);
    expect(survivors.length).toBeGreaterThan(0);
    expect(survivors.length).toBeLessThanOrEqual(25);
    expect(survivors).toEqual(during.map((e) => e.id).filter((id) => survivors.includes(id)));
    expect(survivors).toContain(during.at(-1)!.id);
    // The subscriber saw the same stream, less what was relayed while it was still reconnecting.
    expect(received.slice(0, 20)).toEqual(before.map((e) => e.id));
    expect(received.slice(-20)).toEqual(after.map((e) => e.id));
    const relayedMeanwhile = received.slice(20, -20);
    expect(relayedMeanwhile).toEqual(survivors.filter((id) => relayedMeanwhile.includes(id)));
    expect(broadcaster.stats().dropped).toBeGreaterThanOrEqual(15);
    expect(errors.every((code) => code === "timeout")).toBe(true);
  }, 30_000);

  it("heartbeat timeout: the client drops a silent connection and reconnects", async () => {
    const srv = await server();
    const statuses: PhoenixStatus[] = [];
    const publisher = await adapter({ url: srv.url, heartbeatIntervalMs: 100, onStatus: (s) => void statuses.push(s) });
    const broadcaster = createBroadcaster({ adapter: publisher, scopes: [] });
    broadcaster.publish(syntheticEvent(0));
    expect(await broadcaster.flush(3_000)).toBe(true);
    srv.ignoreHeartbeats(true);
    await until(() => statuses.some((s) => s.type === "disconnected" && s.reason === "heartbeat timeout"), 5_000, "heartbeat timeout");
    srv.ignoreHeartbeats(false);
    await until(() => srv.upgrades.length >= 2 && statuses.at(-1)?.type !== "disconnected", 5_000, "reconnect");
    const event = syntheticEvent(1);
    broadcaster.publish(event);
    expect(await broadcaster.flush(3_000)).toBe(true);
    expect(broadcaster.stats().errors).toBe(0);
    expect(inboundEvents(srv, "asm:events")).toContain(event.id);
  });

  it("join refused: the publish fails with the reason, the client stops retrying, other topics work", async () => {
    const srv = await server({ join: (topic) => (topic.includes("secret") ? { status: "error", response: { reason: "unauthorized" } } : { status: "ok" }) });
    const statuses: PhoenixStatus[] = [];
    const publisher = await adapter({ url: srv.url, onStatus: (s) => void statuses.push(s) });
    const errors: { code: string; message: string }[] = [];
    const broadcaster = createBroadcaster({ adapter: publisher, scopes: ["session"], onError: (info) => void errors.push({ code: info.error.code, message: info.error.reason }) });
    broadcaster.publish(syntheticEvent(0, "secret"));
    expect(await broadcaster.flush(3_000)).toBe(true);
    expect(errors).toHaveLength(1);
    expect(errors[0]?.code).toBe("auth_error");
    expect(errors[0]?.message).toContain("unauthorized");
    expect(statuses).toContainEqual({ type: "join_refused", topic: "asm:session:secret", reason: "unauthorized" });
    const joinsBefore = srv.frames.filter((f) => f.direction === "in" && f.frame.event === "phx_join" && f.frame.topic === "asm:session:secret").length;
    await new Promise((resolve) => setTimeout(resolve, 400));
    const joinsAfter = srv.frames.filter((f) => f.direction === "in" && f.frame.event === "phx_join" && f.frame.topic === "asm:session:secret").length;
    expect(joinsAfter).toBe(joinsBefore);
    await expect(publisher.subscribe("asm:session:secret", () => undefined)).rejects.toMatchObject({ code: "auth_error" });
    const fine = syntheticEvent(1, "open");
    broadcaster.publish(fine);
    expect(await broadcaster.flush(3_000)).toBe(true);
    expect(inboundEvents(srv, "asm:session:open")).toEqual([fine.id]);
  });

  it("token: a good bearer token connects, a bad one is refused with auth_error", async () => {
    const srv = await server({ connect: (info) => info.token === "s3cret-token" });
    const good = await adapter({ url: srv.url, authToken: "s3cret-token" });
    const goodBroadcaster = createBroadcaster({ adapter: good, scopes: [] });
    goodBroadcaster.publish(syntheticEvent(0));
    expect(await goodBroadcaster.flush(3_000)).toBe(true);
    expect(goodBroadcaster.stats()).toMatchObject({ published: 1, errors: 0 });

    const statuses: PhoenixStatus[] = [];
    const bad = await adapter({ url: srv.url, authToken: "wrong", onStatus: (s) => void statuses.push(s) });
    await until(() => statuses.some((s) => s.type === "connect_error"));
    const errors: string[] = [];
    const badBroadcaster = createBroadcaster({ adapter: bad, scopes: [], onError: (info) => void errors.push(info.error.code) });
    badBroadcaster.publish(syntheticEvent(1));
    expect(await badBroadcaster.flush(3_000)).toBe(true);
    expect(errors).toEqual(["auth_error"]);
    expect(srv.upgrades.filter((u) => u.refused).every((u) => u.info.token === "wrong")).toBe(true);
    expect(statuses.some((s) => s.type === "connected")).toBe(false);
  });

  it("rejects a relative endpoint and a token the subprotocol cannot carry", async () => {
    await expect(phoenixAdapter({ url: "/socket" })).rejects.toMatchObject({ code: "config_invalid", details: { key: "url" } });
    await expect(phoenixAdapter({ url: "ws://127.0.0.1:1/socket", authToken: "???" })).rejects.toMatchObject({ code: "config_invalid", details: { key: "authToken" } });
  });
});
