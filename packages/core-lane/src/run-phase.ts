/**
 * Where one core-lane run is in its life. The phases only move forward:
 *
 * ```text
 * running ──settle──▶ settled ──finalize──▶ finalizing ──finish──▶ finished
 * ```
 *
 * - `running`: no outcome yet; events flow from the parser to the consumer.
 * - `settled`: the run's one outcome (`result` or terminal `error`) was emitted; later events are
 *   dropped, output is read and discarded so the CLI never blocks, and the process group is on
 *   its way out (completion grace, or at once after a watchdog, an overflow or `close()`).
 * - `finalizing`: the group is gone; streams, files and the registry record are being released.
 * - `finished`: nothing of the run is left; `events()` has ended.
 */
export type CoreRunPhase = "running" | "settled" | "finalizing" | "finished";

/** Why a run settled: its own outcome, a watchdog, an oversized line, or the run being closed. */
export type SettleReason = "outcome" | "timeout" | "overflow" | "closed";

const NEXT: Readonly<Record<CoreRunPhase, CoreRunPhase | null>> = {
  running: "settled",
  settled: "finalizing",
  finalizing: "finished",
  finished: null,
};

/** The explicit state machine of a core-lane run (see {@link CoreRunPhase}). */
export class RunPhaseMachine {
  private current: CoreRunPhase = "running";
  private reason: SettleReason | null = null;

  /** The current phase. */
  get phase(): CoreRunPhase {
    return this.current;
  }

  /** Whether the outcome is in (any phase after `running`). */
  get isSettled(): boolean {
    return this.current !== "running";
  }

  /** Whether everything is released. */
  get isFinished(): boolean {
    return this.current === "finished";
  }

  /** Why the run settled, once it has. */
  get settleReason(): SettleReason | null {
    return this.reason;
  }

  /** `running → settled`. Returns false (and changes nothing) when the run had already settled. */
  settle(reason: SettleReason): boolean {
    if (this.current !== "running") return false;
    this.reason = reason;
    this.advance("settled");
    return true;
  }

  /** `settled → finalizing`. Returns false when finalizing already began. */
  beginFinalizing(): boolean {
    if (this.current !== "settled") return false;
    this.advance("finalizing");
    return true;
  }

  /** `finalizing → finished`. */
  finish(): void {
    this.advance("finished");
  }

  private advance(to: CoreRunPhase): void {
    if (NEXT[this.current] !== to) throw new Error(`core lane run: no transition from ${this.current} to ${to}`);
    this.current = to;
  }
}
