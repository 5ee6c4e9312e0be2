import type { PolicyAction, PolicyOptions } from "@asm/policy";
import { usageError } from "../exit-codes.js";
import { takeFlags } from "./take-flags.js";

/** The routing, policy and workspace flags of `asm run`. */
export interface ExtensionFlags {
  /** The arguments left for the run's own parser. */
  argv: string[];
  /** `--route claude,codex`: the providers to fail over through, in order; null without the flag. */
  route: string[] | null;
  /** The policy the flags ask for; null when no policy flag is given. */
  policy: PolicyOptions | null;
  /** `--snapshot`: snapshot the working directory before the run and show what it changed. */
  snapshot: boolean;
}

/** Actions `--policy-action` accepts. */
const POLICY_ACTIONS: readonly PolicyAction[] = ["warn", "request_approval", "cancel"];

const SPEC = {
  route: { kind: "list", hint: "providers in failover order, e.g. claude,codex" },
  "max-cost-usd": { kind: "string", hint: "a cost in USD, e.g. 0.50" },
  "max-output-tokens": { kind: "string", hint: "a number of tokens" },
  "deny-tool": { kind: "list", hint: "a tool name as the provider reports it (Bash, run_shell_command)" },
  "policy-action": { kind: "string", hint: POLICY_ACTIONS.join(", ") },
  snapshot: { kind: "boolean" },
} as const;

function amount(text: string | undefined, flag: string, integer: boolean): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (text === "" || !Number.isFinite(value) || value < 0 || (integer && !Number.isInteger(value))) {
    throw usageError(`${flag} must be a non-negative ${integer ? "whole number" : "number"} (got "${text}")`, { flag });
  }
  return value;
}

/**
 * Takes `--route`, `--max-cost-usd`, `--max-output-tokens`, `--deny-tool` (repeatable),
 * `--policy-action` and `--snapshot` out of `asm run`'s arguments. Every bad value is a usage
 * error naming its flag: a route that names a provider twice, a negative or non-numeric budget,
 * an action other than warn, request_approval or cancel, or an action with no rule to act on.
 */
export function takeExtensionFlags(argv: readonly string[]): ExtensionFlags {
  const taken = takeFlags(argv, SPEC);
  const route = taken.lists.route ?? null;
  if (route !== null) {
    const twice = route.find((name, index) => route.indexOf(name) !== index);
    if (twice !== undefined) throw usageError(`--route names ${twice} twice; each provider is tried once`, { flag: "--route" });
  }
  const policy: PolicyOptions = {};
  const maxCostUsd = amount(taken.strings["max-cost-usd"], "--max-cost-usd", false);
  if (maxCostUsd !== undefined) policy.maxCostUsd = maxCostUsd;
  const maxOutputTokens = amount(taken.strings["max-output-tokens"], "--max-output-tokens", true);
  if (maxOutputTokens !== undefined) policy.maxOutputTokens = maxOutputTokens;
  const denyTools = taken.lists["deny-tool"];
  if (denyTools !== undefined) policy.denyTools = [...new Set(denyTools)];
  const action = taken.strings["policy-action"];
  if (action !== undefined) {
    if (!(POLICY_ACTIONS as readonly string[]).includes(action)) throw usageError(`--policy-action must be one of ${POLICY_ACTIONS.join(", ")} (got "${action}")`, { flag: "--policy-action" });
    if (Object.keys(policy).length === 0) throw usageError("--policy-action needs a rule to act on: --max-cost-usd, --max-output-tokens or --deny-tool", { flag: "--policy-action" });
    policy.action = action as PolicyAction;
  }
  return { argv: taken.argv, route, policy: Object.keys(policy).length === 0 ? null : policy, snapshot: taken.booleans.has("snapshot") };
}
