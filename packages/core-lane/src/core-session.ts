import {
  backendEvent,
  isOutcomeEvent,
  AsmError,
  type ApprovalDecision,
  type BackendEvent,
  type BackendInfo,
  type BackendSession,
  type BackendStartConfig,
  type Invocation,
  type InvocationInput,
  type ProfileParser,
  type ProviderProfile,
} from "@asm/contract";
import { createUnknownTypeWarnings, type Redactor, type UnknownTypeWarnings } from "@asm/provider-utils";
import type { ResolvedCli } from "./cli-discovery.js";
import { EventChannel } from "./event-channel.js";
import { synthesizeExitOutcome } from "./exit-classification.js";
import type { InvocationFiles } from "./invocation-files.js";
import type { JsonlOverflow } from "./jsonl-reader.js";
import { callParser } from "./parser-failure.js";
import { OutputPump } from "./output-pump.js";
import { RunPhaseMachine, type CoreRunPhase, type SettleReason } from "./run-phase.js";
import { RunProcess } from "./run-process.js";
import type { CoreLaneRunOptions } from "./run-options.js";
import { StdinControl } from "./stdin-control.js";
import type { SurfaceDriver, SurfaceExit } from "./surface.js";
import type { CliVersionCheck } from "./version-check.js";
import { versionWarnings } from "./version-check.js";
import { Watchdogs } from "./watchdogs.js";

/** Why an event was dropped instead of delivered. */
export type DroppedEventReason = "after_outcome";

/** Everything a {@link CoreBackendSession} needs; assembled by `createCoreBackend`. */
export interface CoreSessionSetup {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any profile: the kernel validated its options
  profile: ProviderProfile<any>;
  config: BackendStartConfig;
  options: CoreLaneRunOptions;
  cli: ResolvedCli;
  invocation: Invocation;
  /** What the invocation was built from (handed to the parser). */
  invocationInput: InvocationInput;
  files: InvocationFiles;
  surface: SurfaceDriver;
  /** The complete argument list (shim prefix, then the profile's arguments). */
  args: string[];
  env: Record<string, string>;
  remoteEnv: Record<string, string>;
  cwd: string;
  /** The run's token (also in `env`). */
  token: string;
  version: CliVersionCheck | null;
  /** Replaces the run's secrets in every event before it leaves the lane. */
  redactor: Redactor;
  /** Queued events that make the session stop reading the CLI's output. */
  highWater: number;
  /** Registry base folder. */
  stateDir?: string;
  /** Whether host exit handlers kill this run's group. */
  guardHostExit: boolean;
  /** Whether the host guardian process kills this run's group if the host dies. */
  guardian: boolean;
  onDroppedEvent?: (event: BackendEvent, reason: DroppedEventReason) => void;
}

/** Internal counters of a session, for diagnostics and tests. */
export interface CoreSessionStats {
  /** Events waiting for the consumer. */
  queuedEvents: number;
  /** Most events ever waiting at once (bounded by the high-water mark plus one stdout chunk). */
  peakQueuedEvents: number;
  /** Whether stdout reading is paused for a slow consumer. */
  paused: boolean;
  /** Where the run is in its life. */
  phase: CoreRunPhase;
  /** Whether the outcome was emitted. */
  settled: boolean;
  /** Whether the process group is gone and resources are released. */
  finished: boolean;
}

const REDACTED = "<prompt>";

/** The `host` and `node` a surface process reports about itself, when it reports them as text. */
function placementOf(described: Record<string, unknown>): { host?: string; node?: string } {
  return {
    ...(typeof described.host === "string" ? { host: described.host } : {}),
    ...(typeof described.node === "string" ? { node: described.node } : {}),
  };
}

/** Replaces the prompt in arguments shown in `info()` (and so in the kernel's `run_started`). */
function redactPrompt(args: readonly string[], prompt: string): string[] {
  if (prompt.length === 0) return [...args];
  return args.map((arg) => {
    if (arg === prompt) return REDACTED;
    // Only long prompts are searched inside arguments: a short one would match unrelated text.
    if (prompt.length >= 16 && arg.includes(prompt)) return arg.split(prompt).join(REDACTED);
    return arg;
  });
}

/**
 * One run of a CLI under the core lane. See `createCoreBackend` for the guarantees; this class
 * wires the pieces that keep them and owns the run's one state machine ({@link RunPhaseMachine}):
 *
 * - {@link RunProcess}: the CLI as the leader of its own group, the registry, termination;
 * - {@link OutputPump}: stdout framed into lines for the parser, stderr and its tail, backpressure;
 * - {@link Watchdogs}: idle, wall clock, completion grace, drain guard;
 * - {@link StdinControl}: stdin and the profile's control protocol (approvals, input, interrupts).
 *
 * The first outcome (`result` or terminal `error`) settles the run and later events are dropped;
 * the leader's exit sweeps what is left of its group; when the run ends without an outcome the
 * parser is asked for one at exit and one is synthesized if it has none; `events()` ends only once
 * the group is gone and the run's files are removed.
 */
export class CoreBackendSession implements BackendSession {
  private readonly phase = new RunPhaseMachine();
  private readonly parser: ProfileParser;
  private readonly channel: EventChannel<BackendEvent>;
  private readonly drift: UnknownTypeWarnings;
  private readonly redactedArgs: string[];
  private readonly watchdogs: Watchdogs;
  private process!: RunProcess;
  private pump!: OutputPump;
  private stdin!: StdinControl;
  private resolveFinished!: () => void;
  private readonly finishedPromise = new Promise<void>((resolve) => {
    this.resolveFinished = resolve;
  });

  private constructor(private readonly setup: CoreSessionSetup) {
    this.redactedArgs = redactPrompt(setup.args, setup.config.prompt).map((arg) => setup.redactor.text(arg));
    this.channel = new EventChannel<BackendEvent>(setup.highWater, {
      onPressure: () => this.pause(),
      onRelief: () => this.resume(),
      onAbandon: () => void this.close(),
    });
    const { options } = setup;
    this.watchdogs = new Watchdogs(
      {
        idleTimeoutMs: options.idleTimeoutMs,
        wallTimeoutMs: options.wallTimeoutMs,
        completionGraceMs: options.completionGraceMs,
        drainMs: Math.max(options.closeGraceMs, 1_000),
      },
      {
        idle: () => this.onWatchdog("idle"),
        wall: () => this.onWatchdog("wall"),
        completionDue: () => void this.terminate(),
        drainDue: () => this.pump.forceEnd(),
        idleSuspended: () => this.phase.isSettled || this.pump.isPaused || this.process.hasExited || this.stdin.awaitsApproval,
        drainWanted: () => this.process.isGone && !this.pump.isPaused && !this.phase.isFinished && !this.pump.isEnded,
      },
    );
    this.drift = createUnknownTypeWarnings(setup.profile.id);
    this.parser = setup.profile.createParser({
      provider: setup.config.provider,
      input: setup.invocationInput,
      reply: (line) => {
        this.stdin.writeLine(line).catch(() => undefined);
      },
    });
  }

  /** Spawns the CLI and wires its streams; rejects with an `AsmError` when it cannot start. */
  static async start(setup: CoreSessionSetup): Promise<CoreBackendSession> {
    const session = new CoreBackendSession(setup);
    await session.spawn();
    return session;
  }

  private async spawn(): Promise<void> {
    const { setup } = this;
    this.process = await RunProcess.start({
      surface: setup.surface,
      request: { command: setup.cli.command, args: setup.args, cwd: setup.cwd, env: setup.env, remoteEnv: setup.remoteEnv },
      executionSurface: setup.config.execution.executionSurface,
      token: setup.token,
      files: setup.files,
      stateDir: setup.stateDir,
      guardHostExit: setup.guardHostExit,
      guardian: setup.guardian,
      closeGraceMs: setup.options.closeGraceMs,
    });
    const { proc } = this.process;
    this.stdin = new StdinControl(proc.stdin, setup.profile.id, setup.profile.control);
    this.pump = new OutputPump(proc.stdout, proc.stderr, setup.options, {
      output: () => this.watchdogs.noteOutput(),
      line: (text) => this.handle(this.callParser(() => this.parser.line(text), text)),
      stderr: (text) => {
        if (!this.phase.isSettled) this.handle(this.callParser(() => this.parser.stderr(text)));
      },
      overflow: (overflow) => this.onOverflow(overflow),
      ended: () => this.checkFinalize(),
    });
    this.pump.attach();

    // The kernel emits the run's one `run_started` (from `info()`); the lane starts with warnings only.
    if (setup.version !== null) {
      for (const warning of versionWarnings(setup.version, setup.profile.cli, setup.cli.command)) this.push(warning);
    }
    this.stdin.open(setup.invocation.stdin, setup.invocation.closeStdin);
    this.watchdogs.startWall();
    this.watchdogs.armIdle();
    this.process.watchExit((exit) => this.onExit(exit));
  }

  // ---- events -------------------------------------------------------------------------------

  private callParser(parse: () => BackendEvent[], line?: string): BackendEvent[] {
    return callParser(this.setup.profile.id, parse, line);
  }

  private handle(events: readonly BackendEvent[]): void {
    for (const event of events) {
      if (this.phase.isSettled) {
        this.drop(event);
        continue;
      }
      if (this.stdin.observe(event)) this.watchdogs.armIdle();
      this.push(event);
      const driftWarning = this.drift.after(event);
      if (driftWarning !== undefined) this.push(driftWarning);
      if (isOutcomeEvent(event)) this.settle("outcome");
    }
  }

  /** Every event leaves the lane here, or through {@link drop}: redacted. */
  private push(event: BackendEvent): void {
    this.channel.push(this.setup.redactor.value(event));
  }

  private drop(event: BackendEvent): void {
    if (this.setup.onDroppedEvent === undefined) return;
    this.setup.onDroppedEvent(this.setup.redactor.value(event), "after_outcome");
  }

  private onOverflow(overflow: JsonlOverflow): void {
    if (this.phase.isSettled) return;
    this.emitOutcome(
      backendEvent("error", {
        message:
          `a stdout line exceeded the ${overflow.maxLineBytes}-byte cap (${overflow.lineBytes} bytes so far); ` +
          "it was not truncated, the run was stopped (raise maxLineBytes to accept it)",
        code: "buffer_overflow",
        severity: "fatal",
        details: { lineBytes: overflow.lineBytes, maxLineBytes: overflow.maxLineBytes },
      }),
      "overflow",
    );
  }

  private onWatchdog(watchdog: "idle" | "wall"): void {
    if (this.phase.isSettled) return;
    const ms = watchdog === "idle" ? this.setup.options.idleTimeoutMs : this.setup.options.wallTimeoutMs;
    const message =
      watchdog === "idle"
        ? `idle watchdog fired: no output from ${this.setup.profile.id} for ${ms} ms`
        : `wall-clock watchdog fired: the run exceeded ${ms} ms`;
    this.emitOutcome(backendEvent("error", { message, code: "timeout", severity: "error", details: { watchdog, timeoutMs: ms } }), "timeout");
  }

  // ---- backpressure ----------------------------------------------------------------------------

  private pause(): void {
    if (this.phase.isSettled) return;
    this.pump.pause();
    this.watchdogs.clear("idle");
    this.watchdogs.clear("drain");
  }

  private resume(): void {
    if (!this.pump.isPaused) return;
    this.pump.resume();
    this.watchdogs.armIdle();
    this.watchdogs.armDrain();
  }

  // ---- outcome and shutdown --------------------------------------------------------------------

  private emitOutcome(event: BackendEvent, reason: SettleReason): void {
    if (this.phase.isSettled) {
      this.drop(event);
      return;
    }
    this.push(event);
    this.settle(reason);
  }

  private settle(reason: SettleReason): void {
    if (!this.phase.settle(reason)) return;
    this.watchdogs.clear("idle");
    this.watchdogs.clear("wall");
    // From here on output is read and discarded so the CLI never blocks on a full pipe.
    if (this.setup.onDroppedEvent === undefined) this.pump.discard();
    this.pump.resume();
    if (reason === "outcome") {
      if (this.setup.profile.control?.endInputOnOutcome === true) this.stdin.end();
      if (!this.process.hasExited) this.watchdogs.armCompletion();
    } else {
      void this.terminate();
    }
    this.checkFinalize();
  }

  private terminate(): Promise<void> {
    this.watchdogs.clear("completion");
    return this.process.terminate(() => {
      this.watchdogs.armDrain();
      this.checkFinalize();
    });
  }

  private onExit(_exit: SurfaceExit): void {
    this.watchdogs.clear("idle");
    // The leader is gone: whatever it left in its group goes too, at once if the outcome is in.
    void this.terminate();
    this.checkFinalize();
  }

  private checkFinalize(): void {
    const exit = this.process.exit;
    if (this.phase.phase === "finalizing" || this.phase.isFinished || exit === null || !this.process.isGone) return;
    if (!this.phase.isSettled && !this.pump.isEnded) return;
    if (!this.phase.isSettled) {
      const interrupted = this.stdin.interruptRequested;
      const stderrTail = this.pump.stderrTail();
      if (exit.lost !== undefined) {
        // The surface lost the process: that, not whatever the CLI printed last, ends the run.
        this.emitOutcome(
          backendEvent("error", {
            message: exit.lost.message,
            code: "transport_error",
            severity: "error",
            exitCode: null,
            stderrTail,
            details: { ...exit.lost.details, lost: true },
          }),
          "closed",
        );
      } else if (!interrupted) {
        this.handle(this.callParser(() => this.parser.exit({ exitCode: exit.exitCode, signal: exit.signal, stderrTail, outcomeSeen: false })));
      }
      if (!this.phase.isSettled) {
        this.emitOutcome(
          synthesizeExitOutcome({
            profileId: this.setup.profile.id,
            commandNames: [this.setup.cli.command, ...this.setup.profile.cli.binaryNames],
            exitCode: exit.exitCode,
            signal: exit.signal,
            stderrTail,
            interrupted,
            remote: !this.setup.surface.local,
          }),
          "closed",
        );
      }
    }
    if (this.phase.beginFinalizing()) void this.finalize();
  }

  private async finalize(): Promise<void> {
    this.watchdogs.clearAll();
    this.pump.destroy();
    this.stdin.destroy();
    await this.setup.files.cleanup();
    this.process.release();
    this.phase.finish();
    this.channel.end();
    this.resolveFinished();
  }

  // ---- BackendSession ----------------------------------------------------------------------

  /** The run's events, ending after the outcome once the process group is gone. Iterate once. */
  events(): AsyncIterable<BackendEvent> {
    return this.channel.iterable();
  }

  /** Writes a follow-up message (`control.userMessageLine`, or the raw text and a newline). */
  async sendInput(input: string): Promise<void> {
    if (this.phase.isSettled) throw new AsmError("transport_error", "the run has ended; it accepts no more input");
    await this.stdin.sendInput(input);
  }

  /** Closes the CLI's stdin. */
  endInput(): Promise<void> {
    this.stdin.end();
    return Promise.resolve();
  }

  /** The profile's interrupt line when it has one, else SIGINT to the process group. */
  async interrupt(): Promise<void> {
    if (this.phase.isSettled || this.process.hasExited) return;
    if (await this.stdin.interrupt()) return;
    await this.process.signal("SIGINT");
  }

  /**
   * Ends the run. Before the outcome: reports `user_cancelled`, then SIGTERM, `closeGraceMs`,
   * SIGKILL to the group. After the outcome: lets the completion grace run out first. Resolves
   * once the group is gone and the run's files are removed. Idempotent.
   */
  close(): Promise<void> {
    if (!this.phase.isSettled) {
      this.emitOutcome(
        backendEvent("error", { message: `the run was closed before ${this.setup.profile.id} finished`, code: "user_cancelled", severity: "error" }),
        "closed",
      );
    }
    return this.finishedPromise;
  }

  /** Writes `control.approvalReply` for a pending approval. */
  async respondToApproval(approvalId: string, decision: ApprovalDecision, reason?: string): Promise<void> {
    const line = this.stdin.approvalReply(approvalId, decision, reason);
    // Nothing waits on a person any more: the idle watchdog measures the CLI's silence again.
    this.watchdogs.armIdle();
    await this.stdin.writeLine(line);
  }

  /** Provider, lane `core`, backend `core:<profile>`, runtime, capabilities, process details. */
  info(): BackendInfo {
    const { setup } = this;
    const described = this.process.proc.describe();
    return {
      provider: setup.config.provider,
      lane: "core",
      backend: `core:${setup.profile.id}`,
      runtime: setup.surface.runtime,
      capabilities: [...setup.profile.capabilities],
      session: {
        ...described,
        command: setup.cli.command,
        args: this.redactedArgs,
        cwd: setup.cwd,
        cliPath: setup.cli.path,
        cliSource: setup.cli.source,
        ...(setup.version?.version ? { cliVersion: setup.version.version } : {}),
      },
      // Where the CLI runs, when a surface says (an ssh host, a remote node chosen by placement):
      // it ends up in the metadata of the kernel's run_started, so a caller can tell. A label the
      // caller configured for the surface wins.
      observability: { ...placementOf(described), ...setup.config.execution.executionSurface.observability, surface: setup.surface.kind },
      // Every event leaves through push() or drop(), redacted with the host's secrets and the CLI's.
      redactsEvents: true,
    };
  }

  /** Internal counters (not part of the backend contract). */
  stats(): CoreSessionStats {
    return {
      queuedEvents: this.channel.size,
      peakQueuedEvents: this.channel.peakSize,
      paused: this.pump.isPaused,
      phase: this.phase.phase,
      settled: this.phase.isSettled,
      finished: this.phase.isFinished,
    };
  }

  /** Resolves once the run is over and its resources are released. */
  whenFinished(): Promise<void> {
    return this.finishedPromise;
  }
}
