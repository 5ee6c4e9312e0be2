import { StringDecoder } from "node:string_decoder";
import {
  AsmError,
  backendEvent,
  isOutcomeEvent,
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
import type { ResolvedCli } from "./cli-discovery.js";
import { EventChannel } from "./event-channel.js";
import { synthesizeExitOutcome } from "./exit-classification.js";
import {
  currentHostStartTime,
  processesWithToken,
  registerGroup,
  unregisterGroup,
} from "./group-registry.js";
import { guardRun } from "./host-exit-guard.js";
import type { InvocationFiles } from "./invocation-files.js";
import { JsonlReader } from "./jsonl-reader.js";
import { processStartTime, signalGroup, signalProcess, terminateGroup } from "./process-group.js";
import type { CoreLaneRunOptions } from "./run-options.js";
import { StderrTail } from "./stderr-tail.js";
import type { SurfaceDriver, SurfaceExit, SurfaceProcess } from "./surface.js";
import type { CliVersionCheck } from "./version-check.js";
import { versionWarnings } from "./version-check.js";

/** Why an event was dropped instead of delivered. */
export type DroppedEventReason = "after_outcome";

/** Everything a {@link CoreBackendSession} needs; assembled by `createCoreBackend`. */
export interface CoreSessionSetup {
  profile: ProviderProfile;
  config: BackendStartConfig;
  options: CoreLaneRunOptions;
  cli: ResolvedCli;
  invocation: Invocation;
  /** What the invocation was built from (handed to the parser). */
  invocationInput: InvocationInput;
  files: InvocationFiles;
  surface: SurfaceDriver;
  /** The complete argument list (shim prefix, the profile's arguments, extra arguments). */
  args: string[];
  env: Record<string, string>;
  remoteEnv: Record<string, string>;
  cwd: string;
  /** The run's token (also in `env`). */
  token: string;
  version: CliVersionCheck | null;
  /** Queued events that make the session stop reading the CLI's output. */
  highWater: number;
  /** Registry base folder. */
  stateDir?: string;
  /** Whether host exit handlers kill this run's group. */
  guardHostExit: boolean;
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
  /** Whether the outcome was emitted. */
  settled: boolean;
  /** Whether the process group is gone and resources are released. */
  finished: boolean;
}

type SettleReason = "outcome" | "timeout" | "overflow" | "closed";

const REDACTED = "<prompt>";

/** Replaces the prompt in arguments shown in `info()` and `run_started`. */
export function redactPrompt(args: readonly string[], prompt: string): string[] {
  if (prompt.length === 0) return [...args];
  return args.map((arg) => {
    if (arg === prompt) return REDACTED;
    // Only long prompts are searched inside arguments: a short one would match unrelated text.
    if (prompt.length >= 16 && arg.includes(prompt)) return arg.split(prompt).join(REDACTED);
    return arg;
  });
}

/**
 * One run of a CLI under the core lane. See `createCoreBackend` for the lifecycle guarantees;
 * this class implements them:
 *
 * - the outcome (`result` or terminal `error`) settles the run; later events are dropped; after
 *   `completionGraceMs` the process group is closed if the CLI has not exited by itself;
 * - the leader's exit sweeps what is left of its group, drains stdout, asks the parser for an
 *   outcome and synthesizes one when there is none;
 * - `events()` ends only once the group is gone and the run's files are removed.
 */
export class CoreBackendSession implements BackendSession {
  private proc!: SurfaceProcess;
  private readonly parser: ProfileParser;
  private readonly channel: EventChannel<BackendEvent>;
  private readonly reader: JsonlReader;
  private readonly stderrTail: StderrTail;
  private readonly stderrDecoder = new StringDecoder("utf8");
  private readonly pendingApprovals = new Map<string, Record<string, unknown>>();
  private readonly driftSeen = new Set<string>();
  private readonly redactedArgs: string[];
  private settled = false;
  private interrupted = false;
  private paused = false;
  private stdinEnded = false;
  private exitResult: SurfaceExit | null = null;
  private groupGone = false;
  private stdoutDone = false;
  private stderrDone = false;
  private finalizing = false;
  private finished = false;
  private shutdownPromise: Promise<void> | null = null;
  private idleTimer: NodeJS.Timeout | null = null;
  private wallTimer: NodeJS.Timeout | null = null;
  private completionTimer: NodeJS.Timeout | null = null;
  private drainTimer: NodeJS.Timeout | null = null;
  private registryFile: string | null = null;
  private leaderStartTime: string | null = null;
  private unguard: (() => void) | null = null;
  private interruptCount = 0;
  private lastOutputAt = 0;
  private survivors = false;
  private resolveFinished!: () => void;
  private readonly finishedPromise = new Promise<void>((resolve) => {
    this.resolveFinished = resolve;
  });

  private constructor(private readonly setup: CoreSessionSetup) {
    this.reader = new JsonlReader({ maxLineBytes: setup.options.maxLineBytes });
    this.stderrTail = new StderrTail(setup.options.stderrTailBytes);
    this.redactedArgs = redactPrompt(setup.args, setup.config.prompt);
    this.channel = new EventChannel<BackendEvent>(setup.highWater, {
      onPressure: () => this.pause(),
      onRelief: () => this.resume(),
      onAbandon: () => void this.close(),
    });
    this.parser = setup.profile.createParser({
      provider: setup.config.provider,
      input: setup.invocationInput,
      reply: (line) => {
        this.writeLine(line).catch(() => undefined);
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
    this.proc = await setup.surface.spawn(
      { command: setup.cli.command, args: setup.args, cwd: setup.cwd, env: setup.env, remoteEnv: setup.remoteEnv },
      setup.config.execution.executionSurface,
    );
    const proc = this.proc;
    if (setup.surface.local) {
      this.leaderStartTime = processStartTime(proc.pid);
      this.registryFile = registerGroup(
        {
          version: 1,
          hostPid: process.pid,
          hostStartTime: currentHostStartTime(),
          pgid: proc.pid,
          leaderStartTime: this.leaderStartTime,
          command: setup.cli.command,
          token: setup.token,
          tempDir: setup.files.dir,
          createdAt: new Date().toISOString(),
        },
        setup.stateDir,
      );
    }
    if (setup.guardHostExit) this.unguard = guardRun({ killSync: () => this.killSync() });

    proc.stdin.on("error", () => {
      // EPIPE after the CLI exited; writes report their own failure.
      this.stdinEnded = true;
    });
    proc.stdout.on("data", (chunk: Buffer) => this.onStdout(chunk));
    proc.stdout.on("end", () => this.onStdoutEnd());
    proc.stdout.on("error", () => this.onStdoutEnd());
    proc.stderr.on("data", (chunk: Buffer) => this.onStderr(chunk));
    proc.stderr.on("end", () => this.onStderrEnd());
    proc.stderr.on("error", () => this.onStderrEnd());

    this.channel.push(
      backendEvent("run_started", {
        command: setup.cli.command,
        args: this.redactedArgs,
        cwd: setup.cwd,
        ...(setup.version?.version ? { cliVersion: setup.version.version } : {}),
      }),
    );
    if (setup.version !== null) {
      for (const warning of versionWarnings(setup.version, setup.profile.cli, setup.cli.command)) this.channel.push(warning);
    }

    const { stdin, closeStdin } = setup.invocation;
    if (stdin !== undefined && stdin !== "") proc.stdin.write(stdin);
    if (closeStdin) this.endStdin();

    this.wallTimer = setTimeout(() => this.onWatchdog("wall"), setup.options.wallTimeoutMs);
    this.armIdle();
    void proc.exited.then((result) => this.onExit(result));
  }

  // ---- output -------------------------------------------------------------------------------

  private onStdout(chunk: Buffer): void {
    this.lastOutputAt = performance.now();
    if (this.drainTimer !== null) this.armDrain();
    // After the outcome, output is only parsed when someone listens for dropped events.
    if (this.settled && this.setup.onDroppedEvent === undefined) return;
    const lines = this.reader.push(chunk);
    for (const line of lines) {
      this.handle(this.callParser(() => this.parser.line(line), line));
      if (this.settled && this.setup.onDroppedEvent === undefined) return;
    }
    this.checkOverflow();
  }

  private onStdoutEnd(): void {
    if (this.stdoutDone) return;
    if (!this.settled || this.setup.onDroppedEvent !== undefined) {
      for (const line of this.reader.end()) this.handle(this.callParser(() => this.parser.line(line), line));
      this.checkOverflow();
    }
    this.stdoutDone = true;
    this.checkFinalize();
  }

  private onStderr(chunk: Buffer): void {
    this.lastOutputAt = performance.now();
    if (this.drainTimer !== null) this.armDrain();
    this.stderrTail.push(chunk);
    if (this.settled) return;
    const text = this.stderrDecoder.write(chunk);
    if (text !== "") this.handle(this.callParser(() => this.parser.stderr(text)));
  }

  private onStderrEnd(): void {
    if (this.stderrDone) return;
    const rest = this.stderrDecoder.end();
    if (rest !== "" && !this.settled) this.handle(this.callParser(() => this.parser.stderr(rest)));
    this.stderrDone = true;
    this.checkFinalize();
  }

  private checkOverflow(): void {
    const overflow = this.reader.overflow;
    if (overflow === null || this.settled) return;
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

  private callParser(parse: () => BackendEvent[], line?: string): BackendEvent[] {
    try {
      return parse();
    } catch (error) {
      return [
        backendEvent("error", {
          message: `the ${this.setup.profile.id} parser failed: ${error instanceof Error ? error.message : String(error)}`,
          code: "parse_error",
          severity: "warning",
          details: line === undefined ? {} : { line },
        }),
      ];
    }
  }

  private handle(events: readonly BackendEvent[]): void {
    for (const event of events) {
      if (this.settled) {
        this.setup.onDroppedEvent?.(event, "after_outcome");
        continue;
      }
      if (event.kind === "approval_requested") {
        this.pendingApprovals.set(event.payload.approvalId, event.payload.details ?? {});
        this.armIdle();
      } else if (event.kind === "approval_resolved") {
        this.pendingApprovals.delete(event.payload.approvalId);
        this.armIdle();
      }
      this.channel.push(event);
      if (event.kind === "raw") this.noteDrift(event);
      if (isOutcomeEvent(event)) this.settle("outcome");
    }
  }

  private noteDrift(event: Extract<BackendEvent, { kind: "raw" }>): void {
    const type = event.metadata?.unknownType;
    if (typeof type !== "string" || this.driftSeen.has(type)) return;
    this.driftSeen.add(type);
    this.channel.push(
      backendEvent("warning", {
        code: "schema_drift",
        message: `${this.setup.profile.id} emitted an event type this profile does not know: ${type}; it is passed through as raw`,
        details: { type, profile: this.setup.profile.id },
      }),
    );
  }

  // ---- backpressure and watchdogs ------------------------------------------------------------

  private pause(): void {
    if (this.settled || this.finished) return;
    this.paused = true;
    this.proc.stdout.pause();
    this.proc.stderr.pause();
    this.clearTimer("idleTimer");
    this.clearTimer("drainTimer");
  }

  private resume(): void {
    if (!this.paused) return;
    this.paused = false;
    this.proc.stdout.resume();
    this.proc.stderr.resume();
    this.armIdle();
    this.armDrain();
  }

  // The idle watchdog measures the CLI's silence; it does not run while ASM itself holds the
  // CLI back (a slow consumer) or while the CLI waits for an approval answer. Output only stamps
  // `lastOutputAt`; the timer re-arms itself for the rest of the period, so a busy stream does
  // not reset a timer per chunk.
  private armIdle(): void {
    this.clearTimer("idleTimer");
    if (this.idleSuspended()) return;
    this.lastOutputAt = performance.now();
    this.scheduleIdle(this.setup.options.idleTimeoutMs);
  }

  private idleSuspended(): boolean {
    return this.settled || this.paused || this.exitResult !== null || this.pendingApprovals.size > 0;
  }

  private scheduleIdle(ms: number): void {
    this.idleTimer = setTimeout(() => {
      this.idleTimer = null;
      if (this.idleSuspended()) return;
      const quiet = performance.now() - this.lastOutputAt;
      const rest = this.setup.options.idleTimeoutMs - quiet;
      if (rest <= 0) this.onWatchdog("idle");
      else this.scheduleIdle(Math.ceil(rest));
    }, ms);
  }

  private onWatchdog(watchdog: "idle" | "wall"): void {
    if (this.settled) return;
    const ms = watchdog === "idle" ? this.setup.options.idleTimeoutMs : this.setup.options.wallTimeoutMs;
    const message =
      watchdog === "idle"
        ? `idle watchdog fired: no output from ${this.setup.profile.id} for ${ms} ms`
        : `wall-clock watchdog fired: the run exceeded ${ms} ms`;
    this.emitOutcome(
      backendEvent("error", {
        message,
        code: "timeout",
        severity: "error",
        details: { watchdog, timeoutMs: ms },
      }),
      "timeout",
    );
  }

  private clearTimer(name: "idleTimer" | "wallTimer" | "completionTimer" | "drainTimer"): void {
    const timer = this[name];
    if (timer !== null) clearTimeout(timer);
    this[name] = null;
  }

  // ---- outcome and shutdown ------------------------------------------------------------------

  private emitOutcome(event: BackendEvent, reason: SettleReason): void {
    if (this.settled) {
      this.setup.onDroppedEvent?.(event, "after_outcome");
      return;
    }
    this.channel.push(event);
    this.settle(reason);
  }

  private settle(reason: SettleReason): void {
    if (this.settled) return;
    this.settled = true;
    this.clearTimer("idleTimer");
    this.clearTimer("wallTimer");
    // From here on output is read and discarded so the CLI never blocks on a full pipe.
    if (this.paused) {
      this.paused = false;
      this.proc.stdout.resume();
      this.proc.stderr.resume();
    }
    if (reason === "outcome") {
      if (this.setup.profile.control?.endInputOnOutcome === true) this.endStdin();
      if (this.exitResult === null) {
        this.completionTimer = setTimeout(() => void this.shutdown(), this.setup.options.completionGraceMs);
      }
    } else {
      void this.shutdown();
    }
    this.checkFinalize();
  }

  private shutdown(): Promise<void> {
    if (this.shutdownPromise !== null) return this.shutdownPromise;
    this.clearTimer("completionTimer");
    const proc = this.proc;
    this.shutdownPromise = (async () => {
      const gone = await terminateGroup(proc.pid, {
        graceMs: this.setup.options.closeGraceMs,
        isAlive: () => proc.isAlive(),
        signal: (signal) => proc.signal(signal),
      });
      // A process that outlives SIGKILL (stuck in the kernel) keeps its record, so the reaper
      // can still find it should this host die.
      this.survivors = !gone;
      // Descendants that left the group (setsid) but kept the run's environment.
      if (this.setup.surface.local) {
        const escaped = processesWithToken(this.setup.token, this.leaderStartTime);
        for (const pid of escaped) signalProcess(pid, "SIGKILL");
      }
      this.groupGone = true;
      this.armDrain();
      this.checkFinalize();
    })();
    return this.shutdownPromise;
  }

  private onExit(result: SurfaceExit): void {
    this.exitResult = result;
    this.clearTimer("idleTimer");
    // The leader is gone: whatever it left in its group goes too, at once if the outcome is in.
    void this.shutdown();
    this.checkFinalize();
  }

  // Once the group is gone, stdout normally ends by itself; a process outside the group that
  // holds the pipe (it changed its session and environment) must not keep the run open.
  private armDrain(): void {
    this.clearTimer("drainTimer");
    if (!this.groupGone || this.paused || this.finished || (this.stdoutDone && this.stderrDone)) return;
    this.drainTimer = setTimeout(() => {
      this.proc.stdout.destroy();
      this.proc.stderr.destroy();
      this.onStdoutEnd();
      this.onStderrEnd();
    }, Math.max(this.setup.options.closeGraceMs, 1_000));
  }

  private checkFinalize(): void {
    if (this.finalizing || this.exitResult === null || !this.groupGone) return;
    if (!this.settled && !(this.stdoutDone && this.stderrDone)) return;
    this.finalizing = true;
    if (!this.settled) {
      const exit = this.exitResult;
      const facts = {
        profileId: this.setup.profile.id,
        commandNames: [this.setup.cli.command, ...this.setup.profile.cli.binaryNames],
        exitCode: exit.exitCode,
        signal: exit.signal,
        stderrTail: this.stderrTail.text(),
        interrupted: this.interrupted,
        remote: !this.setup.surface.local,
      };
      if (!this.interrupted) {
        this.handle(
          this.callParser(() =>
            this.parser.exit({ exitCode: exit.exitCode, signal: exit.signal, stderrTail: facts.stderrTail, outcomeSeen: false }),
          ),
        );
      }
      if (!this.settled) this.emitOutcome(synthesizeExitOutcome(facts), "closed");
    }
    void this.finalize();
  }

  private async finalize(): Promise<void> {
    for (const name of ["idleTimer", "wallTimer", "completionTimer", "drainTimer"] as const) this.clearTimer(name);
    this.proc.stdout.destroy();
    this.proc.stderr.destroy();
    this.proc.stdin.destroy();
    await this.setup.files.cleanup();
    if (!this.survivors) unregisterGroup(this.registryFile);
    this.unguard?.();
    this.finished = true;
    this.channel.end();
    this.resolveFinished();
  }

  // Host exit path: nothing can be awaited, so the local group (the CLI, or the ssh client of a
  // remote run) is killed outright.
  private killSync(): void {
    if (this.finished) return;
    signalGroup(this.proc.pid, "SIGKILL");
    if (this.setup.surface.local) {
      for (const pid of processesWithToken(this.setup.token, this.leaderStartTime)) signalProcess(pid, "SIGKILL");
    }
    this.setup.files.cleanupSync();
    unregisterGroup(this.registryFile);
  }

  // ---- input -------------------------------------------------------------------------------

  private endStdin(): void {
    if (this.stdinEnded) return;
    this.stdinEnded = true;
    this.proc.stdin.end();
  }

  private writeLine(line: string): Promise<void> {
    const stdin = this.proc.stdin;
    if (this.stdinEnded || stdin.destroyed || !stdin.writable) {
      return Promise.reject(new AsmError("transport_error", `the input of ${this.setup.profile.id} is closed`));
    }
    return new Promise<void>((resolve, reject) => {
      stdin.write(`${line}\n`, (error) => {
        if (error) reject(new AsmError("transport_error", `could not write to ${this.setup.profile.id}: ${error.message}`, { cause: error }));
        else resolve();
      });
    });
  }

  // ---- BackendSession ----------------------------------------------------------------------

  /** The run's events, ending after the outcome once the process group is gone. Iterate once. */
  events(): AsyncIterable<BackendEvent> {
    return this.channel.iterable();
  }

  /** Writes a follow-up message (`control.userMessageLine`, or the raw text and a newline). */
  async sendInput(input: string): Promise<void> {
    if (this.settled) throw new AsmError("transport_error", "the run has ended; it accepts no more input");
    const control = this.setup.profile.control;
    await this.writeLine(control === undefined ? input : control.userMessageLine(input));
  }

  /** Closes the CLI's stdin. */
  async endInput(): Promise<void> {
    this.endStdin();
  }

  /** The profile's interrupt line when it has one, else SIGINT to the process group. */
  async interrupt(): Promise<void> {
    if (this.settled || this.exitResult !== null) return;
    this.interrupted = true;
    this.interruptCount += 1;
    const line = this.setup.profile.control?.interruptLine(`interrupt-${this.interruptCount}`) ?? null;
    if (line !== null) {
      try {
        await this.writeLine(line);
        return;
      } catch {
        // The input is closed: fall back to the signal.
      }
    }
    await this.proc.signal("SIGINT");
  }

  /**
   * Ends the run. Before the outcome: reports `user_cancelled`, then SIGTERM, `closeGraceMs`,
   * SIGKILL to the group. After the outcome: lets the completion grace run out first. Resolves
   * once the group is gone and the run's files are removed. Idempotent.
   */
  close(): Promise<void> {
    if (!this.settled) {
      this.emitOutcome(
        backendEvent("error", {
          message: `the run was closed before ${this.setup.profile.id} finished`,
          code: "user_cancelled",
          severity: "error",
        }),
        "closed",
      );
    }
    return this.finishedPromise;
  }

  /** Writes `control.approvalReply` for a pending approval. */
  async respondToApproval(approvalId: string, decision: ApprovalDecision, reason?: string): Promise<void> {
    const control = this.setup.profile.control;
    if (control === undefined) {
      throw new AsmError("unsupported", `the ${this.setup.profile.id} profile has no control protocol to answer approvals with`);
    }
    const details = this.pendingApprovals.get(approvalId);
    if (details === undefined) throw new AsmError("not_found", `no pending approval ${approvalId}`, { details: { approvalId } });
    this.pendingApprovals.delete(approvalId);
    this.armIdle();
    await this.writeLine(control.approvalReply(details, decision, reason));
  }

  /** Provider, lane `core`, backend `core:<profile>`, runtime, capabilities, process details. */
  info(): BackendInfo {
    const { setup } = this;
    return {
      provider: setup.config.provider,
      lane: "core",
      backend: `core:${setup.profile.id}`,
      runtime: setup.surface.runtime,
      capabilities: [...setup.profile.capabilities],
      session: {
        ...this.proc.describe(),
        command: setup.cli.command,
        args: this.redactedArgs,
        cwd: setup.cwd,
        cliPath: setup.cli.path,
        cliSource: setup.cli.source,
        ...(setup.version?.version ? { cliVersion: setup.version.version } : {}),
      },
      observability: { ...setup.config.execution.executionSurface.observability, surface: setup.surface.kind },
    };
  }

  /** Internal counters (not part of the backend contract). */
  stats(): CoreSessionStats {
    return {
      queuedEvents: this.channel.size,
      peakQueuedEvents: this.channel.peakSize,
      paused: this.paused,
      settled: this.settled,
      finished: this.finished,
    };
  }

  /** Resolves once the run is over and its resources are released. */
  whenFinished(): Promise<void> {
    return this.finishedPromise;
  }
}
