import type { ApprovalDecision, AsmError, BackendEvent, BackendStartConfig } from "@asm/contract";

/** One step of a fake backend's script. */
export type FakeStep =
  /** Emit an event. */
  | { emit: BackendEvent }
  /** Wait this long before the next step. */
  | { delayMs: number }
  /**
   * Emit `approval_requested` for `approvalId` and wait for `respondToApproval`; then run
   * `onAllow` or `onDeny` steps.
   */
  | { approval: { approvalId: string; subject: string; details?: Record<string, unknown> }; onAllow?: FakeStep[]; onDeny?: FakeStep[] }
  /** Wait until the run is interrupted or closed, then run `onInterrupt` (if interrupted). */
  | { hang: true; onInterrupt?: FakeStep[] }
  /** End the event stream right here, outcome or not (simulates a crash). */
  | { end: true };

/** A script, or a function choosing one from the start config. */
export type FakeScript = FakeStep[] | ((config: BackendStartConfig) => FakeStep[]);

/** What the fake backend recorded, for assertions. */
export interface FakeBackendRecord {
  starts: BackendStartConfig[];
  approvals: Array<{ runId: string; approvalId: string; decision: ApprovalDecision; reason?: string }>;
  interrupts: string[];
  closes: string[];
  inputs: Array<{ runId: string; input: string }>;
  releasedSessions: string[];
}

/** Options of `createFakeBackend`. */
export interface FakeBackendOptions {
  /** Backend name reported in info (default `fake:<provider>`). */
  name?: string;
  /** Throw this from `start` instead of starting. */
  startError?: AsmError | ((config: BackendStartConfig) => AsmError | undefined);
  /** Delay before `start` resolves. */
  startDelayMs?: number;
  /**
   * Report `redactsEvents: true` in `info()`. The fake redacts nothing itself, so a test sees
   * exactly which events the kernel still passes through its own redactor.
   */
  claimsRedactedEvents?: boolean;
}
