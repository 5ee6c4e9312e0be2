import { z } from "zod";
import { ASM_ERROR_CODE_LIST, ASM_ERROR_DOMAINS } from "./error-codes.js";
import type { EventKind } from "./event-kinds.js";
import { STOP_REASON_LIST } from "./stop-reasons.js";
import { TOOL_KINDS } from "./tool-kind.js";
import { ASM_WARNING_CODE_LIST, NAMESPACED_WARNING_CODE, type NamespacedWarningCode } from "./warning-codes.js";

// Payloads are loose objects: fields a provider adds that we do not model are preserved.

/** A block of message content (text, thinking, tool call, tool result, or anything else). */
export const contentBlockSchema = z.union([
  z.looseObject({ type: z.literal("text"), text: z.string() }),
  z.looseObject({ type: z.literal("thinking"), thinking: z.string(), signature: z.string().optional() }),
  z.looseObject({ type: z.literal("tool_use"), id: z.string(), name: z.string(), input: z.unknown() }),
  z.looseObject({
    type: z.literal("tool_result"),
    toolUseId: z.string(),
    content: z.unknown(),
    isError: z.boolean().optional(),
  }),
  z.looseObject({ type: z.string() }),
]);
/** A block of message content. */
export type ContentBlock = z.infer<typeof contentBlockSchema>;

/** Token counts. Cache fields are zero when the provider does not report them. */
export const usageSchema = z.looseObject({
  inputTokens: z.number().int().nonnegative(),
  outputTokens: z.number().int().nonnegative(),
  cacheReadInputTokens: z.number().int().nonnegative().default(0),
  cacheCreationInputTokens: z.number().int().nonnegative().default(0),
});
/** Token counts for a run or a session. */
export type Usage = z.infer<typeof usageSchema>;

/** The run began; the CLI (or SDK) is up. */
export const runStartedPayload = z.looseObject({
  providerSessionId: z.string().optional(),
  command: z.string().optional(),
  args: z.array(z.string()).optional(),
  cwd: z.string().optional(),
  model: z.string().optional(),
  cliVersion: z.string().optional(),
  tools: z.array(z.string()).optional(),
});
/** The provider announced (or changed) its own session id after the run began. */
export const sessionUpdatedPayload = z.looseObject({ providerSessionId: z.string() });
/** A streamed fragment of assistant text. */
export const assistantDeltaPayload = z.looseObject({
  content: z.string(),
  index: z.number().int().optional(),
  format: z.literal("text").default("text"),
});
/** A complete assistant message. */
export const assistantMessagePayload = z.looseObject({
  content: z.array(contentBlockSchema),
  role: z.literal("assistant").default("assistant"),
  model: z.string().optional(),
});
/** A user message echoed by the provider. */
export const userMessagePayload = z.looseObject({
  content: z.union([z.string(), z.array(contentBlockSchema)]),
  role: z.literal("user").default("user"),
});
/** Model reasoning. */
export const thinkingPayload = z.looseObject({ content: z.string(), signature: z.string().optional() });
/**
 * The agent called a tool. `toolName` is the provider's own name; `toolKind` the normalized kind
 * ({@link TOOL_KINDS}), set by every provider and lane (the kernel fills it from the name for a
 * backend that does not).
 */
export const toolUsePayload = z.looseObject({
  toolName: z.string(),
  toolCallId: z.string(),
  input: z.unknown(),
  toolKind: z.enum(TOOL_KINDS).optional(),
});
/** A tool call's result. */
export const toolResultPayload = z.looseObject({
  toolCallId: z.string(),
  toolName: z.string().optional(),
  content: z.unknown(),
  isError: z.boolean().default(false),
  toolKind: z.enum(TOOL_KINDS).optional(),
});
/** The agent's plan or todo list. */
export const planPayload = z.looseObject({
  entries: z.array(z.looseObject({ content: z.string(), status: z.string().optional() })),
});
/**
 * The agent asks permission; answer with `approve(approvalId, decision)`. The kernel hands out
 * `approvalId`, unique in the runtime (namespaced by run); the CLI's own request id, which may
 * repeat across runs, is kept as `providerApprovalId`.
 */
export const approvalRequestedPayload = z.looseObject({
  approvalId: z.string(),
  /** The id the CLI (or SDK) gave the request, as it was before the kernel namespaced it. */
  providerApprovalId: z.string().optional(),
  subject: z.string(),
  details: z.record(z.string(), z.unknown()).default({}),
});
/** An approval decision (a person's, or `deny` with reason `timeout`). */
export const approvalResolvedPayload = z.looseObject({
  approvalId: z.string(),
  decision: z.enum(["allow", "deny"]),
  reason: z.string().optional(),
});
/** Token and cost accounting. `costUsd` is `null` when unknown, never a made-up 0. */
export const costUpdatePayload = z.looseObject({
  inputTokens: z.number().int().nonnegative(),
  outputTokens: z.number().int().nonnegative(),
  totalTokens: z.number().int().nonnegative().optional(),
  cacheReadInputTokens: z.number().int().nonnegative().optional(),
  cacheCreationInputTokens: z.number().int().nonnegative().optional(),
  costUsd: z.number().nonnegative().nullable(),
  /** `cumulative` replaces the run's totals (Codex reports thread totals); `increment` adds. */
  mode: z.enum(["increment", "cumulative"]).default("increment"),
});
/** The provider hit a usage limit. */
export const rateLimitedPayload = z.looseObject({ message: z.string(), resetsAt: z.string().optional() });
/** A policy or guardrail fired without necessarily stopping the run. */
export const guardrailTriggeredPayload = z.looseObject({
  rule: z.string(),
  action: z.enum(["warn", "request_approval", "cancel"]),
  direction: z.enum(["input", "output"]).default("output"),
  message: z.string(),
  metadata: z.record(z.string(), z.unknown()).default({}),
});
/** A warning code: one of ASM's ({@link ASM_WARNING_CODE_LIST}) or a namespaced one (`audit.tool_seen`). */
export const warningCodeSchema = z.union([
  z.enum(ASM_WARNING_CODE_LIST),
  z.custom<NamespacedWarningCode>((value) => typeof value === "string" && NAMESPACED_WARNING_CODE.test(value), {
    message: "a warning code is one of ASM's (ASM_WARNING_CODES) or namespaced as <namespace>.<code>",
  }),
]);

/** A non-fatal condition worth surfacing (schema drift, unsupported CLI version, reconnect). */
export const warningPayload = z.looseObject({
  code: warningCodeSchema,
  message: z.string(),
  details: z.record(z.string(), z.unknown()).default({}),
});
/** The provider's final answer for the run (a success outcome). */
export const resultPayload = z.looseObject({
  status: z.literal("success").default("success"),
  text: z.string().optional(),
  /** Why the turn ended, one of the documented set ({@link STOP_REASON_LIST}). */
  stopReason: z.enum(STOP_REASON_LIST).nullable().optional(),
  /** The provider's own stop reason, when it differs from `stopReason`. */
  nativeStopReason: z.string().optional(),
  usage: usageSchema.optional(),
  costUsd: z.number().nonnegative().nullable().optional(),
  numTurns: z.number().int().nonnegative().optional(),
  durationMs: z.number().nonnegative().optional(),
  structuredOutput: z.unknown().optional(),
});
/** A failure. Severity `error`/`fatal` ends the run; `info`/`warning` do not. */
export const errorPayload = z.looseObject({
  message: z.string(),
  code: z.enum(ASM_ERROR_CODE_LIST),
  severity: z.enum(["info", "warning", "error", "fatal"]).default("error"),
  /** Informational: always the code's domain in {@link ASM_ERROR_CODES} (readers derive it from `code`). */
  domain: z.enum(ASM_ERROR_DOMAINS).optional(),
  retryable: z.boolean().optional(),
  exitCode: z.number().int().nullable().optional(),
  stderrTail: z.string().optional(),
  details: z.record(z.string(), z.unknown()).optional(),
});
/** A chunk of the CLI's stderr. */
export const stderrPayload = z.looseObject({ content: z.string() });
/** A provider event ASM does not model, passed through untouched. */
export const rawPayload = z.looseObject({ stream: z.enum(["stdout", "stderr", "sdk"]), content: z.unknown() });
/** The last event of every run. */
export const runCompletedPayload = z.looseObject({
  status: z.enum(["completed", "failed", "interrupted"]),
  error: z
    .looseObject({ code: z.enum(ASM_ERROR_CODE_LIST), message: z.string(), domain: z.enum(ASM_ERROR_DOMAINS).optional() })
    .optional(),
});

/** The payload schema for each event kind. */
export const payloadSchemas = {
  run_started: runStartedPayload,
  session_updated: sessionUpdatedPayload,
  assistant_delta: assistantDeltaPayload,
  assistant_message: assistantMessagePayload,
  user_message: userMessagePayload,
  thinking: thinkingPayload,
  tool_use: toolUsePayload,
  tool_result: toolResultPayload,
  plan: planPayload,
  approval_requested: approvalRequestedPayload,
  approval_resolved: approvalResolvedPayload,
  cost_update: costUpdatePayload,
  rate_limited: rateLimitedPayload,
  guardrail_triggered: guardrailTriggeredPayload,
  warning: warningPayload,
  result: resultPayload,
  error: errorPayload,
  stderr: stderrPayload,
  raw: rawPayload,
  run_completed: runCompletedPayload,
} as const satisfies Record<EventKind, z.ZodType>;

/** The payload type of each event kind (after defaults are applied). */
export type PayloadOf<K extends EventKind> = z.output<(typeof payloadSchemas)[K]>;
/** The payload type a producer writes for each kind (defaults may be left out). */
export type PayloadInputOf<K extends EventKind> = z.input<(typeof payloadSchemas)[K]>;
