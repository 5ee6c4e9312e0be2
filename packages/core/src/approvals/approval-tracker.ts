/** The run an approval belongs to, as the tracker needs to know it. */
export interface ApprovalOwner {
  readonly id: string;
  readonly sessionId: string;
}

/** One approval ASM handed out. */
export interface TrackedApproval<Owner extends ApprovalOwner = ApprovalOwner> {
  /** ASM's id: unique in the runtime, namespaced by run (`<runId>/<providerApprovalId>`). */
  approvalId: string;
  /** The CLI's (or SDK's) own id, which the backend understands. */
  providerApprovalId: string;
  /** The run that asked. */
  owner: Owner;
  /** Shared by the request and its resolution. */
  correlationId: string | null;
  /** Whether the request was delivered and now waits for a decision. */
  waiting: boolean;
  timer: NodeJS.Timeout | undefined;
}

/**
 * The approvals of one runtime, in one place: the ids ASM hands out (unique in the runtime, so two
 * sessions whose CLIs both say `req-1` never cross), the run each belongs to, the CLI's own id the
 * backend answers with, the correlation shared by request and resolution, and the timeout that
 * denies an unanswered one. A backend keeps only what its protocol needs to phrase an answer.
 *
 * @example
 * ```ts
 * const approvalId = tracker.assign(run, "req-1");        // "01J…/req-1"
 * tracker.arm(approvalId, event.id, 120_000, () => deny(approvalId));
 * const approval = tracker.take(approvalId);              // then answer approval.providerApprovalId
 * ```
 */
export class ApprovalTracker<Owner extends ApprovalOwner = ApprovalOwner> {
  private readonly byId = new Map<string, TrackedApproval<Owner>>();
  /** Per run: the CLI's id → ASM's id, for what the backend later reports about it. */
  private readonly byProvider = new Map<string, Map<string, string>>();

  /**
   * The ASM id for a request a run's backend reported with `providerApprovalId`. Ids are
   * `<runId>/<providerApprovalId>`; a CLI that reuses an id while it is still pending gets a
   * numbered suffix, so no id is ever handed out twice at once.
   */
  assign(owner: Owner, providerApprovalId: string): string {
    const base = `${owner.id}/${providerApprovalId}`;
    let approvalId = base;
    for (let n = 2; this.byId.has(approvalId); n += 1) approvalId = `${base}#${n}`;
    this.byId.set(approvalId, { approvalId, providerApprovalId, owner, correlationId: null, waiting: false, timer: undefined });
    let mine = this.byProvider.get(owner.id);
    if (mine === undefined) {
      mine = new Map();
      this.byProvider.set(owner.id, mine);
    }
    mine.set(providerApprovalId, approvalId);
    return approvalId;
  }

  /** The request was delivered: it waits for a decision, and `onTimeout` runs if none comes in time. */
  arm(approvalId: string, correlationId: string, timeoutMs: number, onTimeout: () => void): void {
    const approval = this.byId.get(approvalId);
    if (approval === undefined || approval.waiting) return;
    approval.waiting = true;
    approval.correlationId = correlationId;
    approval.timer = setTimeout(onTimeout, timeoutMs);
    approval.timer.unref?.();
  }

  /** A waiting approval by ASM id, or undefined (unknown, already answered, never delivered). */
  waiting(approvalId: string): TrackedApproval<Owner> | undefined {
    const approval = this.byId.get(approvalId);
    return approval?.waiting === true ? approval : undefined;
  }

  /**
   * The ASM id a run's backend means by `providerApprovalId`, if ASM handed one out (it stays
   * known after the approval was answered, until the run ends).
   */
  approvalIdFor(owner: Owner, providerApprovalId: string): string | undefined {
    return this.byProvider.get(owner.id)?.get(providerApprovalId);
  }

  /** Removes an approval (answered, timed out, or cancelled by the CLI) and returns it. */
  take(approvalId: string): TrackedApproval<Owner> | undefined {
    const approval = this.byId.get(approvalId);
    if (approval === undefined) return undefined;
    if (approval.timer !== undefined) clearTimeout(approval.timer);
    this.byId.delete(approvalId);
    return approval;
  }

  /** Whether any approval of this run waits for a decision. */
  hasWaiting(owner: Owner): boolean {
    for (const approval of this.byId.values()) if (approval.owner === owner && approval.waiting) return true;
    return false;
  }

  /** Forgets every approval of a run (it ended). */
  release(owner: Owner): void {
    for (const approval of [...this.byId.values()]) if (approval.owner === owner) this.take(approval.approvalId);
    this.byProvider.delete(owner.id);
  }

  /** Approvals currently known (for diagnostics and tests). */
  get size(): number {
    return this.byId.size;
  }
}
