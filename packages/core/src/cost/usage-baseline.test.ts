import { backendEvent, type BackendEvent } from "@asm/contract";
import { describe, expect, it } from "vitest";
import { rebaseCumulativeUsage } from "./usage-baseline.js";

const cumulative = (inputTokens: number, outputTokens: number, costUsd: number | null, extra: Record<string, number> = {}): Extract<BackendEvent, { kind: "cost_update" }> =>
  backendEvent("cost_update", { inputTokens, outputTokens, costUsd, mode: "cumulative", ...extra });

describe("rebaseCumulativeUsage", () => {
  it("leaves a fresh thread's totals as they are", () => {
    const event = cumulative(100, 10, 0.5);
    const rebased = rebaseCumulativeUsage(event, undefined);
    expect(rebased.event).toBe(event);
    expect(rebased.thread).toEqual({ inputTokens: 100, outputTokens: 10, cacheReadInputTokens: 0, cacheCreationInputTokens: 0, costUsd: 0.5 });
  });

  it("subtracts what earlier runs of the thread reported, keeping the thread's totals in metadata", () => {
    const baseline = { inputTokens: 60, outputTokens: 4, cacheReadInputTokens: 10, cacheCreationInputTokens: 0, costUsd: 0.2 };
    const rebased = rebaseCumulativeUsage(cumulative(100, 10, 0.5, { totalTokens: 110, cacheReadInputTokens: 30 }), baseline);
    expect(rebased.event.payload).toMatchObject({ inputTokens: 40, outputTokens: 6, totalTokens: 46, cacheReadInputTokens: 20, cacheCreationInputTokens: 0 });
    expect(rebased.event.payload.costUsd).toBeCloseTo(0.3, 10);
    expect(rebased.event.metadata?.threadUsage).toEqual(rebased.thread);
  });

  it("never goes below zero, and keeps an unknown cost unknown", () => {
    const baseline = { inputTokens: 500, outputTokens: 50, cacheReadInputTokens: 0, cacheCreationInputTokens: 0, costUsd: null };
    const rebased = rebaseCumulativeUsage(cumulative(100, 10, null), baseline);
    expect(rebased.event.payload).toMatchObject({ inputTokens: 0, outputTokens: 0, costUsd: null });
    const priced = rebaseCumulativeUsage(cumulative(100, 10, 0.4), baseline);
    expect(priced.event.payload.costUsd).toBe(0.4);
  });
});
