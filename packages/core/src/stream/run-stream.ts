import { AsmError, type AsmEvent, type Result } from "@asm/contract";
import type { Run } from "../run/run.js";
import { RunStreamIterator } from "./run-stream-iterator.js";
import { finalResult } from "./stream-helpers.js";

/**
 * A run's events as a lazy `AsyncIterable`: nothing is submitted until the first `next()`.
 * Options are validated then, and invalid options or a full session are thrown from that first
 * `next()` as `AsmError`. Once admitted, every outcome (including failures) arrives as events and
 * the stream always ends with one `run_completed`. Breaking out of the loop interrupts the run;
 * the loop exits only after the run's process is gone.
 *
 * @example
 * ```ts
 * const stream = session.stream("Fix the failing test");
 * for await (const event of stream) if (event.kind === "assistant_delta") process.stdout.write(event.payload.content);
 * ```
 */
export class RunStream implements AsyncIterable<AsmEvent> {
  private used = false;
  private run: Run | undefined;

  constructor(
    /** The run's id, known before it starts (use it with `interrupt`). */
    readonly runId: string,
    private readonly admit: () => Promise<Run>,
    private readonly streamTimeoutMs: () => number,
    /** Called once the stream is over, however it ended (an ephemeral session stops here). */
    private readonly release: () => Promise<void> = () => Promise.resolve(),
  ) {}

  [Symbol.asyncIterator](): AsyncIterator<AsmEvent> {
    if (this.used) throw new AsmError("config_invalid", "a run stream can be iterated only once");
    this.used = true;
    return new RunStreamIterator({
      admit: this.admit,
      streamTimeoutMs: this.streamTimeoutMs,
      release: this.release,
      admitted: (run) => {
        this.run = run;
      },
    });
  }

  /** Consumes the whole stream and returns the reduced `Result` (failures included, not thrown). */
  async result(): Promise<Result> {
    const events: AsmEvent[] = [];
    for await (const event of this) events.push(event);
    return finalResult(events);
  }

  /** The run once admitted (undefined before the first `next()`). */
  get admittedRun(): Run | undefined {
    return this.run;
  }
}
