import { describe, expect, it } from "vitest";
import { isStopReason, resultPayload, stopReasonFields, stopReasonOf } from "./index.js";

describe("stopReasonOf", () => {
  it.each([
    ["end_turn", "end_turn"],
    ["max_tokens", "max_tokens"],
    ["tool_use", "tool_use"],
    ["completed", "end_turn"],
    ["length", "max_tokens"],
    ["model_context_window_exceeded", "max_tokens"],
    ["max_turn_requests", "max_turns"],
    ["pause_turn", "other"],
    ["constructor", "other"],
    [undefined, "end_turn"],
    [null, "end_turn"],
    ["", "end_turn"],
    [42, "other"],
  ])("%s → %s", (native, reason) => {
    expect(stopReasonOf(native)).toBe(reason);
    expect(isStopReason(stopReasonOf(native))).toBe(true);
  });

  it("keeps the native value beside the documented one only when they differ", () => {
    expect(stopReasonFields("end_turn")).toEqual({ stopReason: "end_turn" });
    expect(stopReasonFields(undefined)).toEqual({ stopReason: "end_turn" });
    expect(stopReasonFields("pause_turn")).toEqual({ stopReason: "other", nativeStopReason: "pause_turn" });
  });

  it("is what a result payload accepts, and nothing else", () => {
    expect(resultPayload.safeParse({ stopReason: "end_turn" }).success).toBe(true);
    expect(resultPayload.safeParse({ stopReason: "end" }).success).toBe(false);
    expect(resultPayload.safeParse({ stopReason: "done" }).success).toBe(false);
  });
});
