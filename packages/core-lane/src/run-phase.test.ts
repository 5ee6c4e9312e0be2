import { describe, expect, it } from "vitest";
import { RunPhaseMachine } from "./run-phase.js";

describe("RunPhaseMachine", () => {
  it("moves forward only: running → settled → finalizing → finished", () => {
    const phase = new RunPhaseMachine();
    expect(phase.phase).toBe("running");
    expect(phase.isSettled).toBe(false);
    expect(phase.beginFinalizing()).toBe(false);
    expect(phase.settle("timeout")).toBe(true);
    expect(phase).toMatchObject({ phase: "settled", isSettled: true, settleReason: "timeout", isFinished: false });
    expect(phase.beginFinalizing()).toBe(true);
    expect(phase.beginFinalizing()).toBe(false);
    phase.finish();
    expect(phase).toMatchObject({ phase: "finished", isSettled: true, isFinished: true });
  });

  it("settles once: the first reason wins", () => {
    const phase = new RunPhaseMachine();
    expect(phase.settle("outcome")).toBe(true);
    expect(phase.settle("closed")).toBe(false);
    expect(phase.settleReason).toBe("outcome");
  });

  it("refuses to skip a phase", () => {
    expect(() => new RunPhaseMachine().finish()).toThrow(/no transition from running to finished/);
    const settled = new RunPhaseMachine();
    settled.settle("overflow");
    expect(() => settled.finish()).toThrow(/no transition from settled to finished/);
  });
});
