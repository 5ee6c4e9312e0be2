import { estimateClaudeCostUsd } from "./models.js";
import { finiteNumber, isRecord, tokenCount } from "@asm/provider-utils";

/** Token counts of a Claude `result` line, in contract form (a type alias, so it fits loose payloads). */
export type ResultUsage = {
  inputTokens: number;
  outputTokens: number;
  cacheReadInputTokens: number;
  cacheCreationInputTokens: number;
};

/** Reads `usage` of a result line; undefined when the line has none. */
export function readUsage(value: unknown): ResultUsage | undefined {
  if (!isRecord(value)) return undefined;
  return {
    inputTokens: tokenCount(value["input_tokens"]),
    outputTokens: tokenCount(value["output_tokens"]),
    cacheReadInputTokens: tokenCount(value["cache_read_input_tokens"]),
    cacheCreationInputTokens: tokenCount(value["cache_creation_input_tokens"]),
  };
}

function sumCosts(value: unknown): number | undefined {
  if (!isRecord(value)) return undefined;
  const entries = Object.values(value);
  if (entries.length === 0) return undefined;
  let total = 0;
  for (const entry of entries) {
    const cost = isRecord(entry) ? finiteNumber(entry["costUSD"]) : undefined;
    if (cost === undefined || cost < 0) return undefined;
    total += cost;
  }
  return Number.isFinite(total) ? total : undefined;
}

/**
 * The cost of the turn a result line closes. The CLI's own numbers win over an estimate:
 * `model_usage_since_last_result` (this turn only) first, then `total_cost_usd` (which counts
 * every turn of the process, and on `--resume` the earlier session too), then the sum of
 * `modelUsage`, then list prices for `model`, else `null`.
 */
export function resolveCostUsd(result: Record<string, unknown>, usage: ResultUsage | undefined, model: string | undefined): number | null {
  const turn = sumCosts(result["model_usage_since_last_result"]);
  if (turn !== undefined) return turn;
  const total = finiteNumber(result["total_cost_usd"]);
  if (total !== undefined && total >= 0) return total;
  const byModel = sumCosts(result["modelUsage"]);
  if (byModel !== undefined) return byModel;
  if (usage === undefined) return null;
  const models = isRecord(result["modelUsage"]) ? Object.keys(result["modelUsage"]) : [];
  const estimate = estimateClaudeCostUsd(models.length === 1 ? models[0] : model, usage);
  return estimate !== null && Number.isFinite(estimate) ? estimate : null;
}
