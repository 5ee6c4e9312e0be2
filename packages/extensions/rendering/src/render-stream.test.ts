import { describe, expect, it } from "vitest";
import { AsmError } from "@asm/contract";
import { createAsm } from "@asm/core";
import { fakeEvents, fakeProvider } from "@asm/testkit";
import { sampleRun, trackedStream } from "./__fixtures__/events.js";
import { callbackSink } from "./callback-sink.js";
import { compactRenderer } from "./compact-renderer.js";
import { renderStream } from "./render-stream.js";
import type { Renderer } from "./renderer.js";
import type { Sink } from "./sink.js";

/** A sink that records every call and can fail on its n-th event. */
function recordingSink(name: string, failOnEvent?: number): Sink & { calls: string[] } {
  const calls: string[] = [];
  let events = 0;
  return {
    name,
    calls,
    open: () => void calls.push("open"),
    write: (text) => void calls.push(`write:${text.trim()}`),
    writeEvent: (event) => {
      events += 1;
      if (events === failOnEvent) throw new Error(`${name} disk full`);
      calls.push(`event:${event.kind}`);
    },
    flush: () => void calls.push("flush"),
    close: () => void calls.push("close"),
  };
}

describe("renderStream", () => {
  it("renders every event to every sink and counts events and tools", async () => {
    const a = recordingSink("a");
    const b = recordingSink("b");
    const outcome = await renderStream(sampleRun(), { renderer: compactRenderer({ color: false }), sinks: [a, b] });
    expect(outcome).toEqual({ ok: true, eventCount: 10, toolCount: 1 });
    for (const sink of [a, b]) {
      expect(sink.calls[0]).toBe("open");
      expect(sink.calls.filter((call) => call.startsWith("event:"))).toHaveLength(10);
      expect(sink.calls.slice(-3)).toEqual(["write:10 events, 1 tools", "flush", "close"]);
    }
  });

  it("stops reading when a sink throws on write, closes every sink and returns the first error", async () => {
    const stream = trackedStream(sampleRun());
    const healthy = recordingSink("healthy");
    const failing = recordingSink("failing", 3);
    const outcome = await renderStream(stream, { renderer: compactRenderer({ color: false }), sinks: [healthy, failing] });
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(AsmError.isInstance(outcome.error)).toBe(true);
    expect(outcome.error.code).toBe("runtime");
    expect(outcome.error.reason).toBe("failing disk full");
    expect(outcome.error.details).toMatchObject({ phase: "write", component: "failing" });
    expect(outcome.eventCount).toBe(3);
    expect(stream.pulled).toBe(3);
    expect(stream.returned).toBe(true);
    expect(healthy.calls.slice(-2)).toEqual(["flush", "close"]);
    expect(failing.calls.slice(-2)).toEqual(["flush", "close"]);
    // No footer after a failure.
    expect(healthy.calls.some((call) => call.includes("events,"))).toBe(false);
  });

  it("keeps the first error when flush and close fail too", async () => {
    const broken: Sink = {
      name: "broken",
      write: () => {
        throw new AsmError("transport_error", "pipe closed");
      },
      flush: () => {
        throw new Error("flush failed");
      },
      close: () => {
        throw new Error("close failed");
      },
    };
    const other = recordingSink("other");
    const outcome = await renderStream(sampleRun(), { renderer: compactRenderer({ color: false }), sinks: [broken, other] });
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.error.code).toBe("transport_error");
    expect(other.calls.slice(-2)).toEqual(["flush", "close"]);
  });

  it("stops when the renderer throws", async () => {
    const stream = trackedStream(sampleRun());
    let rendered = 0;
    const renderer: Renderer = {
      name: "fragile",
      render: () => {
        rendered += 1;
        if (rendered === 2) throw new Error("cannot render");
        return "x\n";
      },
      finish: () => "",
    };
    const sink = recordingSink("s");
    const outcome = await renderStream(stream, { renderer, sinks: [sink] });
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.error.details).toMatchObject({ phase: "render", component: "fragile" });
    expect(stream.returned).toBe(true);
    expect(sink.calls.slice(-2)).toEqual(["flush", "close"]);
  });

  it("returns the stream's own error, as an AsmError", async () => {
    // eslint-disable-next-line @typescript-eslint/require-await -- an event stream is async even when, as here, it fails without waiting.
    async function* failing() {
      yield sampleRun()[0]!;
      throw new AsmError("config_invalid", "unknown option foo");
    }
    const sink = recordingSink("s");
    const outcome = await renderStream(failing(), { sinks: [sink] });
    expect(outcome).toMatchObject({ ok: false, eventCount: 1 });
    if (!outcome.ok) expect(outcome.error.code).toBe("config_invalid");
    expect(sink.calls.slice(-2)).toEqual(["flush", "close"]);
  });

  it("refuses an invalid renderer or sink before reading anything", async () => {
    const stream = trackedStream(sampleRun());
    const badRenderer = await renderStream(stream, { renderer: { name: "x" } as unknown as Renderer, sinks: [] });
    expect(badRenderer).toMatchObject({ ok: false, eventCount: 0 });
    if (!badRenderer.ok) expect(badRenderer.error.code).toBe("config_invalid");
    const badSink = await renderStream(stream, { sinks: [{ name: "nope" } as unknown as Sink] });
    if (!badSink.ok) expect(badSink.error.reason).toMatch(/sinks\[0\]/);
    expect(badSink.ok).toBe(false);
    expect(stream.pulled).toBe(0);
  });

  it("interrupts a live ASM run when a sink fails", async () => {
    const provider = fakeProvider([
      { emit: fakeEvents.started() },
      { emit: fakeEvents.delta("working") },
      { hang: true, onInterrupt: [{ emit: fakeEvents.error("runtime", "interrupted") }] },
    ]);
    const asm = createAsm({ providers: [provider] });
    const session = await asm.startSession({ provider: "fake" });
    const outcome = await renderStream(session.stream("go"), {
      renderer: compactRenderer({ color: false }),
      sinks: [
        callbackSink((event) => {
          if (event?.kind === "assistant_delta") throw new AsmError("runtime", "screen went away");
        }),
      ],
    });
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.error.reason).toBe("screen went away");
    expect(provider.backend.record.interrupts.length + provider.backend.record.closes.length).toBeGreaterThan(0);
    expect(session.info().activeRuns).toEqual([]);
    await asm.dispose();
  });

  it("ends a streamed line left open when the stream fails mid-text, without a footer", async () => {
    // eslint-disable-next-line @typescript-eslint/require-await -- an event stream is async even when, as here, it fails without waiting.
    async function* stoppedMidText() {
      yield sampleRun()[0]!;
      yield sampleRun()[1]!;
      throw new AsmError("user_cancelled", "interrupted (Ctrl-C)");
    }
    let output = "";
    const sink: Sink = { name: "text", write: (text) => void (output += text) };
    const outcome = await renderStream(stoppedMidText(), { renderer: compactRenderer({ color: false }), sinks: [sink] });
    expect(outcome.ok).toBe(false);
    expect(output).toBe("r+ claude claude-opus-5-5 lane=core\n>> I will run \n");
  });

  it("ends the open line even on the sinks that did not fail", async () => {
    // eslint-disable-next-line @typescript-eslint/require-await -- see above.
    async function* stoppedMidText() {
      yield sampleRun()[1]!;
      throw new Error("lane went away");
    }
    let output = "";
    const broken: Sink = {
      name: "broken",
      write: () => {
        throw new Error("pipe closed");
      },
    };
    const sink: Sink = { name: "text", write: (text) => void (output += text) };
    await renderStream(stoppedMidText(), { renderer: compactRenderer({ color: false }), sinks: [sink, broken] });
    expect(output.endsWith("\n")).toBe(true);
  });
});
