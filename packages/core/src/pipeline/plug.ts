import type { AsmError, AsmEvent, BackendEvent } from "@asm/contract";
import type { PlugApprovalAnswer, PlugApprovalRequest } from "./plug-approvals.js";

/** What a plug sees besides the event. */
export interface PlugContext {
  readonly runId: string;
  readonly sessionId: string;
  readonly provider: string;
  /** Per-run state shared by all plugs across events (each plug should use its own key). */
  readonly state: Record<string, unknown>;
  /**
   * Asks for a person's decision through the kernel's approval flow: emits `approval_requested`
   * (answered with `approve(approvalId, decision)`, denied with reason `timeout` after the run's
   * approval timeout), waits, emits `approval_resolved`, and resolves with the decision. Later
   * events of the run wait meanwhile. Absent where no run backs the context (a plug under test).
   */
  readonly requestApproval?: (request: PlugApprovalRequest) => Promise<PlugApprovalAnswer>;
}

/**
 * A plug's verdict on one event:
 * - `continue`: pass `event` (possibly a replacement) on to later plugs, then emit `inject` after it;
 * - `halt`: emit `event` and `inject` but skip later plugs;
 * - `drop`: emit nothing for this event (later plugs skipped);
 * - `fail`: end the run with `error` (a terminal `error` event is emitted), after `inject` (the
 *   `guardrail_triggered` that says why).
 */
export type PlugResult =
  | { action: "continue"; event: AsmEvent; inject?: BackendEvent[] }
  | { action: "halt"; event: AsmEvent; inject?: BackendEvent[] }
  | { action: "drop" }
  | { action: "fail"; error: AsmError; inject?: BackendEvent[] };

/** A synchronous or asynchronous step every event of a run passes through, in order. */
export interface PipelinePlug {
  /** Name used in errors and telemetry. */
  readonly name: string;
  /**
   * Called once per run before the backend starts (before the CLI is spawned), in plug order: the
   * place for work that must see the world as it was before the agent could touch it (a workspace
   * snapshot). Throwing fails the run with a `runtime` error and the backend never starts.
   */
  beforeStart?(context: PlugContext): void | Promise<void>;
  /**
   * Judges one event. Throwing is treated as `fail` with a `runtime` error. Optional: a plug
   * without it only observes, and costs the run nothing per event beyond its `observe` call
   * (events then go by the same path as without plugs).
   */
  handle?(event: AsmEvent, context: PlugContext): PlugResult | Promise<PlugResult>;
  /**
   * Sees every event the run delivers, after all plugs and in delivery order, including the
   * events no plug judges (injected events, the kernel's own terminal errors). It is called
   * synchronously and cannot alter, delay or block the event: its return value is ignored, a
   * throw or a rejected promise is swallowed. Treat the event as read-only; do slow work elsewhere.
   */
  observe?(event: AsmEvent, context: PlugContext): void;
}

/** Shorthand for a `continue` verdict. */
export function pass(event: AsmEvent, inject?: BackendEvent[]): PlugResult {
  return inject ? { action: "continue", event, inject } : { action: "continue", event };
}
