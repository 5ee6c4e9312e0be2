import {
  AsmError,
  type ApprovalDecision,
  type BackendEvent,
  type BackendInfo,
  type BackendSession,
  type BackendStartConfig,
  type ProviderBackend,
} from "@asm/contract";
import type { FakeBackendOptions, FakeBackendRecord, FakeScript, FakeStep } from "./fake-script.js";

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A scriptable in-memory `ProviderBackend` plus what it recorded. */
export interface FakeBackend extends ProviderBackend {
  readonly record: FakeBackendRecord;
}

/**
 * A `ProviderBackend` that plays a script instead of running a CLI: emit events, wait, ask for an
 * approval and branch on the decision, hang until interrupted, or end abruptly. It records every
 * start, approval decision, interrupt and close so tests can assert what reached the backend.
 *
 * @example
 * ```ts
 * const backend = createFakeBackend([{ emit: fakeEvents.delta("hi") }, { emit: fakeEvents.result("hi") }]);
 * ```
 */
export function createFakeBackend(script: FakeScript, options: FakeBackendOptions = {}): FakeBackend {
  const record: FakeBackendRecord = { starts: [], approvals: [], interrupts: [], closes: [], inputs: [], releasedSessions: [] };
  return {
    specificationVersion: "v1",
    name: options.name ?? "fake",
    record,
    async start(config) {
      record.starts.push(config);
      if (options.startDelayMs) await sleep(options.startDelayMs);
      const error = typeof options.startError === "function" ? options.startError(config) : options.startError;
      if (error) throw error;
      const steps = typeof script === "function" ? script(config) : script;
      return new FakeSession(config, steps, record, options.name ?? `fake:${config.provider}`, options.claimsRedactedEvents === true);
    },
    releaseSession(sessionId) {
      record.releasedSessions.push(sessionId);
      return Promise.resolve();
    },
  };
}

class FakeSession implements BackendSession {
  private interrupted = false;
  private closed = false;
  private wake: (() => void) | undefined;
  private readonly decisions = new Map<string, (decision: ApprovalDecision) => void>();

  constructor(
    private readonly config: BackendStartConfig,
    private readonly steps: FakeStep[],
    private readonly record: FakeBackendRecord,
    private readonly backendName: string,
    private readonly claimsRedacted: boolean,
  ) {}

  async *events(): AsyncIterable<BackendEvent> {
    yield* this.play(this.steps);
  }

  private async *play(steps: FakeStep[]): AsyncGenerator<BackendEvent> {
    for (const step of steps) {
      if (this.closed) return;
      if ("emit" in step) yield step.emit;
      else if ("delayMs" in step) await this.waitOrWake(step.delayMs);
      else if ("end" in step) return;
      else if ("hang" in step) {
        while (!this.interrupted && !this.closed) await this.waitOrWake(undefined);
        if (this.interrupted && step.onInterrupt) yield* this.play(step.onInterrupt);
        return;
      } else {
        const { approvalId, subject, details } = step.approval;
        const decided = new Promise<ApprovalDecision>((resolve) => this.decisions.set(approvalId, resolve));
        yield { kind: "approval_requested", payload: { approvalId, subject, details: details ?? {} } };
        const decision = await Promise.race([decided, this.untilStopped()]);
        if (decision === undefined) return;
        yield* this.play((decision === "allow" ? step.onAllow : step.onDeny) ?? []);
      }
    }
  }

  private untilStopped(): Promise<undefined> {
    return new Promise((resolve) => {
      const check = () => (this.closed || this.interrupted ? resolve(undefined) : setTimeout(check, 5));
      check();
    });
  }

  private waitOrWake(ms: number | undefined): Promise<void> {
    return new Promise((resolve) => {
      const timer = ms === undefined ? undefined : setTimeout(resolve, ms);
      this.wake = () => {
        if (timer) clearTimeout(timer);
        resolve();
      };
    });
  }

  sendInput(input: string): Promise<void> {
    this.record.inputs.push({ runId: this.config.runId, input });
    return Promise.resolve();
  }

  async endInput(): Promise<void> {}

  interrupt(): Promise<void> {
    this.interrupted = true;
    this.record.interrupts.push(this.config.runId);
    this.wake?.();
    return Promise.resolve();
  }

  close(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      this.record.closes.push(this.config.runId);
      this.wake?.();
    }
    return Promise.resolve();
  }

  respondToApproval(approvalId: string, decision: ApprovalDecision, reason?: string): Promise<void> {
    const resolve = this.decisions.get(approvalId);
    if (!resolve) return Promise.reject(new AsmError("not_found", `Unknown approval id: ${approvalId}`));
    this.decisions.delete(approvalId);
    this.record.approvals.push({ runId: this.config.runId, approvalId, decision, ...(reason ? { reason } : {}) });
    resolve(decision);
    return Promise.resolve();
  }

  info(): BackendInfo {
    return {
      provider: this.config.provider,
      lane: "core",
      backend: this.backendName,
      runtime: "fake",
      capabilities: ["streaming", "tools", "approval", "interrupt"],
      session: { runId: this.config.runId },
      observability: { fake: true },
      ...(this.claimsRedacted ? { redactsEvents: true } : {}),
    };
  }
}
