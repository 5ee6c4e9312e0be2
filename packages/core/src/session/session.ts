import { AsmError, ulid, type AnyProviderDefinition, type ApprovalDecision, type AsmEvent, type ProviderDefinition, type Result } from "@asm/contract";
import type { ApprovalTracker } from "../approvals/approval-tracker.js";
import { addRunCost, emptyCostTotals, type CostTotals } from "../cost/session-cost.js";
import type { UsageTotals } from "../cost/usage-baseline.js";
import { SerialExecutor } from "../internal/serial-executor.js";
import type { RunOptionsOf } from "../options/option-types.js";
import type { ProviderRegistry } from "../registry/provider-registry.js";
import { prepareRun, type RunDefaults } from "../run/prepare-run.js";
import { Run, type RunHooks } from "../run/run.js";
import type { StoreWriter } from "../store/store-writer.js";
import { RunStream } from "../stream/run-stream.js";
import { collectEvents, finalResult } from "../stream/stream-helpers.js";
import type { Checkpoint } from "./checkpoint.js";

/** Shared runtime services a session uses. */
export interface SessionRuntime {
  registry: ProviderRegistry;
  defaults: RunDefaults;
  /** Appends every event to the runtime's store (absent without a store). */
  storeWriter: StoreWriter | undefined;
  /** The runtime's approvals, across all sessions (so `asm.approve(id)` needs no session). */
  approvals: ApprovalTracker<Run>;
  /** Run id → session, across all sessions. */
  runs: Map<string, Session<object>>;
  /** Called when the session is stopped. */
  onStopped(session: Session<object>): void;
  /** Default stream timeout when no layer sets one. */
  streamTimeoutMs: number;
}

/** What a session rebuilt from its stored events starts with (see `asm.restoreSession`). */
export interface RestoredState {
  checkpoint: Checkpoint | null;
  cost: CostTotals;
  /** The writer of the store it was restored from, when that is not the runtime's. */
  storeWriter?: StoreWriter;
}

/** A session's public description. */
export interface SessionInfo {
  sessionId: string;
  provider: string;
  status: "ready" | "stopped";
  /** The session defaults (execution, run and provider options) as given. */
  options: Record<string, unknown>;
  activeRuns: string[];
  queuedRuns: string[];
  maxConcurrentRuns: number;
  maxQueuedRuns: number;
  checkpoint: Checkpoint | null;
}

/**
 * Per-run options accepted by `stream`/`query` when the provider is not known statically: the
 * execution, run and common keys typed, any provider key accepted (and validated at run start).
 * Sessions of a typed `createAsm` take `RunOptionsOf<typeof provider>` instead.
 */
export type RunOptions = RunOptionsOf<ProviderDefinition>;

/** What one planned run needs to become a stream (see {@link Session.planRun}). */
export interface PlannedRun {
  runId: string;
  /** Validates the options and admits the run (throws `AsmError` before admission). */
  admit: () => Promise<Run>;
  /** The run's stream timeout, once prepared. */
  streamTimeoutMs: () => number;
}

/** What `resumeRun` continues from. */
export type ResumeTarget = "checkpoint" | "latest" | (string & {});

function admissionLimit(value: unknown, fallback: number, key: string, min: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value < min) {
    throw new AsmError("config_invalid", `${key} must be an integer >= ${min}`, { details: { key } });
  }
  return value;
}

/**
 * A conversation with one provider: defaults for every run, admission (concurrent runs and a FIFO
 * queue), approvals, checkpoint and cost. All state changes run one at a time, so concurrent calls
 * never interleave.
 */
export class Session<Options extends object = RunOptions> {
  /** Session id (a ULID unless given). */
  readonly id: string;
  /** The provider this session talks to. */
  readonly provider: AnyProviderDefinition;
  readonly maxConcurrentRuns: number;
  readonly maxQueuedRuns: number;

  private status: "ready" | "stopped" = "ready";
  private readonly defaults: Record<string, unknown>;
  private readonly active = new Map<string, Run>();
  private readonly queued: Array<{ run: Run; timer: NodeJS.Timeout | undefined }> = [];
  private readonly executor = new SerialExecutor();
  private latestCheckpoint: Checkpoint | null = null;
  /** Last cumulative usage reported per provider session (thread), for run-relative usage. */
  private readonly threadTotals = new Map<string, UsageTotals>();
  private totals: CostTotals = emptyCostTotals();
  private readonly hooks: RunHooks;

  constructor(
    private readonly runtime: SessionRuntime,
    provider: AnyProviderDefinition,
    options: Record<string, unknown>,
    restored?: RestoredState,
  ) {
    this.provider = provider;
    this.id = typeof options.sessionId === "string" && options.sessionId !== "" ? options.sessionId : ulid();
    this.maxConcurrentRuns = admissionLimit(options.maxConcurrentRuns, provider.admission.maxConcurrentRuns, "maxConcurrentRuns", 1);
    this.maxQueuedRuns = admissionLimit(options.maxQueuedRuns, provider.admission.maxQueuedRuns, "maxQueuedRuns", 0);
    const { sessionId: _id, provider: _provider, maxConcurrentRuns: _c, maxQueuedRuns: _q, ...defaults } = options;
    this.defaults = defaults;
    const writer = restored?.storeWriter ?? runtime.storeWriter;
    this.hooks = {
      onProviderSession: (run, event) => this.capture(run, event),
      onFinished: (run) => void this.executor.run(() => this.onRunFinished(run)),
      ...(writer ? { persist: (event) => writer.write(event) } : {}),
    };
    if (restored) {
      this.latestCheckpoint = restored.checkpoint;
      this.totals = { ...restored.cost };
    }
  }

  /** Streams one prompt's events. Lazy: nothing runs until iteration starts. */
  stream(prompt: string, options?: Options): RunStream {
    const planned = this.planRun(prompt, (options ?? {}));
    return new RunStream(planned.runId, planned.admit, planned.streamTimeoutMs);
  }

  /**
   * Plans one run without starting it: its id is fixed now, its options are validated and the run
   * admitted when `admit()` is called (by a stream's first `next()`).
   */
  planRun(prompt: string, options: Record<string, unknown>): PlannedRun {
    const runId = typeof options.runId === "string" && options.runId !== "" ? options.runId : ulid();
    let streamTimeoutMs = this.runtime.streamTimeoutMs;
    return {
      runId,
      streamTimeoutMs: () => streamTimeoutMs,
      admit: async () => {
        const spec = await prepareRun({
          registry: this.runtime.registry,
          provider: this.provider,
          sessionId: this.id,
          prompt,
          sessionOptions: this.defaults,
          runOptions: options,
          defaults: this.runtime.defaults,
          runId,
        });
        streamTimeoutMs = spec.execution.streamTimeoutMs;
        if (spec.signal?.aborted === true) {
          throw new AsmError("user_cancelled", "the run's signal was aborted before the run started; nothing was run", {
            details: { key: "signal", runId },
          });
        }
        return this.admit(new Run(spec, this.hooks, { approvals: this.runtime.approvals }));
      },
    };
  }

  /**
   * Runs one prompt to completion. Resolves with the `Result`; rejects with the run's `AsmError`
   * when it failed or was interrupted (the partial result is on `error.details.result`).
   */
  async query(prompt: string, options?: Options): Promise<Result> {
    const events = await collectEvents(this.stream(prompt, options));
    return settle(events);
  }

  private admit(run: Run): Promise<Run> {
    return this.executor.run(() => {
      if (this.status === "stopped") {
        throw new AsmError("runtime", `Session ${this.id} is stopped`, { details: { sessionId: this.id } });
      }
      // Run ids are unique in the runtime: interrupts and approvals are routed by them.
      if (this.runtime.runs.has(run.id) || this.active.has(run.id) || this.queued.some((entry) => entry.run.id === run.id)) {
        throw new AsmError("config_invalid", `run id ${run.id} is already in use`, { details: { key: "runId", runId: run.id } });
      }
      // A replacement takes the slot of the active run it replaces, so intervening never needs a
      // free queue place: with maxQueuedRuns 0 it is admitted, and only then is the target interrupted.
      const replacing = run.spec.interventionForRunId !== undefined && this.active.has(run.spec.interventionForRunId);
      if (this.active.size < this.maxConcurrentRuns) {
        this.startRun(run);
      } else if (replacing || this.queued.length < this.maxQueuedRuns) {
        const timeoutMs = run.spec.execution.queueTimeoutMs;
        const timer = Number.isFinite(timeoutMs)
          ? setTimeout(() => void this.executor.run(() => this.expireQueued(run, timeoutMs)), timeoutMs)
          : undefined;
        timer?.unref?.();
        if (replacing) this.queued.unshift({ run, timer });
        else this.queued.push({ run, timer });
        this.runtime.runs.set(run.id, this);
      } else {
        throw new AsmError("at_capacity", `Session at run capacity (${this.maxConcurrentRuns} running, ${this.maxQueuedRuns} queued)`, {
          details: { sessionId: this.id },
        });
      }
      this.watchSignal(run);
      return run;
    });
  }

  /** An abort of the run's signal after admission interrupts it, queued or active. */
  private watchSignal(run: Run): void {
    const signal = run.spec.signal;
    if (signal === undefined) return;
    const onAbort = () => void this.interrupt(run.id, "the run's signal was aborted").catch(() => undefined);
    signal.addEventListener("abort", onAbort, { once: true });
    void run.done.then(() => signal.removeEventListener("abort", onAbort));
  }

  private startRun(run: Run): void {
    if (run.spec.autoResume && !run.spec.continuation && this.latestCheckpoint) {
      run.spec.continuation = { strategy: "exact", providerSessionId: this.latestCheckpoint.providerSessionId };
    }
    const continued = run.spec.continuation?.strategy === "exact" ? run.spec.continuation.providerSessionId : undefined;
    const baseline = continued ? this.threadTotals.get(continued) : undefined;
    if (baseline) run.spec.usageBaseline = baseline;
    this.active.set(run.id, run);
    this.runtime.runs.set(run.id, this);
    void run.start();
  }

  private async expireQueued(run: Run, timeoutMs: number): Promise<void> {
    const index = this.queued.findIndex((entry) => entry.run === run);
    if (index < 0) return;
    this.queued.splice(index, 1);
    await run.failAndFinish(
      new AsmError("timeout", `queue timeout: the run waited ${timeoutMs} ms for a free slot (queueTimeoutMs)`, { details: { watchdog: "queue", timeoutMs } }),
    );
  }

  private onRunFinished(run: Run): void {
    this.active.delete(run.id);
    const index = this.queued.findIndex((entry) => entry.run === run);
    if (index >= 0) {
      const [entry] = this.queued.splice(index, 1);
      if (entry?.timer) clearTimeout(entry.timer);
    }
    this.runtime.runs.delete(run.id);
    const result = run.result();
    this.totals = addRunCost(this.totals, result);
    if (run.threadTotals && result.providerSessionId) this.threadTotals.set(result.providerSessionId, run.threadTotals);
    while (this.status === "ready" && this.active.size < this.maxConcurrentRuns && this.queued.length > 0) {
      const next = this.queued.shift()!;
      if (next.timer) clearTimeout(next.timer);
      this.startRun(next.run);
    }
  }

  private capture(run: Run, event: AsmEvent): void {
    if (!event.providerSessionId) return;
    this.latestCheckpoint = {
      sessionId: this.id,
      provider: this.provider.name,
      capturedAt: event.timestamp,
      runId: run.id,
      providerSessionId: event.providerSessionId,
      cost: { ...this.totals },
      metadata: { ...event.metadata },
    };
  }

  /**
   * Pauses an active run: interrupts its current turn (it ends `interrupted`, its provider session
   * kept in the checkpoint so a later prompt or `resumeRun` continues it). Only an active run can
   * be paused: a queued one → `AsmError("unsupported")`, an unknown one → `not_found`.
   */
  pause(runId: string): Promise<void> {
    return this.executor
      .run(() => {
        const active = this.active.get(runId);
        if (active) return active;
        if (this.queued.some((entry) => entry.run.id === runId)) {
          throw new AsmError("unsupported", `run ${runId} is queued, not active; only an active run can be paused (interrupt cancels a queued one)`, {
            details: { runId, sessionId: this.id },
          });
        }
        throw new AsmError("not_found", `Unknown active run id: ${runId}`, { details: { runId, sessionId: this.id } });
      })
      .then((run) => {
        void run.interrupt("Run paused");
      });
  }

  /** Interrupts a queued or active run of this session (it ends with `user_cancelled`). */
  interrupt(runId: string, message?: string): Promise<void> {
    return this.executor
      .run(() => {
        const active = this.active.get(runId);
        if (active) return active;
        const index = this.queued.findIndex((entry) => entry.run.id === runId);
        if (index >= 0) {
          const [entry] = this.queued.splice(index, 1);
          if (entry?.timer) clearTimeout(entry.timer);
          return entry!.run;
        }
        throw new AsmError("not_found", `Unknown run id: ${runId}`, { details: { runId, sessionId: this.id } });
      })
      .then((run) => {
        // Not awaited through the executor: finishing re-enters it (onFinished).
        void run.interrupt(message);
      });
  }

  /** Answers a pending approval of one of this session's runs. */
  approve(approvalId: string, decision: ApprovalDecision): Promise<void> {
    return this.executor
      .run(() => {
        const run = this.runtime.approvals.waiting(approvalId)?.owner;
        if (!run || run.sessionId !== this.id) {
          throw new AsmError("not_found", `Unknown approval id: ${approvalId}`, { details: { approvalId } });
        }
        return run;
      })
      .then((run) => run.resolveApproval(approvalId, decision));
  }

  /** The latest checkpoint, or null when no event carried a provider session id yet. */
  checkpoint(): Checkpoint | null {
    return this.latestCheckpoint;
  }

  /**
   * Streams a prompt that continues an earlier provider session: the checkpoint's (default),
   * the provider's latest, or an explicit provider session id. Same path as `stream`.
   */
  resumeRun(prompt: string, options?: Options & { target?: ResumeTarget }): RunStream {
    const { target = "checkpoint", ...rest } = (options ?? {}) as Record<string, unknown> & { target?: ResumeTarget };
    let continuation;
    if (target === "checkpoint") {
      if (!this.latestCheckpoint) {
        throw new AsmError("not_found", "the session has no checkpoint with a resumable provider session id yet", {
          details: { sessionId: this.id },
        });
      }
      continuation = { strategy: "exact", providerSessionId: this.latestCheckpoint.providerSessionId };
    } else if (target === "latest") {
      continuation = { strategy: "latest" };
    } else if (typeof target === "string" && target.trim() !== "") {
      continuation = { strategy: "exact", providerSessionId: target };
    } else {
      throw new AsmError("config_invalid", 'resume target must be "checkpoint", "latest" or a provider session id', { details: { key: "target" } });
    }
    const planned = this.planRun(prompt, { ...rest, continuation });
    return new RunStream(planned.runId, planned.admit, planned.streamTimeoutMs);
  }

  /**
   * Interrupts an active run and streams a new prompt in its place (queued behind it until it has
   * stopped), continuing the same provider session. The replacement is admitted first, in the
   * target's slot, so a full queue cannot lose both runs.
   */
  intervene(runId: string, prompt: string, options?: Options): RunStream {
    const run = this.active.get(runId);
    if (!run) throw new AsmError("not_found", `Unknown active run id: ${runId}`, { details: { runId } });
    const planned = this.planRun(prompt, { ...(options as Record<string, unknown> | undefined), interventionForRunId: runId });
    // Atomic: the target is interrupted only once the replacement is admitted (at the stream's
    // first next()); a replacement that is refused (bad options, a stopped session) leaves it running.
    const admit = async (): Promise<Run> => {
      const replacement = await planned.admit();
      void this.interrupt(runId).catch(() => undefined);
      return replacement;
    };
    return new RunStream(planned.runId, admit, planned.streamTimeoutMs);
  }

  /** The session's description. */
  info(): SessionInfo {
    return {
      sessionId: this.id,
      provider: this.provider.name,
      status: this.status,
      options: { ...this.defaults },
      activeRuns: [...this.active.keys()],
      queuedRuns: this.queued.map((entry) => entry.run.id),
      maxConcurrentRuns: this.maxConcurrentRuns,
      maxQueuedRuns: this.maxQueuedRuns,
      checkpoint: this.latestCheckpoint,
    };
  }

  /** Cumulative tokens and cost of the session's finished runs. */
  cost(): CostTotals {
    return { ...this.totals };
  }

  /** Whether the session is accepting runs. */
  get isReady(): boolean {
    return this.status === "ready";
  }

  /** Stops the session: queued runs are cancelled, active runs interrupted and awaited. */
  async stop(): Promise<void> {
    const runs = await this.executor.run(() => {
      if (this.status === "stopped") return [];
      this.status = "stopped";
      const queued = this.queued.splice(0).map((entry) => {
        if (entry.timer) clearTimeout(entry.timer);
        return entry.run;
      });
      return [...queued, ...this.active.values()];
    });
    await Promise.all(runs.map((run) => run.interrupt("session stopped")));
    await Promise.all(runs.map((run) => run.done));
    await Promise.all(this.runtime.registry.backends().map((backend) => backend.releaseSession?.(this.id).catch(() => undefined) ?? Promise.resolve()));
    this.runtime.onStopped(this);
  }
}

/** Resolves to the Result of a finished run's events, or rejects with its error. */
function settle(events: AsmEvent[]): Result {
  const result = finalResult(events);
  if (result.error) {
    (result.error.details).result = result;
    throw result.error;
  }
  return result;
}
