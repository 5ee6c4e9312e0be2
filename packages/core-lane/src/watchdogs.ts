/** The time limits of one run. */
export interface WatchdogLimits {
  /** No stdout or stderr output for this long fires `idle`. */
  idleTimeoutMs: number;
  /** The run lasting this long fires `wall`. */
  wallTimeoutMs: number;
  /** After the outcome, how long the CLI may take to exit by itself. */
  completionGraceMs: number;
  /** After the group is gone, how long its pipes may stay open. */
  drainMs: number;
}

/** What the watchdogs report, and what they ask. */
export interface WatchdogHandlers {
  /** The CLI was silent for `idleTimeoutMs`. */
  idle(): void;
  /** The run exceeded `wallTimeoutMs`. */
  wall(): void;
  /** The completion grace is over: close the group. */
  completionDue(): void;
  /** The pipes outlived the group by `drainMs`: end them. */
  drainDue(): void;
  /**
   * Whether the idle watchdog is suspended: it measures the CLI's silence, so it does not run while
   * ASM holds the CLI back (a slow consumer), while the CLI waits for an approval answer, or once
   * the outcome is in or the CLI has exited.
   */
  idleSuspended(): boolean;
  /** Whether the pipes still need draining (the group is gone, output has not ended, reading is not paused). */
  drainWanted(): boolean;
}

type TimerName = "idle" | "wall" | "completion" | "drain";

/**
 * The timers of one run: the idle and wall-clock watchdogs, the completion grace, and the drain
 * guard. Output only stamps a time; the idle timer re-arms itself for the rest of the period when
 * it fires early, so a busy stream does not reset a timer per chunk.
 */
export class Watchdogs {
  private readonly timers = new Map<TimerName, NodeJS.Timeout>();
  private lastOutputAt = 0;

  constructor(
    private readonly limits: WatchdogLimits,
    private readonly handlers: WatchdogHandlers,
  ) {}

  /** Starts the wall-clock watchdog. */
  startWall(): void {
    this.set("wall", this.limits.wallTimeoutMs, () => this.handlers.wall());
  }

  /** Output arrived: the CLI is not idle, and pipes that still carry data get more drain time. */
  noteOutput(): void {
    this.lastOutputAt = performance.now();
    if (this.timers.has("drain")) this.armDrain();
  }

  /** (Re)starts the idle watchdog for a full period, unless it is suspended. */
  armIdle(): void {
    this.clear("idle");
    if (this.handlers.idleSuspended()) return;
    this.lastOutputAt = performance.now();
    this.scheduleIdle(this.limits.idleTimeoutMs);
  }

  /** Starts the completion grace. */
  armCompletion(): void {
    this.set("completion", this.limits.completionGraceMs, () => this.handlers.completionDue());
  }

  /** (Re)starts the drain guard when draining is wanted, else stops it. */
  armDrain(): void {
    this.clear("drain");
    if (!this.handlers.drainWanted()) return;
    this.set("drain", this.limits.drainMs, () => this.handlers.drainDue());
  }

  /** Stops one timer. */
  clear(name: TimerName): void {
    const timer = this.timers.get(name);
    if (timer !== undefined) clearTimeout(timer);
    this.timers.delete(name);
  }

  /** Stops every timer. */
  clearAll(): void {
    for (const name of [...this.timers.keys()]) this.clear(name);
  }

  private scheduleIdle(ms: number): void {
    this.set("idle", ms, () => {
      if (this.handlers.idleSuspended()) return;
      const rest = this.limits.idleTimeoutMs - (performance.now() - this.lastOutputAt);
      if (rest <= 0) this.handlers.idle();
      else this.scheduleIdle(Math.ceil(rest));
    });
  }

  private set(name: TimerName, ms: number, fire: () => void): void {
    this.clear(name);
    this.timers.set(
      name,
      setTimeout(() => {
        this.timers.delete(name);
        fire();
      }, ms),
    );
  }
}
