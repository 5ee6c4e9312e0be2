import { randomBytes } from "node:crypto";
import {
  AsmError,
  backendEvent,
  isOutcomeEvent,
  isStopReason,
  stopReasonFields,
  toolKindOf,
  ulid,
  type ApprovalDecision,
  type AsmEvent,
  type BackendEvent,
  type BackendSession,
  type BackendStartConfig,
  type ProviderBackend,
  type QueuedEventIterator,
} from "@asm/contract";
import { startHostToolServer, type HostToolServer } from "@asm/host-tools";
import type { ApprovalTracker } from "../approvals/approval-tracker.js";
import { rebaseCumulativeUsage, type UsageTotals } from "../cost/usage-baseline.js";
import { createRedactor, type Redactor, type SecretValue } from "@asm/provider-utils";
import { AsyncQueue } from "../internal/async-queue.js";
import { publish, TELEMETRY_CHANNELS } from "../telemetry/channels.js";
import type { PipelinePlug, PlugContext } from "../pipeline/plug.js";
import { PlugApprovals, type PlugApprovalAnswer, type PlugApprovalRequest } from "../pipeline/plug-approvals.js";
import { observeEvent } from "../pipeline/observe-event.js";
import { reprotect, stampOf } from "../pipeline/reprotect.js";
import { runPipeline } from "../pipeline/run-pipeline.js";
import type { StoreTicket } from "../store/store-writer.js";
import { wrapEvent, type EnvelopeScope } from "./envelope.js";
import { initialRunState, isFinal, reduceEvent, toResult, type RunState } from "./reducer.js";
import { runSecrets } from "./run-redactor.js";
import type { RunSpec } from "./run-spec.js";

/** How long `close()` of a backend may take before the run stops waiting for it. */
const BACKEND_CLOSE_GUARD_MS = 15_000;

// The links of an event with no correlation, shared rather than built per event; only read.
const NO_LINKS: Readonly<{ correlationId: null }> = Object.freeze({ correlationId: null });

/** Where a run is in its life. */
export type RunPhase = "queued" | "starting" | "running" | "finishing" | "finished";

/** Callbacks a run uses to tell its session what happened. */
export interface RunHooks {
  /** An event carrying a provider session id was emitted (checkpoint capture). */
  onProviderSession(run: Run, event: AsmEvent): void;
  /** The run finished (after `run_completed` was emitted and the backend closed). */
  onFinished(run: Run): void;
  /**
   * Every event, as it is delivered: handed to the runtime's store writer. Delivery waits only
   * for `accepted` (room in the writer's bounded buffer); a rejected `acknowledged` fails the run
   * with `store_unavailable`.
   */
  persist?(event: AsmEvent): StoreTicket;
}

/** What a run shares with the rest of its runtime. */
export interface RunServices {
  /** The runtime's approvals (ids unique in the runtime). */
  approvals: ApprovalTracker<Run>;
}

/** An event to emit, with the links it carries into the envelope. */
interface Translated {
  event: BackendEvent;
  correlationId?: string | null;
}

/**
 * One prompt's execution: starts the backend, wraps its events in the envelope, runs the pipeline
 * and the reducer, and hands events to the consumer through a bounded queue. Every run ends with
 * exactly one `run_completed`, whatever happens (backend crash, interrupt, timeout, plug failure).
 */
export class Run {
  readonly id: string;
  readonly spec: RunSpec;
  /** Events for the consumer. */
  readonly queue = new AsyncQueue<AsmEvent>();
  readonly state: RunState = initialRunState();
  /** Resolves when the run has finished and its backend is closed. */
  readonly done: Promise<RunState>;

  private phase: RunPhase = "queued";
  private backendSession: BackendSession | undefined;
  private sequence = 0;
  private emitChain: Promise<void> = Promise.resolve();
  /** Emissions chained on {@link emitChain} and not yet settled; 0 lets a backend event go straight through. */
  private pendingEmissions = 0;
  private outcomeSeen = false;
  private finishing: Promise<void> | undefined;
  private interrupting: Promise<void> | undefined;
  private resolveDone!: (state: RunState) => void;
  private readonly plugState: Record<string, unknown> = {};
  private context: PlugContext | undefined;
  private readonly plugApprovals = new PlugApprovals();
  private readonly abort = new AbortController();
  private providerSessionId: string | null;
  private lastCumulative: UsageTotals | undefined;
  /** Set once the caller interrupted: a backend that then ends without an outcome was cancelled, not broken. */
  private cancelMessage: string | null = null;
  /** Run metadata shared (read-only) by every event that adds none of its own. */
  private frozenMetadata: Readonly<Record<string, unknown>> | undefined;
  private currentScope: Readonly<EnvelopeScope> | undefined;
  private readonly startedAtMs = Date.now();
  /**
   * Replaces the run's secrets, and the common credential shapes, in every event the run delivers
   * (or a backend that declares `redactsEvents` does, given the same secrets), whatever lane or
   * backend produced it, so a key a CLI or SDK echoes never reaches a consumer, a store or a log.
   */
  private readonly redactor: Redactor;
  /** The run's secret values (what {@link redactor} replaces), handed to the backend too. */
  private readonly secrets: readonly SecretValue[];
  /**
   * True when the backend's events arrive redacted with the run's secrets (it says so in its
   * info), no plug can change them, and the envelope's own fields hold no secret: those events
   * are then delivered without a second pass.
   */
  private backendRedacts = false;
  /**
   * The plugs that judge events (they have `handle`): only these can change, drop or add an
   * event. Plugs that only observe leave the delivery path as it is without plugs.
   */
  private readonly judges: readonly PipelinePlug[];
  /** The store acknowledgement of the last delivered event (the run ends after it settles). */
  private lastStored: Promise<void> | undefined;
  /** The first store failure of this run. */
  private storeError: AsmError | undefined;
  /** The bearer token of the run's host tools server (known up front so the redactor hides it). */
  private readonly hostToolsToken: string | undefined;
  /** The run's MCP server for its host tools, while it runs. */
  private hostToolServer: HostToolServer | undefined;

  constructor(
    spec: RunSpec,
    private readonly hooks: RunHooks,
    private readonly services: RunServices,
  ) {
    this.id = spec.runId;
    this.spec = spec;
    this.providerSessionId = null;
    this.hostToolsToken = spec.hostTools ? randomBytes(32).toString("hex") : undefined;
    this.secrets = runSecrets(spec, this.hostToolsToken === undefined ? [] : [this.hostToolsToken]);
    this.judges = spec.plugs.filter((plug) => typeof plug.handle === "function");
    this.redactor = createRedactor({ secrets: this.secrets });
    this.done = new Promise((resolve) => (this.resolveDone = resolve));
  }

  /** True once the run is finishing or finished (read through a method: it changes across awaits). */
  private hasEnded(): boolean {
    return this.phase === "finishing" || this.phase === "finished";
  }

  /** Current phase. */
  get currentPhase(): RunPhase {
    return this.phase;
  }

  /** True when an approval is waiting for a decision (stream timeouts pause meanwhile). */
  get awaitingApproval(): boolean {
    return this.services.approvals.hasWaiting(this);
  }

  /** The session this run belongs to. */
  get sessionId(): string {
    return this.spec.sessionId;
  }

  private scope(): EnvelopeScope {
    // One scope serves every event until the provider session id changes; it is only read.
    if (this.currentScope !== undefined && this.currentScope.providerSessionId === this.providerSessionId) return this.currentScope;
    // Redacted once here: every event shares it, so the per-event pass can trust it.
    this.frozenMetadata ??= Object.freeze(this.redactor.value({ ...this.spec.metadata }));
    this.currentScope = Object.freeze({
      runId: this.id,
      sessionId: this.spec.sessionId,
      provider: this.spec.provider.name,
      metadata: this.frozenMetadata,
      providerSessionId: this.providerSessionId,
    });
    return this.currentScope;
  }

  private plugContext(): PlugContext {
    this.context ??= {
      runId: this.id,
      sessionId: this.spec.sessionId,
      provider: this.spec.provider.name,
      state: this.plugState,
      requestApproval: (request) => this.requestPlugApproval(request),
    };
    return this.context;
  }

  /**
   * A plug's approval (see `PlugContext.requestApproval`). Called from inside the pipeline, so the
   * request and resolution are delivered directly, in order, while the event that caused them waits.
   */
  private async requestPlugApproval(request: PlugApprovalRequest): Promise<PlugApprovalAnswer> {
    if (this.phase !== "running" || this.outcomeSeen || this.cancelMessage !== null) return { decision: "deny", reason: "run_ended" };
    const approvalId = this.services.approvals.assign(this, `plug-${ulid()}`);
    const answer = this.plugApprovals.wait(approvalId);
    const requested = wrapEvent(this.scope(), backendEvent("approval_requested", { approvalId, subject: request.subject, details: request.details ?? {} }), this.sequence++);
    await this.deliver(requested);
    const decided = await answer;
    await this.deliver(
      wrapEvent(this.scope(), backendEvent("approval_resolved", { approvalId, decision: decided.decision, ...(decided.reason ? { reason: decided.reason } : {}) }), this.sequence++, {
        correlationId: requested.correlationId ?? requested.id,
      }),
    );
    return decided;
  }

  /** Starts the backend and pumps its events. Resolves when pumping ends (not when the run is done). */
  async start(): Promise<void> {
    if (this.phase !== "queued") return;
    this.phase = "starting";
    if (this.spec.continuation?.strategy === "exact") this.providerSessionId = this.spec.continuation.providerSessionId;
    const backend: ProviderBackend = this.spec.backend;
    const config: BackendStartConfig = {
      runId: this.id,
      sessionId: this.spec.sessionId,
      provider: this.spec.provider.name,
      prompt: this.spec.prompt,
      providerOptions: this.spec.providerOptions,
      ...(this.spec.permission ? { permissionMode: this.spec.permission.mode, nativePermissionMode: this.spec.permission.native.nativeMode } : {}),
      ...(this.spec.continuation ? { continuation: this.spec.continuation } : {}),
      execution: this.spec.execution.config,
      backendOptions: this.spec.backendOptions,
      signal: this.abort.signal,
      metadata: this.spec.metadata,
      redactSecrets: this.secrets,
    };
    try {
      for (const plug of this.spec.plugs) {
        if (plug.beforeStart === undefined) continue;
        try {
          await plug.beforeStart(this.plugContext());
        } catch (error) {
          throw AsmError.isInstance(error)
            ? error
            : new AsmError("runtime", `plug ${plug.name} failed before the run started: ${error instanceof Error ? error.message : String(error)}`, {
                cause: error,
                provider: this.spec.provider.name,
                details: { plug: plug.name, stage: "beforeStart" },
              });
        }
        if (this.hasEnded()) return;
      }
      if (this.spec.hostTools && this.hostToolsToken !== undefined) {
        // Served for the run's lifetime; the run's abort (interrupt, end) aborts calls in flight.
        this.hostToolServer = await startHostToolServer({
          tools: this.spec.hostTools,
          runId: this.id,
          sessionId: this.spec.sessionId,
          provider: this.spec.provider.name,
          signal: this.abort.signal,
          token: this.hostToolsToken,
          structuredJsonText: this.spec.provider.profile?.hostTools?.structuredJsonText === true,
        });
        config.hostTools = this.hostToolServer.endpoint;
      }
      this.backendSession = await backend.start(config);
    } catch (error) {
      await this.failAndFinish(AsmError.from(error, "runtime", { provider: this.spec.provider.name }));
      return;
    }
    if (this.hasEnded()) {
      // Cancelled while starting: the backend came up after the run ended.
      await this.closeBackend();
      await this.hostToolServer?.close();
      return;
    }
    this.phase = "running";
    const info = safeInfo(this.backendSession);
    this.backendRedacts = info?.redactsEvents === true && this.judges.length === 0 && this.envelopeIsClean();
    publish(TELEMETRY_CHANNELS.runStarted, { runId: this.id, sessionId: this.spec.sessionId, provider: this.spec.provider.name, lane: this.spec.metadata.lane });
    await this.emit(
      backendEvent("run_started", {
        ...(typeof info?.session.command === "string" ? { command: info.session.command } : {}),
        ...(Array.isArray(info?.session.args) ? { args: info.session.args as string[] } : {}),
        ...(typeof info?.session.cwd === "string"
          ? { cwd: info.session.cwd }
          : typeof this.spec.backendOptions.cwd === "string"
            ? { cwd: this.spec.backendOptions.cwd }
            : {}),
        ...(typeof this.spec.providerOptions.model === "string" ? { model: this.spec.providerOptions.model } : {}),
        ...(typeof info?.session.cliVersion === "string" ? { cliVersion: info.session.cliVersion } : {}),
        ...(this.providerSessionId ? { providerSessionId: this.providerSessionId } : {}),
      }, { metadata: info ? { backendRuntime: info.runtime, ...info.observability } : {} }),
    );
    await this.pump(this.backendSession);
  }

  private async pump(session: BackendSession): Promise<void> {
    try {
      await this.takeEvents(session.events()[Symbol.asyncIterator]());
    } catch (error) {
      if (this.phase === "running") {
        await this.failAndFinish(
          this.cancelled() ??
            new AsmError("transport_error", `backend crashed: ${error instanceof Error ? error.message : String(error)}`, { cause: error, provider: this.spec.provider.name }),
        );
        return;
      }
    }
    if (this.phase === "running" && !this.outcomeSeen) {
      await this.emitOutcomeError(this.cancelled() ?? new AsmError("transport_error", "backend ended without a result", { provider: this.spec.provider.name }));
    }
    await this.finish();
  }

  /**
   * Takes the backend's events until they end, the run stops running or the outcome is in. It
   * reads as `for await` does (an early stop, or a throw while handling an event, returns the
   * iterator), except that after each awaited event it takes what the backend has already
   * queued without a promise each, when the iterator offers that (`QueuedEventIterator`).
   */
  private async takeEvents(iterator: AsyncIterator<BackendEvent> & Partial<QueuedEventIterator>): Promise<void> {
    const takeQueued = typeof iterator.takeQueued === "function" ? () => (iterator as QueuedEventIterator).takeQueued() : () => undefined;
    for (;;) {
      const step = await iterator.next();
      if (step.done === true) return;
      let event: BackendEvent | undefined = step.value;
      try {
        while (event !== undefined) {
          if (this.phase !== "running") break;
          const translated = this.translate(event);
          if (translated) {
            const waiting = this.emitFromBackend(translated.event, translated.correlationId ?? null);
            if (waiting !== undefined) await waiting;
          }
          if (this.outcomeSeen) break;
          event = takeQueued();
        }
      } catch (error) {
        await iterator.return?.();
        throw error;
      }
      if (event !== undefined) {
        await iterator.return?.();
        return;
      }
    }
  }

  /**
   * What a backend event becomes before it enters the envelope:
   *
   * - The kernel emits the one `run_started`; a backend's own start event (a CLI's init line)
   *   becomes `session_updated` so its session id and details are kept without a second start. A
   *   start event without a session id repeats what the kernel's `run_started` already carries
   *   (command, arguments, cwd, CLI version from the backend's info) and is dropped.
   * - A cumulative cost update is made run-relative (`cost/usage-baseline.ts`).
   * - An approval request gets ASM's id, unique in the runtime; the CLI's own id stays in
   *   `providerApprovalId`. A resolution the backend reports (the CLI cancelled the request) is
   *   renamed to ASM's id and the approval forgotten.
   */
  private translate(event: BackendEvent): Translated | null {
    switch (event.kind) {
      case "cost_update": {
        if (event.payload.mode !== "cumulative") return { event };
        const rebased = rebaseCumulativeUsage(event, this.spec.usageBaseline);
        this.lastCumulative = rebased.thread;
        return { event: rebased.event };
      }
      case "approval_requested": {
        const providerApprovalId = event.payload.providerApprovalId ?? event.payload.approvalId;
        const approvalId = this.services.approvals.assign(this, providerApprovalId);
        return { event: { ...event, payload: { ...event.payload, approvalId, providerApprovalId } } };
      }
      case "approval_resolved": {
        const approvalId = this.services.approvals.approvalIdFor(this, event.payload.approvalId);
        if (approvalId === undefined) return { event };
        const approval = this.services.approvals.take(approvalId);
        // Already answered: the kernel emitted its resolution, a second one would contradict it.
        if (approval === undefined) return null;
        return { event: { ...event, payload: { ...event.payload, approvalId } }, correlationId: approval.correlationId };
      }
      case "tool_use":
        // Every tool call carries its normalized kind, whichever backend produced it.
        if (event.payload.toolKind !== undefined) return { event };
        return { event: { ...event, payload: { ...event.payload, toolKind: toolKindOf(event.payload.toolName) } } };
      case "result":
        // One documented set of stop reasons; a backend's own word is kept beside it.
        if (event.payload.stopReason === undefined || event.payload.stopReason === null || isStopReason(event.payload.stopReason)) return { event };
        return { event: { ...event, payload: { ...event.payload, ...stopReasonFields(event.payload.stopReason) } } };
      case "run_started": {
        const id = event.payload.providerSessionId ?? event.providerSessionId;
        if (!id) return null;
        return {
          event: backendEvent("session_updated", { ...event.payload, providerSessionId: id }, {
            providerSessionId: id,
            raw: event.raw,
            ...(event.metadata ? { metadata: event.metadata } : {}),
          }),
        };
      }
      default:
        return { event };
    }
  }

  /** The last thread totals a cumulative cost update reported (raw, before run-relative adjustment). */
  get threadTotals(): UsageTotals | undefined {
    return this.lastCumulative;
  }

  /**
   * Emits a backend-shaped event through the pipeline, serialized with every other emission.
   * `fromBackend`: the event is the backend's (translated), so it is already redacted when the
   * backend says it redacts.
   */
  emit(event: BackendEvent, links: { correlationId?: string | null; causationId?: string | null } = {}, viaPipeline = true, fromBackend = false): Promise<void> {
    const next = this.emitChain.then(() => this.emitNow(event, links, viaPipeline, fromBackend));
    this.chain(next);
    return next;
  }

  /** Makes `link` the chain's tail: later emissions wait for it. */
  private chain(link: Promise<void>): void {
    this.pendingEmissions += 1;
    const settled = (): void => {
      this.pendingEmissions -= 1;
    };
    this.emitChain = link.then(settled, settled);
  }

  /**
   * A backend event on its way in. When nothing else is being emitted and no plug runs, it is
   * delivered now, in this call, without a link in the emit chain: the common case of a stream
   * costs no promise per event. Only when delivery must wait (store room, a full queue) is a
   * promise returned, and it becomes the chain's tail so that later emissions keep their order.
   */
  private emitFromBackend(event: BackendEvent, correlationId: string | null): Promise<void> | undefined {
    const links = correlationId === null ? NO_LINKS : { correlationId };
    if (this.pendingEmissions > 0 || this.judges.length > 0) return this.emit(event, links, true, true);
    const waiting = this.emitDirect(event, links, true);
    if (waiting !== undefined) this.chain(waiting);
    return waiting;
  }

  /** The event in its envelope with the next sequence number, or undefined when the run takes no more events. */
  private wrapNext(event: BackendEvent, links: { correlationId?: string | null; causationId?: string | null }): AsmEvent | undefined {
    if (this.phase === "finished" || (this.outcomeSeen && event.kind !== "run_completed")) return undefined;
    if (event.providerSessionId) this.providerSessionId = event.providerSessionId;
    return wrapEvent(this.scope(), event, this.sequence++, links);
  }

  /** Wraps and delivers one event without the pipeline; a promise only when delivery must wait. */
  private emitDirect(event: BackendEvent, links: { correlationId?: string | null; causationId?: string | null }, fromBackend: boolean): Promise<void> | undefined {
    const wrapped = this.wrapNext(event, links);
    return wrapped === undefined ? undefined : this.deliver(wrapped, false, fromBackend && this.backendRedacts);
  }

  private async emitNow(event: BackendEvent, links: { correlationId?: string | null; causationId?: string | null }, viaPipeline: boolean, fromBackend: boolean): Promise<void> {
    if (!viaPipeline || this.judges.length === 0) {
      await this.emitDirect(event, links, fromBackend);
      return;
    }
    const wrapped = this.wrapNext(event, links);
    if (wrapped === undefined) return;
    // Read before any plug sees (and could mutate) the event.
    const stamp = stampOf(wrapped);
    const output = await runPipeline(this.judges, wrapped, this.plugContext());
    const outcomeBefore = this.outcomeSeen;
    if (output.event) await this.deliver(reprotect(output.event, this.scope(), stamp));
    for (const injected of output.injected) {
      // Events a plug injects after the outcome (a cost update priced from the result) belong
      // to that outcome and are still delivered; nothing else is.
      if (outcomeBefore) break;
      await this.deliver(
        wrapEvent(this.scope(), injected, this.sequence++, { correlationId: output.event?.correlationId ?? null, causationId: wrapped.id }),
        true,
      );
    }
    if (output.error && !this.outcomeSeen) {
      // A run interrupted while a plug waited on an approval ends as cancelled, not blocked.
      await this.deliver(this.wrapError(this.cancelled() ?? output.error));
    }
  }

  private wrapError(error: AsmError): AsmEvent {
    return wrapEvent(
      this.scope(),
      backendEvent("error", {
        message: error.reason,
        code: error.code,
        severity: "error",
        domain: error.domain,
        retryable: error.retryable,
        ...(error.exitCode === undefined ? {} : { exitCode: error.exitCode }),
        ...(Object.keys(error.details).length > 0 ? { details: error.details } : {}),
      }),
      this.sequence++,
    );
  }

  /**
   * The envelope fields that do not come from the backend (ids, the provider's name, the provider
   * session being continued) hold no secret. They are checked once per run, so that events a
   * redacting backend already cleaned need no pass of their own.
   */
  private envelopeIsClean(): boolean {
    const fields = [this.id, this.spec.sessionId, this.spec.provider.name, this.providerSessionId ?? ""];
    return fields.every((field) => this.redactor.text(field) === field);
  }

  /** Delivers one event: redacted, reduced, stored, queued. Returns a promise only when it must wait (store room, a full queue). */
  private deliver(given: AsmEvent, injectedWithOutcome = false, alreadyRedacted = false): Promise<void> | undefined {
    if (this.phase === "finished") return undefined;
    if (this.outcomeSeen && given.kind !== "run_completed" && !injectedWithOutcome) return undefined;
    // The one funnel of everything the run emits: what the consumer, the store and the reducer see
    // is redacted (here, or by a backend that redacts with the run's secrets: see backendRedacts).
    const event = alreadyRedacted ? given : this.redactor.value(given);
    reduceEvent(this.state, event);
    if (event.providerSessionId && event.providerSessionId !== this.state.capturedSessionId) {
      this.state.capturedSessionId = event.providerSessionId;
      this.hooks.onProviderSession(this, event);
    }
    if (event.kind === "approval_requested") this.armApproval(event);
    if (isOutcomeEvent(event)) this.outcomeSeen = true;
    if (this.spec.plugs.length > 0) observeEvent(this.spec.plugs, event, this.plugContext());
    if (this.hooks.persist) {
      const ticket = this.hooks.persist(event);
      // Events written together share one acknowledgement: watch each promise once.
      if (ticket.acknowledged !== this.lastStored) {
        this.lastStored = ticket.acknowledged;
        ticket.acknowledged.catch((error: unknown) => this.storeFailed(error));
      }
      if (ticket.accepted) return ticket.accepted.then(() => this.queue.push(event));
    }
    return this.queue.push(event);
  }

  // The store could not take an event: the run is told (it fails with store_unavailable) rather
  // than carrying on with a history that has a hole. After the outcome, its run_completed says
  // failed; only a failure of run_completed itself is left to `asm.acknowledged(event)`.
  private storeFailed(error: unknown): void {
    this.storeError ??= AsmError.from(error, "store_unavailable", { provider: this.spec.provider.name });
    if (this.phase === "finished" || this.outcomeSeen) return;
    void this.failAndFinish(this.storeError);
  }

  // Delivered: the approval now waits for a decision, and is denied if none comes in time.
  private armApproval(event: Extract<AsmEvent, { kind: "approval_requested" }>): void {
    const { approvalId, subject } = event.payload;
    this.services.approvals.arm(approvalId, event.correlationId ?? event.id, this.spec.approvalTimeoutMs, () => {
      void this.resolveApproval(approvalId, "deny", "timeout").catch(() => undefined);
    });
    publish(TELEMETRY_CHANNELS.approvalRequested, { runId: this.id, sessionId: this.spec.sessionId, approvalId, subject });
  }

  /**
   * Answers a pending approval: the decision reaches the backend (and through it the agent) under
   * the CLI's own id, then `approval_resolved` is emitted under ASM's. Unknown or already-resolved
   * id → `AsmError("not_found")`; a backend that does not answer within `transportCallTimeoutMs` →
   * `timeout`.
   */
  async resolveApproval(approvalId: string, decision: ApprovalDecision, reason?: string): Promise<void> {
    if (decision !== "allow" && decision !== "deny") {
      throw new AsmError("config_invalid", `approval decision must be "allow" or "deny", got ${JSON.stringify(decision)}`, { details: { key: "decision" } });
    }
    const pending = this.services.approvals.waiting(approvalId);
    if (pending === undefined || pending.owner !== this || this.phase === "finished" || this.outcomeSeen) {
      throw new AsmError("not_found", `Unknown approval id: ${approvalId}`, { details: { approvalId } });
    }
    // Taken now, so that a concurrent second answer is refused.
    this.services.approvals.take(approvalId);
    this.state.pendingApprovals.delete(approvalId);
    // A plug's approval is answered to the plug, which emits the resolution itself.
    if (this.plugApprovals.answer(approvalId, { decision, ...(reason ? { reason } : {}) })) {
      publish(TELEMETRY_CHANNELS.approvalResolved, { runId: this.id, sessionId: this.spec.sessionId, approvalId, decision, reason });
      return;
    }
    let failure: AsmError | undefined;
    const session = this.backendSession;
    if (session) {
      try {
        await this.bounded("answering an approval", () => session.respondToApproval(pending.providerApprovalId, decision, reason));
      } catch (error) {
        failure = AsmError.from(error, "runtime", { provider: this.spec.provider.name });
      }
    }
    await this.emit(backendEvent("approval_resolved", { approvalId, decision, ...(reason ? { reason } : {}) }), { correlationId: pending.correlationId });
    publish(TELEMETRY_CHANNELS.approvalResolved, { runId: this.id, sessionId: this.spec.sessionId, approvalId, decision, reason });
    if (failure) throw failure;
  }

  /**
   * A call into the backend, bounded by `transportCallTimeoutMs`: a backend that never answers
   * (a CLI that stopped reading its stdin) fails the call with `timeout` instead of hanging it.
   */
  private async bounded<T>(what: string, call: () => Promise<T>): Promise<T> {
    const timeoutMs = this.spec.execution.config.transportCallTimeoutMs;
    if (!Number.isFinite(timeoutMs)) return call();
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        call(),
        new Promise<never>((_resolve, reject) => {
          timer = setTimeout(
            () =>
              reject(
                new AsmError("timeout", `the ${this.spec.provider.name} backend did not finish ${what} within ${timeoutMs} ms (transportCallTimeoutMs)`, {
                  provider: this.spec.provider.name,
                  details: { watchdog: "transport_call", timeoutMs },
                }),
              ),
            timeoutMs,
          );
          timer.unref?.();
        }),
      ]);
    } finally {
      if (timer) clearTimeout(timer);
    }
  }

  private cancelled(): AsmError | null {
    return this.cancelMessage === null ? null : new AsmError("user_cancelled", this.cancelMessage, { provider: this.spec.provider.name });
  }

  /**
   * Stops the run as interrupted by the caller (`user_cancelled`). Works queued or running.
   * Idempotent: concurrent callers (an `interrupt` racing a consumer that stops reading) share
   * one interrupt, so the backend is signalled once.
   */
  interrupt(message = "Run interrupted"): Promise<void> {
    this.interrupting ??= this.interruptNow(message);
    return this.interrupting;
  }

  private async interruptNow(message: string): Promise<void> {
    if (this.phase === "finished" || this.phase === "finishing") return;
    this.cancelMessage ??= message;
    publish(TELEMETRY_CHANNELS.runInterrupted, { runId: this.id, sessionId: this.spec.sessionId, queued: this.phase === "queued" });
    const session = this.backendSession;
    if (session) await this.bounded("interrupting the run", () => session.interrupt()).catch(() => undefined);
    await this.failAndFinish(new AsmError("user_cancelled", message, { provider: this.spec.provider.name }));
  }

  /** Ends the run with `error` as its outcome (timeouts, consumer gone, session stopped). */
  async failAndFinish(error: AsmError): Promise<void> {
    if (this.phase === "finished") return;
    // A plug waiting on an approval holds the emit chain: release it so the outcome can follow.
    this.plugApprovals.denyAll("run_ended");
    await this.emitOutcomeError(error);
    await this.finish();
  }

  private async emitOutcomeError(error: AsmError): Promise<void> {
    const next = this.emitChain.then(async () => {
      if (this.outcomeSeen || this.phase === "finished") return;
      await this.deliver(this.wrapError(error));
    });
    this.chain(next);
    await next;
  }

  private finish(): Promise<void> {
    this.finishing ??= this.finishNow();
    return this.finishing;
  }

  private async finishNow(): Promise<void> {
    const wasQueued = this.phase === "queued";
    this.phase = "finishing";
    this.abort.abort();
    // Nothing can be answered any more: timers stop, ids are forgotten.
    this.services.approvals.release(this);
    if (!wasQueued) await this.closeBackend();
    // No listener outlives the run: the CLI is gone, so is its MCP server.
    await this.hostToolServer?.close();
    await this.emitChain;
    // Every earlier event is acknowledged or failed before the run says how it ended: an event
    // the store lost after the outcome still fails the run.
    await this.lastStored?.catch(() => undefined);
    if (this.storeError && this.state.error?.code !== "store_unavailable") {
      this.state.status = "failed";
      this.state.error = this.storeError;
    }
    const status = isFinal(this.state) ? this.state.status : this.state.error ? "failed" : "completed";
    const completedStatus = status === "pending" || status === "running" ? "completed" : status;
    await this.emit(
      backendEvent("run_completed", {
        status: completedStatus,
        ...(this.state.error ? { error: { code: this.state.error.code, message: this.state.error.reason, domain: this.state.error.domain } } : {}),
      }),
      {},
      false,
    );
    // The stream ends once the store has every event of the run (or has failed to take one).
    await this.lastStored?.catch(() => undefined);
    this.phase = "finished";
    this.queue.close();
    const durationMs = Date.now() - this.startedAtMs;
    const base = { runId: this.id, sessionId: this.spec.sessionId, provider: this.spec.provider.name, lane: this.spec.metadata.lane, status: completedStatus, durationMs };
    if (completedStatus === "completed") publish(TELEMETRY_CHANNELS.runCompleted, base);
    else publish(TELEMETRY_CHANNELS.runFailed, { ...base, code: this.state.error?.code, message: this.state.error?.reason });
    this.hooks.onFinished(this);
    this.resolveDone(this.state);
  }

  private async closeBackend(): Promise<void> {
    const session = this.backendSession;
    if (!session) return;
    let guard: NodeJS.Timeout | undefined;
    await Promise.race([
      session.close().catch(() => undefined),
      new Promise<void>((resolve) => {
        guard = setTimeout(resolve, BACKEND_CLOSE_GUARD_MS);
        guard.unref?.();
      }),
    ]);
    if (guard) clearTimeout(guard);
  }

  /** Sends more input to a running backend (a follow-up message on stream-input backends). */
  async sendInput(input: string): Promise<void> {
    const session = this.backendSession;
    if (!session || this.phase !== "running") {
      throw new AsmError("not_found", `Run ${this.id} is not running`, { details: { runId: this.id } });
    }
    await this.bounded("sending input", () => session.sendInput(input));
  }

  /** The run's result so far (complete once `done` resolved). */
  result() {
    return toResult(this.state);
  }
}

function safeInfo(session: BackendSession) {
  try {
    return session.info();
  } catch {
    return undefined;
  }
}
