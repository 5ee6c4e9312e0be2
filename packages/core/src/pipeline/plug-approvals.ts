import type { ApprovalDecision } from "@asm/contract";

/** What a plug asks a person to decide (it becomes an `approval_requested` event). */
export interface PlugApprovalRequest {
  /** What is to be approved, as the approval's `subject` (a tool name, `policy_violation`). */
  subject: string;
  /** Shown with the request (the rule, the tool input, the budget). */
  details?: Record<string, unknown>;
}

/** The decision on a plug's approval: `deny` with reason `timeout` when nobody answered in time, `run_ended` when the run ended first. */
export interface PlugApprovalAnswer {
  decision: ApprovalDecision;
  reason?: string;
}

/**
 * The approvals plugs asked for, waiting on a decision. They go through the kernel's approval
 * flow (ids, `approve`, the approval timeout) but are answered here, not by the backend: the
 * agent never asked, a plug did.
 */
export class PlugApprovals {
  private readonly waiting = new Map<string, (answer: PlugApprovalAnswer) => void>();

  /** A promise of the decision on `approvalId`. */
  wait(approvalId: string): Promise<PlugApprovalAnswer> {
    return new Promise((resolve) => this.waiting.set(approvalId, resolve));
  }

  /** Answers `approvalId` if a plug waits on it; false when it is not a plug's. */
  answer(approvalId: string, answer: PlugApprovalAnswer): boolean {
    const resolve = this.waiting.get(approvalId);
    if (resolve === undefined) return false;
    this.waiting.delete(approvalId);
    resolve(answer);
    return true;
  }

  /** Denies every waiting approval (the run is ending). Returns their ids. */
  denyAll(reason: string): string[] {
    const ids = [...this.waiting.keys()];
    for (const id of ids) this.answer(id, { decision: "deny", reason });
    return ids;
  }
}
