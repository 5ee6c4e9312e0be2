import { describe, expect, it, vi } from "vitest";
import { ApprovalTracker } from "./approval-tracker.js";

const run = (id: string, sessionId = "s") => ({ id, sessionId });

describe("ApprovalTracker", () => {
  it("namespaces ids by run, so the same CLI id in two runs gives two ids", () => {
    const tracker = new ApprovalTracker();
    const a = run("run-a");
    const b = run("run-b");
    expect(tracker.assign(a, "req-1")).toBe("run-a/req-1");
    expect(tracker.assign(b, "req-1")).toBe("run-b/req-1");
    expect(tracker.approvalIdFor(a, "req-1")).toBe("run-a/req-1");
    expect(tracker.approvalIdFor(b, "req-1")).toBe("run-b/req-1");
  });

  it("never hands out an id twice at once, even when a CLI repeats its own", () => {
    const tracker = new ApprovalTracker();
    const a = run("run-a");
    const first = tracker.assign(a, "req-1");
    const second = tracker.assign(a, "req-1");
    expect(second).toBe("run-a/req-1#2");
    expect(tracker.assign(a, "req-1")).toBe("run-a/req-1#3");
    tracker.take(first);
    expect(tracker.assign(a, "req-1")).toBe("run-a/req-1");
    expect(tracker.size).toBe(3);
    void second;
  });

  it("waits only once delivered, times out, and forgets an answered id while still mapping the CLI's", () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    try {
      const tracker = new ApprovalTracker();
      const a = run("run-a");
      const id = tracker.assign(a, "req-1");
      expect(tracker.waiting(id)).toBeUndefined();
      expect(tracker.hasWaiting(a)).toBe(false);
      const timedOut = vi.fn();
      tracker.arm(id, "corr-1", 100, timedOut);
      expect(tracker.waiting(id)).toMatchObject({ approvalId: id, providerApprovalId: "req-1", correlationId: "corr-1", owner: a });
      expect(tracker.hasWaiting(a)).toBe(true);
      vi.advanceTimersByTime(100);
      expect(timedOut).toHaveBeenCalledOnce();
      expect(tracker.take(id)?.approvalId).toBe(id);
      expect(tracker.take(id)).toBeUndefined();
      expect(tracker.waiting(id)).toBeUndefined();
      expect(tracker.approvalIdFor(a, "req-1")).toBe(id);
    } finally {
      vi.useRealTimers();
    }
  });

  it("releases everything of a run when it ends, stopping its timers", () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    try {
      const tracker = new ApprovalTracker();
      const a = run("run-a");
      const b = run("run-b");
      const timedOut = vi.fn();
      tracker.arm(tracker.assign(a, "req-1"), "c", 100, timedOut);
      tracker.arm(tracker.assign(b, "req-1"), "c", 100, timedOut);
      tracker.release(a);
      expect(tracker.approvalIdFor(a, "req-1")).toBeUndefined();
      expect(tracker.hasWaiting(b)).toBe(true);
      vi.advanceTimersByTime(100);
      expect(timedOut).toHaveBeenCalledOnce();
    } finally {
      vi.useRealTimers();
    }
  });
});
