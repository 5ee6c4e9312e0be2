/** Cumulative token and cost totals of a session. */
export interface CostTotals {
  inputTokens: number;
  outputTokens: number;
  cacheReadInputTokens: number;
  cacheCreationInputTokens: number;
  /** Sum of known run costs; null while no run reported a cost. */
  costUsd: number | null;
  /** False when some run's cost was unknown, so `costUsd` is a lower bound. */
  costComplete: boolean;
}

/** Empty totals. */
export function emptyCostTotals(): CostTotals {
  return { inputTokens: 0, outputTokens: 0, cacheReadInputTokens: 0, cacheCreationInputTokens: 0, costUsd: null, costComplete: true };
}

/**
 * Adds a finished run's usage and cost to session totals. Runs report cumulative or incremental
 * cost updates; the run's reduced totals are what is added, once, when the run ends.
 */
export function addRunCost(
  totals: CostTotals,
  run: { usage: { inputTokens: number; outputTokens: number; cacheReadInputTokens: number; cacheCreationInputTokens: number }; costUsd: number | null },
): CostTotals {
  const hadTokens = run.usage.inputTokens + run.usage.outputTokens > 0;
  return {
    inputTokens: totals.inputTokens + run.usage.inputTokens,
    outputTokens: totals.outputTokens + run.usage.outputTokens,
    cacheReadInputTokens: totals.cacheReadInputTokens + run.usage.cacheReadInputTokens,
    cacheCreationInputTokens: totals.cacheCreationInputTokens + run.usage.cacheCreationInputTokens,
    costUsd: run.costUsd === null ? totals.costUsd : (totals.costUsd ?? 0) + run.costUsd,
    costComplete: totals.costComplete && (run.costUsd !== null || !hadTokens),
  };
}
