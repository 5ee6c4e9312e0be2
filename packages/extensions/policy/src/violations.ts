import type { AsmEvent } from "@asm/contract";
import type { PolicyAction, PolicyConfig } from "./policy-config.js";
import type { PolicyUsage } from "./usage-ledger.js";

/** The rules a policy checks. */
export type PolicyRule = "tool_denied" | "tool_not_allowed" | "output_tokens" | "cost_usd" | "cost_unknown" | "turns" | "wall_time";

/** One broken rule. */
export interface Violation {
  rule: PolicyRule;
  action: PolicyAction;
  message: string;
  metadata: Record<string, unknown>;
  /** Tool violations are judged per call (this id); budget violations once per run. */
  key: string;
}

/** The tool rules `event` breaks. */
export function toolViolations(config: PolicyConfig, event: AsmEvent): Violation[] {
  if (event.kind !== "tool_use") return [];
  const { toolName, toolCallId } = event.payload;
  const meta = { toolName, toolCallId, input: event.payload.input };
  if (config.denyTools.has(toolName)) {
    return [{ rule: "tool_denied", action: config.toolAction, message: `Tool denied by policy: ${toolName}`, metadata: meta, key: `tool:${toolCallId}` }];
  }
  if (config.allowTools !== null && !config.allowTools.has(toolName)) {
    return [{ rule: "tool_not_allowed", action: config.toolAction, message: `Tool not on the policy's allow-list: ${toolName}`, metadata: meta, key: `tool:${toolCallId}` }];
  }
  return [];
}

/** The budgets `usage` is over. */
export function budgetViolations(config: PolicyConfig, usage: PolicyUsage): Violation[] {
  const out: Violation[] = [];
  const scope = config.scope;
  const over = (rule: PolicyRule, used: number, limit: number | null, unit: string) => {
    if (limit === null || used <= limit) return;
    out.push({ rule, action: config.budgetAction, message: `${unit} ${used} exceed the ${scope} budget of ${limit}`, metadata: { used, limit, scope }, key: rule });
  };
  over("output_tokens", usage.outputTokens, config.maxOutputTokens, "Output tokens");
  over("cost_usd", Number(usage.costUsd.toFixed(6)), config.maxCostUsd, "Cost (USD)");
  over("turns", usage.turns, config.maxTurns, "Turns");
  over("wall_time", usage.wallTimeMs, config.maxWallTimeMs, "Wall time (ms)");
  if (config.maxCostUsd !== null && usage.costUnknown) {
    out.push({
      rule: "cost_unknown",
      action: config.unknownCost === "warn" ? "warn" : config.budgetAction,
      message: `The cost of a run is unknown (tokens reported, no price), so the ${scope} budget of ${config.maxCostUsd} USD cannot be guaranteed`,
      metadata: { limit: config.maxCostUsd, knownCostUsd: usage.costUsd, scope },
      key: "cost_unknown",
    });
  }
  return out;
}
