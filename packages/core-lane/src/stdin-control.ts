import type { Writable } from "node:stream";
import { AsmError, type ApprovalDecision, type BackendEvent, type ControlProtocol } from "@asm/contract";

/** Whether the CLI's stdin still takes writes. */
export type StdinState = "open" | "closed";

/**
 * The CLI's stdin and the profile's stdio control protocol: the invocation's opening input, lines
 * written later (approval answers, follow-up messages, protocol interrupts, the parser's automatic
 * replies), and closing it. It remembers the details of each approval the CLI is waiting on,
 * because the protocol's answer is built from them; which approvals exist for the caller, and
 * under which id, is the kernel's business.
 */
export class StdinControl {
  private state: StdinState = "open";
  private readonly waiting = new Map<string, Record<string, unknown>>();
  private interrupts = 0;

  constructor(
    private readonly stdin: Writable,
    private readonly profileId: string,
    private readonly control: ControlProtocol | undefined,
  ) {
    stdin.on("error", () => {
      // EPIPE after the CLI exited; writes report their own failure.
      this.state = "closed";
    });
  }

  /** Whether an approval is waiting for an answer (the idle watchdog pauses meanwhile). */
  get awaitsApproval(): boolean {
    return this.waiting.size > 0;
  }

  /** Whether an interrupt was requested (an exit without an outcome is then `user_cancelled`). */
  get interruptRequested(): boolean {
    return this.interrupts > 0;
  }

  /** Writes the invocation's opening input and closes stdin when the invocation says so. */
  open(input: string | undefined, close: boolean): void {
    if (input !== undefined && input !== "") this.stdin.write(input);
    if (close) this.end();
  }

  /** Closes stdin (idempotent). */
  end(): void {
    if (this.state === "closed") return;
    this.state = "closed";
    this.stdin.end();
  }

  /** Releases the stream. */
  destroy(): void {
    this.stdin.destroy();
  }

  /** Notes approvals the CLI starts or stops waiting on; returns true when the set changed. */
  observe(event: BackendEvent): boolean {
    if (event.kind === "approval_requested") {
      this.waiting.set(event.payload.approvalId, event.payload.details ?? {});
      return true;
    }
    if (event.kind === "approval_resolved") return this.waiting.delete(event.payload.approvalId);
    return false;
  }

  /** Writes one line (and its newline). Rejects with `transport_error` when stdin is closed. */
  writeLine(line: string): Promise<void> {
    const stdin = this.stdin;
    if (this.state === "closed" || stdin.destroyed || !stdin.writable) {
      return Promise.reject(new AsmError("transport_error", `the input of ${this.profileId} is closed`));
    }
    return new Promise<void>((resolve, reject) => {
      stdin.write(`${line}\n`, (error) => {
        if (error) reject(new AsmError("transport_error", `could not write to ${this.profileId}: ${error.message}`, { cause: error }));
        else resolve();
      });
    });
  }

  /** Writes a follow-up message (`control.userMessageLine`, or the raw text). */
  sendInput(text: string): Promise<void> {
    return this.writeLine(this.control === undefined ? text : this.control.userMessageLine(text));
  }

  /**
   * Asks the CLI to stop its turn over the protocol. Resolves true when the line was written,
   * false when the caller must signal instead (no protocol interrupt, or stdin closed).
   */
  async interrupt(): Promise<boolean> {
    this.interrupts += 1;
    const line = this.control?.interruptLine(`interrupt-${this.interrupts}`) ?? null;
    if (line === null) return false;
    try {
      await this.writeLine(line);
      return true;
    } catch {
      return false;
    }
  }

  /**
   * The answer to an approval the CLI waits on (`control.approvalReply`); the approval stops
   * waiting. Throws `unsupported` without a control protocol, `not_found` for an id the CLI is not
   * waiting on. Write the line with {@link writeLine}.
   */
  approvalReply(approvalId: string, decision: ApprovalDecision, reason?: string): string {
    if (this.control === undefined) {
      throw new AsmError("unsupported", `the ${this.profileId} profile has no control protocol to answer approvals with`);
    }
    const details = this.waiting.get(approvalId);
    if (details === undefined) throw new AsmError("not_found", `no pending approval ${approvalId}`, { details: { approvalId } });
    this.waiting.delete(approvalId);
    return this.control.approvalReply(details, decision, reason);
  }
}
