import {
  AsmError,
  backendEvent,
  isOutcomeEvent,
  type ApprovalDecision,
  type BackendEvent,
  type BackendInfo,
  type BackendSession,
} from "@asm/contract";

/** The watchdogs of one SDK-lane turn. */
export interface TurnWatchdogs {
  /** No message from the agent for this long ends the turn with a `timeout` (`idle`). */
  idleTimeoutMs: number;
  /** The turn may last this long in total before it ends with a `timeout` (`wall`). */
  wallTimeoutMs: number;
}

/** How a {@link LaneTurn} names its agent and lane. */
export interface LaneTurnOptions {
  provider: string;
  /** The lane in errors (`the codex app-server lane`). */
  lane: string;
  /** The agent in watchdog messages (`claude`, `codex app-server`). */
  agent: string;
  timeouts: TurnWatchdogs;
}

/**
 * One run (one turn) on an SDK lane's long-lived agent process (an SDK query, an app-server
 * thread, an ACP session). A lane's turn maps its protocol to ASM events and hands them to
 * {@link push}; this base keeps the rest, the same on every lane: a queue read once through
 * `events()`, the idle and wall watchdogs, the graceful interrupt, `close()` before the end, and
 * the rule that the first outcome event settles the turn and nothing follows it.
 */
export abstract class LaneTurn implements BackendSession {
  private readonly queue: BackendEvent[] = [];
  private waiting: ((result: IteratorResult<BackendEvent>) => void) | null = null;
  private settled = false;
  private interrupting = false;
  private idleTimer: NodeJS.Timeout | undefined;
  private readonly wallTimer: NodeJS.Timeout;

  /** Starts the wall and idle watchdogs. */
  protected constructor(private readonly options: LaneTurnOptions) {
    this.wallTimer = setTimeout(() => this.onWatchdog("wall"), options.timeouts.wallTimeoutMs);
    this.wallTimer.unref?.();
    // Nothing waits for the user yet: the idle watchdog starts at once.
    this.idleTimer = setTimeout(() => this.onWatchdog("idle"), options.timeouts.idleTimeoutMs);
    this.idleTimer.unref?.();
  }

  /** True while the turn waits for the user (an approval): the idle watchdog does not run then. */
  protected abstract waitingForUser(): boolean;
  /** Asks the agent to stop the turn gracefully (the SDK's `interrupt()`, `turn/interrupt`, `session/cancel`). */
  protected abstract interruptAgent(): Promise<void>;
  /** Stops the agent's process at once: a watchdog fired, or a graceful interrupt failed. */
  protected abstract killAgent(): void;
  /**
   * Runs once, right after the outcome: answer what nobody can answer any more, free the host.
   * `cleanly` is false when the outcome came from ASM (a watchdog, a close), not from the agent.
   */
  protected abstract onSettled(cleanly: boolean): void;
  /** Answers a pending approval. */
  abstract respondToApproval(approvalId: string, decision: ApprovalDecision, reason?: string): Promise<void>;
  /** The agent process's details. */
  abstract info(): BackendInfo;

  /** Whether the outcome is out. */
  get isSettled(): boolean {
    return this.settled;
  }

  /** Whether an interrupt was asked for: the agent's next end of the turn means `user_cancelled`. */
  protected get interruptRequested(): boolean {
    return this.interrupting;
  }

  /** Queues an event (dropped once settled); an outcome event settles the turn. */
  protected push(event: BackendEvent): void {
    if (this.settled) return;
    this.enqueue(event);
    if (isOutcomeEvent(event)) this.settle(true);
  }

  private enqueue(event: BackendEvent): void {
    const waiting = this.waiting;
    if (waiting !== null) {
      this.waiting = null;
      waiting({ value: event, done: false });
    } else {
      this.queue.push(event);
    }
  }

  /**
   * Queues the turn's outcome and settles. `cleanly` says the agent is still in a known state (an
   * interrupt it acknowledged); by default the outcome was decided by ASM (a watchdog, a close).
   */
  protected outcome(event: BackendEvent, cleanly = false): void {
    if (this.settled) return;
    // Not through push(): an outcome event there would settle the turn as clean.
    this.enqueue(event);
    this.settle(cleanly);
  }

  /** The agent spoke, or the user answered: the idle watchdog starts over (unless the turn waits for the user). */
  protected armIdle(): void {
    this.clearIdle();
    if (this.settled || this.waitingForUser()) return;
    this.idleTimer = setTimeout(() => this.onWatchdog("idle"), this.options.timeouts.idleTimeoutMs);
    this.idleTimer.unref?.();
  }

  /** Stops the idle watchdog (an approval is now pending). */
  protected clearIdle(): void {
    if (this.idleTimer !== undefined) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
  }

  private settle(cleanly: boolean): void {
    if (this.settled) return;
    this.settled = true;
    this.clearIdle();
    clearTimeout(this.wallTimer);
    const waiting = this.waiting;
    if (waiting !== null && this.queue.length === 0) {
      this.waiting = null;
      waiting({ value: undefined, done: true });
    }
    this.onSettled(cleanly);
  }

  private onWatchdog(watchdog: "idle" | "wall"): void {
    if (this.settled) return;
    const ms = watchdog === "idle" ? this.options.timeouts.idleTimeoutMs : this.options.timeouts.wallTimeoutMs;
    const message = watchdog === "idle" ? `idle watchdog fired: no message from ${this.options.agent} for ${ms} ms` : `wall-clock watchdog fired: the run exceeded ${ms} ms`;
    this.outcome(backendEvent("error", { message, code: "timeout", severity: "error", details: { watchdog, timeoutMs: ms } }));
    this.killAgent();
  }

  /** The turn's events, ending after the outcome. Iterate once. */
  events(): AsyncIterable<BackendEvent> {
    return {
      [Symbol.asyncIterator]: () => ({
        next: () => {
          const event = this.queue.shift();
          if (event !== undefined) return Promise.resolve({ value: event, done: false });
          if (this.settled) return Promise.resolve({ value: undefined, done: true });
          return new Promise<IteratorResult<BackendEvent>>((resolve) => {
            this.waiting = resolve;
          });
        },
        return: () => Promise.resolve({ value: undefined, done: true }),
      }),
    };
  }

  /** Follow-ups are new runs of the same session (they reuse the live process); mid-turn input is refused. */
  sendInput(_input: string): Promise<void> {
    return Promise.reject(new AsmError("unsupported", `${this.options.lane} takes follow-ups as new runs of the same session (they reuse the live process)`, { provider: this.options.provider }));
  }

  /** Nothing to close per turn: the agent stays for the session's next run. */
  endInput(): Promise<void> {
    return Promise.resolve();
  }

  /** The graceful interrupt: the agent ends the turn itself and the process stays for the next. */
  async interrupt(): Promise<void> {
    if (this.settled) return;
    this.interrupting = true;
    await this.interruptAgent();
  }

  /** Before the outcome: ends the turn with `user_cancelled` and tells the agent to stop; an agent that cannot be told is killed. Idempotent. */
  async close(): Promise<void> {
    if (this.settled) return;
    const already = this.interrupting;
    this.interrupting = true;
    this.outcome(backendEvent("error", { message: `the run was closed before ${this.options.agent} finished`, code: "user_cancelled", severity: "error" }));
    if (!already) await this.interruptAgent().catch(() => this.killAgent());
  }
}
