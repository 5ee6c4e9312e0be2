import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import type { BackendEvent } from "@asm/contract";
import { MAX_DRIFT_KEYS } from "@asm/provider-utils";
import { jsonlTestProfile } from "@asm/testkit";
import { createCoreBackend } from "./core-backend.js";
import type { CoreBackendSession } from "./core-session.js";
import { collect, deltas, eventually, fakeRun, isLive, livePidsOfGroup, onlyOutcome, runPid, testStateDir } from "./__fixtures__/harness.js";

const stateDir = testStateDir();
afterAll(() => rmSync(stateDir, { recursive: true, force: true }));

const dropped: BackendEvent[] = [];
const backend = createCoreBackend(jsonlTestProfile(), { stateDir, onDroppedEvent: (event) => dropped.push(event) });
const classifyingBackend = createCoreBackend(jsonlTestProfile({ classifyExit: true }), { stateDir });
const basic = fileURLToPath(new URL("./__fixtures__/basic.jsonl", import.meta.url));

function grandchildPid(events: readonly BackendEvent[]): number {
  const text = deltas(events).find((content) => content.startsWith("grandchild "));
  return Number(text?.split(" ")[1]);
}

describe("core lane lifecycle", { timeout: 30_000 }, () => {
  it("replays a stream: events in order, one drift warning per unknown type, one outcome", async () => {
    dropped.length = 0;
    const session = await backend.start(fakeRun({ mode: "replay", transcript: basic }));
    const events = await collect(session);
    expect(events.map((event) => event.kind)).toEqual([
      "assistant_delta",
      "tool_use",
      "tool_result",
      "raw",
      "warning",
      "raw",
      "cost_update",
      "result",
    ]);
    expect(session.info().session).toMatchObject({ command: expect.stringContaining("fake-cli.mjs"), args: ["--prompt", "<prompt>"] });
    expect(events[4]?.payload).toMatchObject({ code: "schema_drift", details: { type: "telemetry" } });
    expect(events[0]?.providerSessionId).toBe("sess-1");
    expect(onlyOutcome(events).payload).toMatchObject({ text: "Hello", stopReason: "end_turn" });
    expect(dropped.map((event) => event.kind)).toEqual(["assistant_delta"]);
    expect(livePidsOfGroup(runPid(session))).toEqual([]);
  });

  it("warns about at most MAX_DRIFT_KEYS unknown types, however many unique ones the CLI prints, and passes every one through", async () => {
    const types = MAX_DRIFT_KEYS + 40;
    const transcript = join(stateDir, "many-types.jsonl");
    const lines = Array.from({ length: types }, (_, index) => JSON.stringify({ type: `unknown-${index}` }));
    writeFileSync(transcript, `${[...lines, JSON.stringify({ type: "result", text: "done" })].join("\n")}\n`);
    const events = await collect(await backend.start(fakeRun({ mode: "replay", transcript })));
    expect(events.filter((event) => event.kind === "raw")).toHaveLength(types);
    expect(events.filter((event) => event.kind === "warning" && (event.payload as { code: string }).code === "schema_drift")).toHaveLength(MAX_DRIFT_KEYS);
    expect(onlyOutcome(events).kind).toBe("result");
  });

  it("a CLI that stays alive after its result is closed after the completion grace", async () => {
    const session = await backend.start(fakeRun({ mode: "replay", transcript: basic, stayAlive: true }, { completionGraceMs: 50 }, { providerOptions: { keepStdinOpen: true } }));
    const events = await collect(session);
    expect(onlyOutcome(events).kind).toBe("result");
    expect(livePidsOfGroup(runPid(session))).toEqual([]);
  });

  it("crash mid-stream: the lines before the crash, then transport_exit with the exit code and stderr tail", async () => {
    const session = await backend.start(fakeRun({ mode: "crash", lines: 3, stderrText: "segfault in module x\n" }));
    const events = await collect(session);
    expect(deltas(events)).toEqual(["line 0", "line 1", "line 2"]);
    const outcome = onlyOutcome(events);
    expect(outcome.kind).toBe("error");
    expect(outcome.payload).toMatchObject({ code: "transport_exit", exitCode: 137, stderrTail: "segfault in module x\n" });
    expect(events.some((event) => event.kind === "stderr")).toBe(true);
    expect(livePidsOfGroup(runPid(session))).toEqual([]);
  });

  it("a CLI killed by a signal is reported with the signal", async () => {
    const session = await backend.start(fakeRun({ mode: "crash", lines: 1, signal: "SIGKILL" }));
    const outcome = onlyOutcome(await collect(session));
    expect(outcome.payload).toMatchObject({ code: "transport_exit", message: expect.stringContaining("SIGKILL"), details: { signal: "SIGKILL" } });
  });

  it("classifies a silent failure from stderr (auth_error) when the parser does not", async () => {
    const session = await backend.start(fakeRun({ mode: "crash", lines: 0, exitCode: 1, stderrText: "Error: not authenticated. Please log in.\n" }));
    expect(onlyOutcome(await collect(session)).payload).toMatchObject({ code: "auth_error", exitCode: 1 });
  });

  it("uses the parser's exit outcome when it gives one", async () => {
    const session = await classifyingBackend.start(fakeRun({ mode: "crash", lines: 0, exitCode: 2, stderrText: "429 Too Many Requests" }));
    expect(onlyOutcome(await collect(session)).payload).toMatchObject({ code: "rate_limit", details: { classifiedBy: "parser" } });
  });

  it("a clean exit without a result gets a synthetic result", async () => {
    const session = await backend.start(fakeRun({ mode: "crash", lines: 2, exitCode: 0 }));
    const events = await collect(session);
    expect(deltas(events)).toEqual(["line 0", "line 1"]);
    expect(onlyOutcome(events)).toMatchObject({ kind: "result", metadata: { synthetic: true } });
  });

  it("idle watchdog: a CLI that prints nothing times out and its group is killed", async () => {
    const session = await backend.start(fakeRun({ mode: "hang" }, { idleTimeoutMs: 150 }));
    const pid = runPid(session);
    const outcome = onlyOutcome(await collect(session));
    expect(outcome.payload).toMatchObject({ code: "timeout", details: { watchdog: "idle", timeoutMs: 150 } });
    expect((outcome.payload as { message: string }).message).toContain("idle");
    expect(livePidsOfGroup(pid)).toEqual([]);
  });

  it("wall-clock watchdog fires although output keeps the idle one quiet", async () => {
    const session = await backend.start(fakeRun({ mode: "flood", lines: 10_000_000, paddingBytes: 10 }, { wallTimeoutMs: 500, idleTimeoutMs: 10_000 }));
    const pid = runPid(session);
    const outcome = onlyOutcome(await collect(session));
    expect(outcome.payload).toMatchObject({ code: "timeout", details: { watchdog: "wall", timeoutMs: 500 } });
    expect((outcome.payload as { message: string }).message).toContain("wall-clock");
    expect(livePidsOfGroup(pid)).toEqual([]);
  });

  it("garbage lines become parse_error warnings and the run still completes", async () => {
    const session = await backend.start(fakeRun({ mode: "garbage" }));
    const events = await collect(session);
    const warnings = events.filter((event) => event.kind === "error");
    expect(warnings.slice(0, 3).map((event) => event.payload)).toEqual([
      expect.objectContaining({ code: "parse_error", severity: "warning", details: { line: "this is not json" } }),
      expect.objectContaining({ code: "parse_error", severity: "warning", details: { line: '{"type": "text", "text": "unterminated' } }),
      expect.objectContaining({ code: "parse_error", severity: "warning", details: { line: "<html>502 Bad Gateway</html>" } }),
    ]);
    expect(deltas(events)).toEqual(["valid"]);
    expect(onlyOutcome(events).payload).toMatchObject({ text: "done after garbage" });
  });

  it("accepts a 10 MB line under the cap", async () => {
    const session = await backend.start(fakeRun({ mode: "huge-line" }));
    const events = await collect(session);
    expect(deltas(events)[0]).toHaveLength(10 * 1024 * 1024);
    expect(onlyOutcome(events).payload).toMatchObject({ text: "after huge line" });
  });

  it("refuses a 10 MB line over a 1 MB cap with buffer_overflow, and kills the CLI", async () => {
    const session = await backend.start(fakeRun({ mode: "huge-line" }, { maxLineBytes: 1024 * 1024 }));
    const pid = runPid(session);
    const events = await collect(session);
    expect(deltas(events)).toEqual([]);
    expect(onlyOutcome(events).payload).toMatchObject({ code: "buffer_overflow", details: { maxLineBytes: 1024 * 1024 } });
    expect(livePidsOfGroup(pid)).toEqual([]);
  });

  it("a grandchild holding stdout open does not hang the run and does not survive it", async () => {
    const session = await backend.start(fakeRun({ mode: "grandchild" }));
    const pid = runPid(session);
    const events = await collect(session);
    expect(onlyOutcome(events).payload).toMatchObject({ text: "done with grandchild" });
    const grandchild = grandchildPid(events);
    expect(grandchild).toBeGreaterThan(0);
    expect(isLive(grandchild)).toBe(false);
    expect(livePidsOfGroup(pid)).toEqual([]);
  });

  it("a CLI that exits without a result while its grandchild holds stdout still ends", async () => {
    const session = await backend.start(fakeRun({ mode: "grandchild", noResult: true }));
    const events = await collect(session);
    expect(onlyOutcome(events)).toMatchObject({ kind: "result", metadata: { synthetic: true } });
    expect(isLive(grandchildPid(events))).toBe(false);
    expect(livePidsOfGroup(runPid(session))).toEqual([]);
  });

  it("a CLI that stays alive with its grandchild after the result is closed with it", async () => {
    const session = await backend.start(fakeRun({ mode: "grandchild", stayAlive: true }));
    const events = await collect(session);
    expect(onlyOutcome(events).kind).toBe("result");
    expect(isLive(grandchildPid(events))).toBe(false);
    expect(livePidsOfGroup(runPid(session))).toEqual([]);
  });

  it("a grandchild that left the process group (Linux) is found by the run token and killed", async () => {
    const session = await backend.start(fakeRun({ mode: "grandchild", grandchildLeavesGroup: true }));
    const events = await collect(session);
    expect(onlyOutcome(events).kind).toBe("result");
    const grandchild = grandchildPid(events);
    expect(grandchild).toBeGreaterThan(0);
    expect(isLive(grandchild)).toBe(false);
    expect(livePidsOfGroup(runPid(session))).toEqual([]);
  });

  it("a CLI that ignores SIGTERM is killed after the grace on close", async () => {
    const session = await backend.start(fakeRun({ mode: "ignore-sigterm" }, { closeGraceMs: 150 }));
    const pid = runPid(session);
    const iterator = session.events()[Symbol.asyncIterator]();
    const seen: BackendEvent[] = [];
    while (!deltas(seen).includes("ignoring SIGTERM")) {
      const step = await iterator.next();
      if (step.done === true) break;
      seen.push(step.value);
    }
    const closing = session.close();
    expect(session.close()).toBe(closing);
    await closing;
    for (;;) {
      const step = await iterator.next();
      if (step.done === true) break;
      seen.push(step.value);
    }
    expect(onlyOutcome(seen).payload).toMatchObject({ code: "user_cancelled" });
    expect(livePidsOfGroup(pid)).toEqual([]);
  });

  it("a CLI that prints its result but ignores SIGTERM is killed after completion and close grace", async () => {
    const session = await backend.start(fakeRun({ mode: "ignore-sigterm", emitResult: true }, { closeGraceMs: 100, completionGraceMs: 50 }));
    const events = await collect(session);
    expect(onlyOutcome(events).payload).toMatchObject({ text: "done, but staying" });
    expect(livePidsOfGroup(runPid(session))).toEqual([]);
  });

  it("a slow consumer pauses reading instead of buffering, and gets every event in order", async () => {
    const lines = 8_000;
    const session = (await createCoreBackend(jsonlTestProfile(), { stateDir, eventHighWater: 32 }).start(
      fakeRun({ mode: "flood", lines, paddingBytes: 200 }),
    )) as CoreBackendSession;
    let count = 0;
    let sawPause = false;
    const events = await collect(session, async () => {
      count += 1;
      if (session.stats().paused) sawPause = true;
      if (count % 80 === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    });
    const numbers = deltas(events).map((text) => Number(text.split(" ")[0]));
    expect(numbers).toEqual(Array.from({ length: lines }, (_, index) => index));
    expect(onlyOutcome(events).payload).toMatchObject({ text: `flooded ${lines}` });
    expect(sawPause).toBe(true);
    // Without backpressure the queue would hold most of the 8000 lines; with it, the high-water
    // mark plus the few 64 KiB stdout chunks (~280 lines each) already read when reading paused.
    expect(session.stats().peakQueuedEvents).toBeLessThan(1_200);
    expect(livePidsOfGroup(runPid(session))).toEqual([]);
  });

  it("breaking out of events() closes the run", async () => {
    const session = (await backend.start(fakeRun({ mode: "hang", textFirst: "hello" }))) as CoreBackendSession;
    const pid = runPid(session);
    for await (const event of session.events()) {
      if (event.kind === "assistant_delta") break;
    }
    await session.whenFinished();
    expect(session.stats().finished).toBe(true);
    expect(livePidsOfGroup(pid)).toEqual([]);
    await expect(eventually(() => livePidsOfGroup(pid).length === 0)).resolves.toBe(true);
  });
});
