import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { Watchdogs, type WatchdogHandlers } from "./watchdogs.js";

// Fake timers: these tests are about which timer fires and when relative to the others, never
// about wall-clock durations.
beforeEach(() => vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "performance"] }));
afterEach(() => vi.useRealTimers());

function watchdogs(overrides: Partial<WatchdogHandlers> = {}) {
  const fired: string[] = [];
  const state = { suspended: false, drainWanted: true };
  const dogs = new Watchdogs(
    { idleTimeoutMs: 100, wallTimeoutMs: 1_000, completionGraceMs: 50, drainMs: 30 },
    {
      idle: () => void fired.push("idle"),
      wall: () => void fired.push("wall"),
      completionDue: () => void fired.push("completion"),
      drainDue: () => void fired.push("drain"),
      idleSuspended: () => state.suspended,
      drainWanted: () => state.drainWanted,
      ...overrides,
    },
  );
  return { dogs, fired, state };
}

describe("Watchdogs", () => {
  it("fires idle only after a full period without output, re-arming itself for the rest", () => {
    const { dogs, fired } = watchdogs();
    dogs.armIdle();
    vi.advanceTimersByTime(60);
    dogs.noteOutput();
    vi.advanceTimersByTime(60);
    expect(fired).toEqual([]);
    vi.advanceTimersByTime(40);
    expect(fired).toEqual(["idle"]);
  });

  it("does not fire idle while suspended (slow consumer, pending approval)", () => {
    const { dogs, fired, state } = watchdogs();
    dogs.armIdle();
    state.suspended = true;
    vi.advanceTimersByTime(500);
    expect(fired).toEqual([]);
    state.suspended = false;
    dogs.armIdle();
    vi.advanceTimersByTime(100);
    expect(fired).toEqual(["idle"]);
  });

  it("runs the wall clock, the completion grace and the drain guard independently, and clears them all", () => {
    const { dogs, fired, state } = watchdogs();
    dogs.startWall();
    dogs.armCompletion();
    dogs.armDrain();
    vi.advanceTimersByTime(10);
    dogs.noteOutput(); // output extends an armed drain guard: due at 40 instead of 30
    vi.advanceTimersByTime(25);
    expect(fired).toEqual([]);
    vi.advanceTimersByTime(10);
    expect(fired).toEqual(["drain"]);
    vi.advanceTimersByTime(10);
    expect(fired).toEqual(["drain", "completion"]);
    state.drainWanted = false;
    dogs.armDrain();
    dogs.armIdle();
    dogs.clearAll();
    vi.advanceTimersByTime(5_000);
    expect(fired).toEqual(["drain", "completion"]);
  });

  it("fires the wall clock once", () => {
    const { dogs, fired } = watchdogs();
    dogs.startWall();
    vi.advanceTimersByTime(5_000);
    expect(fired).toEqual(["wall"]);
  });
});
