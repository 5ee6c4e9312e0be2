import type { AsmEvent } from "@asm/contract";

/** What the status line shows, updated event by event. */
export interface RunStats {
  inputTokens: number;
  outputTokens: number;
  /** Known cost so far; null while unknown. */
  costUsd: number | null;
  /** The tool running now (between its `tool_use` and `tool_result`). */
  tool: { name: string; callId: string } | null;
  /** An approval is waiting for an answer. */
  awaitingApproval: boolean;
  /** The provider's session id, once known. */
  providerSessionId: string | null;
  /** Model turns so far: the first answer, then one more each time the model answers tool results. */
  turns: number;
  /** No model output yet since the run started or since the last tool result. */
  awaitingModel: boolean;
}

// Events that show the model answering (what starts a new turn after tool results).
const MODEL_OUTPUT = new Set<AsmEvent["kind"]>(["assistant_delta", "assistant_message", "thinking", "tool_use"]);

/** Empty stats. */
export function emptyRunStats(): RunStats {
  return { inputTokens: 0, outputTokens: 0, costUsd: null, tool: null, awaitingApproval: false, providerSessionId: null, turns: 0, awaitingModel: true };
}

/**
 * Folds one event into the stats: `cost_update` adds (or replaces, when cumulative), a `result`
 * fills in usage and cost no `cost_update` reported, tools and approvals are tracked while open,
 * and model turns are counted (model output after the start or after a tool result opens one).
 */
export function updateRunStats(stats: RunStats, event: AsmEvent): void {
  if (event.providerSessionId) stats.providerSessionId = event.providerSessionId;
  if (stats.awaitingModel && MODEL_OUTPUT.has(event.kind)) {
    stats.turns += 1;
    stats.awaitingModel = false;
  }
  switch (event.kind) {
    case "cost_update": {
      const { inputTokens, outputTokens, costUsd, mode } = event.payload;
      if (mode === "cumulative") {
        stats.inputTokens = inputTokens;
        stats.outputTokens = outputTokens;
        if (costUsd !== null) stats.costUsd = costUsd;
      } else {
        stats.inputTokens += inputTokens;
        stats.outputTokens += outputTokens;
        if (costUsd !== null) stats.costUsd = (stats.costUsd ?? 0) + costUsd;
      }
      break;
    }
    case "result": {
      // As the kernel's reducer does: a result's usage and cost only fill in what no cost_update reported.
      const usage = event.payload.usage;
      if (usage && stats.inputTokens === 0 && stats.outputTokens === 0) {
        stats.inputTokens = usage.inputTokens;
        stats.outputTokens = usage.outputTokens;
      }
      if (typeof event.payload.costUsd === "number" && stats.costUsd === null) stats.costUsd = event.payload.costUsd;
      stats.tool = null;
      break;
    }
    case "tool_use":
      stats.tool = { name: event.payload.toolName, callId: event.payload.toolCallId };
      break;
    case "tool_result":
      if (stats.tool?.callId === event.payload.toolCallId) stats.tool = null;
      stats.awaitingModel = true;
      break;
    case "approval_requested":
      stats.awaitingApproval = true;
      break;
    case "approval_resolved":
      stats.awaitingApproval = false;
      break;
    case "run_completed":
      stats.tool = null;
      stats.awaitingApproval = false;
      break;
    default:
      break;
  }
}
