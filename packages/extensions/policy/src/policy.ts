import { AsmError, backendEvent, isOutcomeEvent, type AsmEvent, type BackendEvent } from "@asm/contract";
import { pass, type PipelinePlug, type PlugContext, type PlugResult } from "@asm/core";
import { resolvePolicyConfig, type PolicyConfig, type PolicyOptions } from "./policy-config.js";
import { UsageLedger, type PolicyUsage } from "./usage-ledger.js";
import { budgetViolations, toolViolations, type Violation } from "./violations.js";

/** A policy: its enforcer plug and what it has counted. */
export interface Policy {
  /** The enforcer: put it in a run's or session's `pipeline`. One policy may serve many sessions. */
  readonly plug: PipelinePlug;
  /** What the policy has counted for a session (every run so far, the running ones included). */
  usage(sessionId: string): PolicyUsage;
  /** Forgets a session's counts (call it when the session is gone, or to start its budgets over). */
  forget(sessionId: string): void;
}

const HANDLED = "policy.handled";
const COUNTED = new Set<string>(["cost_update", "assistant_message", "result"]);

function trigger(violation: Violation, extra: Record<string, unknown> = {}): BackendEvent {
  return backendEvent("guardrail_triggered", {
    rule: violation.rule,
    action: violation.action,
    direction: "output",
    message: violation.message,
    metadata: { ...violation.metadata, ...extra },
  });
}

function blocked(violations: Violation[], reason?: string): AsmError {
  const first = violations[0] as Violation;
  return new AsmError("guardrail_blocked", reason ? `${first.message} (${reason})` : first.message, {
    details: { rule: first.rule, rules: violations.map((violation) => violation.rule), ...first.metadata },
  });
}

/**
 * Creates a policy. Bad options fail now with `config_invalid` naming the field.
 *
 * Violations become `guardrail_triggered` events. `warn` lets the event through with the trigger
 * after it; `request_approval` holds the event and asks through the kernel's approval flow (an
 * allow lets it through, a deny or the approval timeout ends the run with `guardrail_blocked`);
 * `cancel` ends the run with `guardrail_blocked`. Where no approval flow backs the plug it fails
 * closed (cancel). A budget fires once per run; a tool rule on every offending call.
 *
 * @example
 * ```ts
 * const policy = createPolicy({ denyTools: ["Bash"], maxCostUsd: 2, budgetAction: "request_approval" });
 * const session = await asm.startSession({ provider: "claude", pipeline: [policy.plug] });
 * ```
 */
export function createPolicy(options: PolicyOptions = {}): Policy {
  const config: PolicyConfig = resolvePolicyConfig(options);
  const ledgers = new Map<string, UsageLedger>();
  const ledgerOf = (sessionId: string): UsageLedger => {
    let ledger = ledgers.get(sessionId);
    if (ledger === undefined) {
      ledger = new UsageLedger();
      ledgers.set(sessionId, ledger);
    }
    return ledger;
  };

  const handle = async (event: AsmEvent, context: PlugContext): Promise<PlugResult> => {
    const now = config.clock();
    const ledger = ledgerOf(context.sessionId);
    ledger.record(event, now);
    const handled = (context.state[HANDLED] ??= new Set<string>()) as Set<string>;
    const ends = isOutcomeEvent(event);
    // Budgets move only on counted events (and with time, when wall time is budgeted).
    const budgetsMove = config.maxWallTimeMs !== null || COUNTED.has(event.kind);
    const budgets = budgetsMove && config.hasBudgets ? budgetViolations(config, ledger.usage(event.runId, now, config.scope === "run")) : [];
    const violations = [...toolViolations(config, event), ...budgets].filter((violation) => !handled.has(violation.key));
    if (violations.length === 0) {
      if (ends) ledger.finish(event.runId, now);
      return pass(event);
    }
    for (const violation of violations) handled.add(violation.key);
    const cancels = violations.filter((violation) => violation.action === "cancel");
    const asks = violations.filter((violation) => violation.action === "request_approval");
    const warns = violations.filter((violation) => violation.action === "warn");
    if (cancels.length > 0 || (asks.length > 0 && !context.requestApproval)) {
      ledger.finish(event.runId, now);
      const failing = cancels.length > 0 ? cancels : asks;
      const reason = cancels.length > 0 ? undefined : "no approval flow to ask through; failing closed";
      return { action: "fail", error: blocked(failing, reason), inject: violations.map((violation) => trigger(violation)) };
    }
    if (asks.length > 0 && context.requestApproval) {
      const first = asks[0] as Violation;
      const subject = first.rule.startsWith("tool_") ? String(first.metadata.toolName) : "policy_violation";
      const answer = await context.requestApproval({
        subject,
        details: { rules: asks.map((violation) => ({ rule: violation.rule, message: violation.message, ...violation.metadata })) },
      });
      if (answer.decision !== "allow") {
        ledger.finish(event.runId, now);
        return { action: "fail", error: blocked(asks, answer.reason === "timeout" ? "approval timed out" : "approval denied"), inject: asks.map((violation) => trigger(violation, { decision: "deny" })) };
      }
      if (ends) ledger.finish(event.runId, now);
      return pass(event, [...asks.map((violation) => trigger(violation, { decision: "allow" })), ...warns.map((violation) => trigger(violation))]);
    }
    if (ends) ledger.finish(event.runId, now);
    return pass(event, warns.map((violation) => trigger(violation)));
  };

  return {
    plug: { name: "policy", handle },
    usage: (sessionId) => ledgerOf(sessionId).usage(null, config.clock(), false),
    forget: (sessionId) => {
      ledgers.delete(sessionId);
    },
  };
}
