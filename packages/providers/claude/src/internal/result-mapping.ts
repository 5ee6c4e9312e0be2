import { stopReasonFields, type AsmErrorCode, type PayloadInputOf } from "@asm/contract";
import { errorTableFields, finiteNumber, nonEmptyString, nonNegativeInt, stringList } from "@asm/provider-utils";
import { CLAUDE_NO_CONVERSATION_PATTERN, classifyClaudeApiFailure, type ClaudeApiFailure } from "./exit-classification.js";
import { compact, type Json } from "./payload-helpers.js";
import { readUsage, resolveCostUsd } from "./usage.js";

/** What the parser knows when a result line arrives. */
export interface ResultContext {
  /** The model from `system/init` or the last assistant message. */
  model: string | undefined;
  /** The last failed API call seen on stdout. */
  lastApiFailure: ClaudeApiFailure | undefined;
  /** Whether Claude Code reported a user interrupt during the turn. */
  interruptSeen: boolean;
}

/** The events a `result` line becomes: an optional cost update, then the outcome. */
export type ResultEvents = {
  cost: PayloadInputOf<"cost_update"> | undefined;
  outcome: { kind: "result"; payload: PayloadInputOf<"result"> } | { kind: "error"; payload: PayloadInputOf<"error"> };
};

function classifyErrorResult(line: Json, text: string | undefined, context: ResultContext): { code: AsmErrorCode; message: string } {
  const subtype = nonEmptyString(line["subtype"]);
  const terminalReason = nonEmptyString(line["terminal_reason"]);
  if (terminalReason?.startsWith("aborted") === true || (subtype === "error_during_execution" && context.interruptSeen)) {
    return { code: "user_cancelled", message: `The turn was interrupted (${terminalReason ?? subtype})` };
  }
  if (subtype === "error_max_turns") {
    const turns = nonNegativeInt(line["num_turns"]);
    return { code: "guardrail_blocked", message: `Claude Code stopped at the maximum number of turns${turns === undefined ? "" : ` (${turns})`}` };
  }
  if (subtype === "error_max_budget_usd") return { code: "guardrail_blocked", message: "Claude Code stopped at the maximum budget" };
  if (text !== undefined && CLAUDE_NO_CONVERSATION_PATTERN.test(text)) {
    return { code: "not_found", message: `${text} (the session to resume does not exist: check the id, or start a new session)` };
  }
  const code = classifyClaudeApiFailure(
    compact({
      text: text ?? "",
      status: finiteNumber(line["api_error_status"]) ?? context.lastApiFailure?.status,
      errorKind: context.lastApiFailure?.errorKind ?? nonEmptyString(line["api_error_type"]),
    }),
  );
  return { code, message: text ?? "Claude Code reported an error result" };
}

/**
 * Maps a `result` line. `is_error: true` is a failure even when `subtype` says `success` (API
 * errors); so is any `error_*` subtype.
 */
export function mapResult(line: Json, context: ResultContext): ResultEvents {
  const usage = readUsage(line["usage"]);
  const costUsd = resolveCostUsd(line, usage, context.model);
  const rawTotal = finiteNumber(line["total_cost_usd"]);
  const totalCostUsd = rawTotal !== undefined && rawTotal >= 0 ? rawTotal : undefined;
  let cost: ResultEvents["cost"];
  if (usage !== undefined || costUsd !== null) {
    const tokens = usage ?? { inputTokens: 0, outputTokens: 0, cacheReadInputTokens: 0, cacheCreationInputTokens: 0 };
    const totalTokens = tokens.inputTokens + tokens.outputTokens;
    cost = compact({ ...tokens, totalTokens: Number.isSafeInteger(totalTokens) ? totalTokens : undefined, costUsd, totalCostUsd });
  }

  const subtype = nonEmptyString(line["subtype"]);
  const numTurns = nonNegativeInt(line["num_turns"]);
  const durationMs = nonNegativeInt(line["duration_ms"]);
  const terminalReason = nonEmptyString(line["terminal_reason"]);
  const denials = line["permission_denials"];
  const permissionDenials = Array.isArray(denials) && denials.length > 0 ? denials : undefined;

  if (line["is_error"] !== true && !(subtype?.startsWith("error") ?? false)) {
    return {
      cost,
      outcome: {
        kind: "result",
        payload: compact({
          text: typeof line["result"] === "string" ? line["result"] : undefined,
          ...stopReasonFields(line["stop_reason"]),
          usage,
          costUsd,
          numTurns,
          durationMs,
          structuredOutput: line["structured_output"],
          durationApiMs: nonNegativeInt(line["duration_api_ms"]),
          terminalReason,
          permissionDenials,
          totalCostUsd,
        }),
      },
    };
  }

  const errors = stringList(line["errors"]);
  const text = nonEmptyString(line["result"]) ?? (errors !== undefined && errors.length > 0 ? errors.join("; ") : undefined);
  const apiErrorStatus = finiteNumber(line["api_error_status"]);
  const { code, message } = classifyErrorResult(line, text, context);
  return {
    cost,
    outcome: {
      kind: "error",
      payload: compact({
        message,
        code,
        severity: "error" as const,
        ...errorTableFields(code),
        text,
        apiErrorStatus: apiErrorStatus ?? null,
        details: compact({
          subtype,
          terminalReason,
          apiErrorType: nonEmptyString(line["api_error_type"]),
          errors,
          permissionDenials,
          numTurns,
          durationMs,
          costUsd,
        }),
      }),
    },
  };
}
