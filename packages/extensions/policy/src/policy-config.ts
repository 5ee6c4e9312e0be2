import { AsmError } from "@asm/contract";

/** What a policy does when a rule is broken. */
export type PolicyAction = "warn" | "request_approval" | "cancel";

/** Options of `createPolicy`. Every budget is optional; a policy with none only checks tools. */
export interface PolicyOptions {
  /** Tools the agent may not call. */
  denyTools?: readonly string[];
  /** When set, the only tools the agent may call. */
  allowTools?: readonly string[];
  /** Output tokens the agent may produce. */
  maxOutputTokens?: number;
  /** Cost in USD (from the run's `cost_update` events; see `unknownCost`). */
  maxCostUsd?: number;
  /** Agent turns (assistant messages). */
  maxTurns?: number;
  /** Wall time (ms) the runs may take, measured from each run's start, checked as events arrive. */
  maxWallTimeMs?: number;
  /** Whether budgets add up over every run of a session (default) or start over with each run. */
  scope?: "session" | "run";
  /** Default action for every rule (default `cancel`). */
  action?: PolicyAction;
  /** Action for tool rules (default: `action`). */
  toolAction?: PolicyAction;
  /** Action for budget rules (default: `action`). */
  budgetAction?: PolicyAction;
  /**
   * With `maxCostUsd` set, what a run whose cost is unknown (tokens reported, price not) does:
   * `fail_closed` (default) treats it as a budget violation, since the budget can no longer be
   * guaranteed; `warn` emits one `guardrail_triggered` (action `warn`) per run and goes on. Unknown
   * cost never counts as 0.
   */
  unknownCost?: "fail_closed" | "warn";
  /** Clock (epoch ms) for the wall-time budget; tests pass a fake one. */
  clock?: () => number;
}

/** Validated policy settings. */
export interface PolicyConfig {
  denyTools: ReadonlySet<string>;
  allowTools: ReadonlySet<string> | null;
  maxOutputTokens: number | null;
  maxCostUsd: number | null;
  maxTurns: number | null;
  maxWallTimeMs: number | null;
  scope: "session" | "run";
  toolAction: PolicyAction;
  budgetAction: PolicyAction;
  unknownCost: "fail_closed" | "warn";
  clock: () => number;
  /** Whether any budget is set (a tools-only policy never computes usage per event). */
  hasBudgets: boolean;
}

const ACTIONS = new Set<string>(["warn", "request_approval", "cancel"]);

function invalid(key: string, message: string): AsmError {
  return new AsmError("config_invalid", `${key} ${message}`, { details: { key } });
}

function tools(value: unknown, key: string): Set<string> | null {
  if (value === undefined) return null;
  if (!Array.isArray(value)) throw invalid(key, "must be an array of tool names");
  value.forEach((name: unknown, index) => {
    if (typeof name !== "string" || name === "") throw invalid(`${key}[${index}]`, "must be a non-empty tool name");
  });
  return new Set(value as string[]);
}

function limit(value: unknown, key: string, integer: boolean): number | null {
  if (value === undefined) return null;
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0 || (integer && !Number.isInteger(value))) {
    throw invalid(key, integer ? "must be a non-negative integer" : "must be a non-negative number");
  }
  return value;
}

function action(value: unknown, key: string, fallback: PolicyAction): PolicyAction {
  if (value === undefined) return fallback;
  if (typeof value !== "string" || !ACTIONS.has(value)) throw invalid(key, 'must be "warn", "request_approval" or "cancel"');
  return value as PolicyAction;
}

/** Validates `createPolicy`'s options; every problem is `config_invalid` naming the field. */
export function resolvePolicyConfig(options: PolicyOptions): PolicyConfig {
  if (typeof options !== "object" || options === null) throw invalid("options", "must be an object");
  const known = new Set(["denyTools", "allowTools", "maxOutputTokens", "maxCostUsd", "maxTurns", "maxWallTimeMs", "scope", "action", "toolAction", "budgetAction", "unknownCost", "clock"]);
  for (const key of Object.keys(options)) if (!known.has(key)) throw invalid(key, "is not a policy option");
  const fallback = action(options.action, "action", "cancel");
  const scope = options.scope ?? "session";
  if (scope !== "session" && scope !== "run") throw invalid("scope", 'must be "session" or "run"');
  const unknownCost = options.unknownCost ?? "fail_closed";
  if (unknownCost !== "fail_closed" && unknownCost !== "warn") throw invalid("unknownCost", 'must be "fail_closed" or "warn"');
  if (options.clock !== undefined && typeof options.clock !== "function") throw invalid("clock", "must be a function returning epoch milliseconds");
  const maxOutputTokens = limit(options.maxOutputTokens, "maxOutputTokens", true);
  const maxCostUsd = limit(options.maxCostUsd, "maxCostUsd", false);
  const maxTurns = limit(options.maxTurns, "maxTurns", true);
  const maxWallTimeMs = limit(options.maxWallTimeMs, "maxWallTimeMs", false);
  return {
    denyTools: tools(options.denyTools, "denyTools") ?? new Set(),
    allowTools: tools(options.allowTools, "allowTools"),
    maxOutputTokens,
    maxCostUsd,
    maxTurns,
    maxWallTimeMs,
    hasBudgets: maxOutputTokens !== null || maxCostUsd !== null || maxTurns !== null || maxWallTimeMs !== null,
    scope,
    toolAction: action(options.toolAction, "toolAction", fallback),
    budgetAction: action(options.budgetAction, "budgetAction", fallback),
    unknownCost,
    clock: options.clock ?? Date.now,
  };
}
