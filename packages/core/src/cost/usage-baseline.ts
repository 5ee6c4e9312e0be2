import type { BackendEvent } from "@asm/contract";

/** Token and cost totals as a cumulative `cost_update` reports them. */
export interface UsageTotals {
  inputTokens: number;
  outputTokens: number;
  cacheReadInputTokens: number;
  cacheCreationInputTokens: number;
  costUsd: number | null;
}

/** A cumulative cost update made run-relative, and the thread totals it reported. */
export interface RebasedUsage {
  /** The event to emit: the run's own usage, with the thread's in `metadata.threadUsage`. */
  event: Extract<BackendEvent, { kind: "cost_update" }>;
  /** What the provider reported for its whole session (thread), before rebasing. */
  thread: UsageTotals;
}

const minus = (a: number, b: number) => Math.max(0, a - b);

/**
 * Some providers report cumulative usage for the whole provider session (a resumed Codex thread).
 * Subtracting what earlier runs of that thread reported keeps a run's usage its own, so session
 * totals never count a turn twice; the thread's totals are kept in `metadata.threadUsage`.
 * Without a baseline (a fresh thread) the event is returned as it is.
 */
export function rebaseCumulativeUsage(event: Extract<BackendEvent, { kind: "cost_update" }>, baseline: UsageTotals | undefined): RebasedUsage {
  const p = event.payload;
  const thread: UsageTotals = {
    inputTokens: p.inputTokens,
    outputTokens: p.outputTokens,
    cacheReadInputTokens: p.cacheReadInputTokens ?? 0,
    cacheCreationInputTokens: p.cacheCreationInputTokens ?? 0,
    costUsd: p.costUsd ?? null,
  };
  if (!baseline) return { event, thread };
  return {
    thread,
    event: {
      ...event,
      payload: {
        ...p,
        inputTokens: minus(thread.inputTokens, baseline.inputTokens),
        outputTokens: minus(thread.outputTokens, baseline.outputTokens),
        ...(p.totalTokens === undefined ? {} : { totalTokens: minus(p.totalTokens, baseline.inputTokens + baseline.outputTokens) }),
        cacheReadInputTokens: minus(thread.cacheReadInputTokens, baseline.cacheReadInputTokens),
        cacheCreationInputTokens: minus(thread.cacheCreationInputTokens, baseline.cacheCreationInputTokens),
        costUsd: thread.costUsd === null ? null : baseline.costUsd === null ? thread.costUsd : Math.max(0, thread.costUsd - baseline.costUsd),
      },
      metadata: { ...event.metadata, threadUsage: thread },
    },
  };
}
