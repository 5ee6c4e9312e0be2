import type { AsmEvent } from "@asm/contract";
import { describe, expect, it } from "vitest";
import type { PubSubAdapter } from "./adapter.js";
import { createBroadcaster } from "./broadcaster.js";
import { eventCallback } from "./event-callback.js";
import { localBus } from "./local-bus.js";
import { broadcasterPlug } from "./plug.js";
import { collect, deltaScript, fakeAsm, syntheticEvent } from "./__tests__/helpers.js";

const neverAdapter = (): PubSubAdapter & { calls: number } => {
  const adapter = {
    name: "never",
    calls: 0,
    publish() {
      adapter.calls++;
      return new Promise<void>(() => undefined);
    },
    subscribe: () => Promise.reject(new Error("not used")),
    close: () => Promise.resolve(),
  };
  return adapter;
};

describe("broadcaster plug", () => {
  it("publishes every delivered event of a run, in order, with the ids the run emits", async () => {
    const bus = localBus();
    const received: AsmEvent[] = [];
    await bus.subscribe("asm:events", ({ payload }) => void received.push(payload.event));
    const broadcaster = createBroadcaster({ adapter: bus });
    const asm = fakeAsm(deltaScript(20));
    const events = await collect(asm.stream("fake", "hi", { pipeline: [broadcasterPlug(broadcaster)] }));
    await broadcaster.flush();
    expect(received.map((e) => e.id)).toEqual(events.map((e) => e.id));
    expect(received.at(-1)?.kind).toBe("run_completed");
  });

  it("a publisher that never answers neither fails nor holds up the run: the queue bound is all it costs", async () => {
    const adapter = neverAdapter();
    const drops: string[] = [];
    const broadcaster = createBroadcaster({ adapter, maxQueueSize: 8, overflow: "drop_newest", onDrop: (info) => void drops.push(info.event.id) });
    const asm = fakeAsm(deltaScript(500));
    const events = await collect(asm.stream("fake", "hi", { pipeline: [broadcasterPlug(broadcaster, { onFailure: "halt" })] }));
    // Every event reached the consumer and the run completed, although nothing was ever published.
    expect(events.filter((e) => e.kind === "assistant_delta")).toHaveLength(500);
    expect(events.at(-1)?.kind).toBe("run_completed");
    expect(events.filter((e) => e.kind === "error")).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(adapter.calls).toBe(1);
    // The first event is in flight, 7 wait; everything after them was dropped and reported.
    expect(broadcaster.stats()).toMatchObject({ queued: 8, published: 0, dropped: events.length - 8 });
    expect(drops).toEqual(events.slice(8).map((e) => e.id));
  });

  it("on_failure: drop keeps the run going after a failed dispatch; halt ends it with transport_error", async () => {
    const failing: PubSubAdapter = { name: "down", publish: () => Promise.reject(new Error("connection refused")), subscribe: () => Promise.reject(new Error("x")), close: () => Promise.resolve() };
    // A script that pauses long enough for the first dispatch to fail before the rest arrives.
    const script = [...deltaScript(3).slice(0, 2), { delayMs: 50 }, ...deltaScript(3).slice(2)];

    const dropping = createBroadcaster({ adapter: failing });
    const ok = await collect(fakeAsm(script).stream("fake", "hi", { pipeline: [broadcasterPlug(dropping, { onFailure: "drop" })] }));
    expect(ok.at(-2)?.kind).toBe("result");
    expect(dropping.stats().errors).toBeGreaterThan(0);

    const halting = createBroadcaster({ adapter: failing });
    const halted = await collect(fakeAsm(script).stream("fake", "hi", { pipeline: [broadcasterPlug(halting, { onFailure: "halt" })] }));
    const error = halted.find((e) => e.kind === "error");
    expect(error?.payload).toMatchObject({ code: "transport_error" });
    expect((error?.payload as { message: string }).message).toContain("connection refused");
    expect(halted.at(-1)?.kind).toBe("run_completed");
    expect(halted.some((e) => e.kind === "result")).toBe(false);
  });

  it("rejects an unknown on_failure", () => {
    expect(() => broadcasterPlug(createBroadcaster({ adapter: localBus() }), { onFailure: "retry" as "drop" })).toThrow(expect.objectContaining({ code: "config_invalid" }) as Error);
  });
});

describe("event callback", () => {
  it("publishes rendered events with source callback and skips header and footer", async () => {
    const bus = localBus();
    const sources: string[] = [];
    await bus.subscribe("asm:events", ({ payload }) => void sources.push(payload.meta.source));
    const broadcaster = createBroadcaster({ adapter: bus });
    const callback = eventCallback(broadcaster);
    callback(null, "header");
    callback(syntheticEvent(1), "text");
    await broadcaster.flush();
    expect(sources).toEqual(["callback"]);
  });
});
