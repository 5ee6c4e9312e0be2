import type { AsmEvent } from "@asm/contract";

/** What a policy has counted: for a session, or for one run. */
export interface PolicyUsage {
  outputTokens: number;
  /** Known cost in USD (runs of unknown cost add nothing here; see `costUnknown`). */
  costUsd: number;
  /** Whether some run reported tokens without a price. */
  costUnknown: boolean;
  turns: number;
  /** Wall time of the runs so far (ms). */
  wallTimeMs: number;
  runs: number;
}

interface RunTally {
  startedAtMs: number;
  /** When the policy last saw this run (a run the kernel ended without telling plugs stops counting here). */
  lastSeenMs: number;
  sawCost: boolean;
  outputTokens: number;
  costUsd: number;
  costUnknown: boolean;
  turns: number;
}

/**
 * Counts one session's usage: finished runs are folded into the totals, the running ones are
 * tallied from their events (`cost_update` increments add, cumulative ones replace the run's
 * figure; a `result`'s usage is the floor).
 */
export class UsageLedger {
  private readonly done: PolicyUsage = { outputTokens: 0, costUsd: 0, costUnknown: false, turns: 0, wallTimeMs: 0, runs: 0 };
  private readonly running = new Map<string, RunTally>();

  /** Counts `event` into its run. */
  record(event: AsmEvent, nowMs: number): void {
    let tally = this.running.get(event.runId);
    if (tally === undefined) {
      tally = { startedAtMs: nowMs, lastSeenMs: nowMs, sawCost: false, outputTokens: 0, costUsd: 0, costUnknown: false, turns: 0 };
      this.running.set(event.runId, tally);
    }
    tally.lastSeenMs = nowMs;
    switch (event.kind) {
      case "cost_update": {
        tally.sawCost = true;
        const cumulative = event.payload.mode === "cumulative";
        tally.outputTokens = cumulative ? event.payload.outputTokens : tally.outputTokens + event.payload.outputTokens;
        if (event.payload.costUsd === null) {
          if (event.payload.inputTokens + event.payload.outputTokens > 0) tally.costUnknown = true;
        } else {
          tally.costUsd = cumulative ? event.payload.costUsd : tally.costUsd + event.payload.costUsd;
        }
        break;
      }
      case "assistant_message":
        tally.turns += 1;
        break;
      case "result": {
        const usage = event.payload.usage;
        if (usage && usage.outputTokens > tally.outputTokens) tally.outputTokens = usage.outputTokens;
        const costUsd = event.payload.costUsd;
        if (typeof costUsd === "number") {
          if (costUsd > tally.costUsd) tally.costUsd = costUsd;
        } else if (!tally.sawCost && usage && usage.inputTokens + usage.outputTokens > 0) {
          // Tokens and no price anywhere: the cost is unknown, not 0.
          tally.costUnknown = true;
        }
        break;
      }
      default:
        break;
    }
  }

  /** Folds a finished run into the totals. */
  finish(runId: string, nowMs: number): void {
    const tally = this.running.get(runId);
    if (tally === undefined) return;
    this.running.delete(runId);
    this.done.outputTokens += tally.outputTokens;
    this.done.costUsd += tally.costUsd;
    this.done.costUnknown ||= tally.costUnknown;
    this.done.turns += tally.turns;
    this.done.wallTimeMs += Math.max(nowMs, tally.lastSeenMs) - tally.startedAtMs;
    this.done.runs += 1;
  }

  /** The totals now: every finished run plus `runId` (or only `runId`, for run-scoped budgets). */
  usage(runId: string | null, nowMs: number, onlyThisRun: boolean): PolicyUsage {
    const base: PolicyUsage = onlyThisRun ? { outputTokens: 0, costUsd: 0, costUnknown: false, turns: 0, wallTimeMs: 0, runs: 0 } : { ...this.done };
    for (const [id, tally] of this.running) {
      if (onlyThisRun && id !== runId) continue;
      base.outputTokens += tally.outputTokens;
      base.costUsd += tally.costUsd;
      base.costUnknown ||= tally.costUnknown;
      base.turns += tally.turns;
      base.wallTimeMs += (id === runId ? nowMs : tally.lastSeenMs) - tally.startedAtMs;
    }
    return base;
  }

  /** Whether `runId`'s own cost is unknown. */
  runCostUnknown(runId: string): boolean {
    return this.running.get(runId)?.costUnknown === true;
  }
}
