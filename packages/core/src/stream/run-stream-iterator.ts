import { AsmError, type AsmEvent } from "@asm/contract";
import type { Run } from "../run/run.js";

/** What a {@link RunStreamIterator} needs from its stream. */
export interface RunStreamSource {
  /** Admits the run (validates options, takes a slot); throws as the first `next()` would. */
  admit(): Promise<Run>;
  /** The stream watchdog's wait for the next event, in ms. */
  streamTimeoutMs(): number;
  /** Called once the stream is over, however it ended. */
  release(): Promise<void>;
  /** Told the run once it is admitted. */
  admitted(run: Run): void;
}

const DONE: IteratorResult<AsmEvent> = Object.freeze({ value: undefined, done: true });

/**
 * A run stream's iterator, written out rather than as an async generator: a generator's `yield`
 * awaits every value it hands over, which costs a promise and a microtask per event. This one
 * hands an event that is already queued straight to `next()`. It answers as the generator did:
 * requests settle in call order, `return()` before the first `next()` starts nothing, and leaving
 * early interrupts the run and resolves only once its process is gone.
 */
export class RunStreamIterator implements AsyncIterableIterator<AsmEvent> {
  private state: "fresh" | "open" | "done" = "fresh";
  private run: Run | undefined;
  // Requests that must wait run one after another, like a generator's; `inFlight` says whether a
  // request is still being answered, so a later one may not overtake it on the queued path.
  private tail: Promise<unknown> = Promise.resolve();
  private inFlight = 0;

  constructor(private readonly source: RunStreamSource) {}

  /** The iterator itself, as a generator's is, so it can be handed to `for await` again. */
  [Symbol.asyncIterator](): this {
    return this;
  }

  /** The next event: at once when one is queued and nothing is being answered, else in turn. */
  next(): Promise<IteratorResult<AsmEvent>> {
    if (this.inFlight === 0 && this.state === "open") {
      const queued = (this.run as Run).queue.take();
      if (queued !== undefined) return Promise.resolve({ value: queued, done: false });
    }
    return this.inTurn(() => this.waitForNext());
  }

  /** Leaves the stream: the run is interrupted unless it has ended, and its process is gone when this resolves. */
  return(): Promise<IteratorResult<AsmEvent>> {
    return this.inTurn(async () => {
      if (this.state === "fresh") this.state = "done";
      if (this.state === "done") return DONE;
      await this.close(false);
      return DONE;
    });
  }

  /** Leaves the stream as `return()` does, then rejects with `error`, as a generator does. */
  async throw(error?: unknown): Promise<IteratorResult<AsmEvent>> {
    await this.return();
    throw error;
  }

  private inTurn(request: () => Promise<IteratorResult<AsmEvent>>): Promise<IteratorResult<AsmEvent>> {
    this.inFlight += 1;
    const answer = this.tail.then(request);
    const settled = () => {
      this.inFlight -= 1;
    };
    this.tail = answer.then(settled, settled);
    return answer;
  }

  private async waitForNext(): Promise<IteratorResult<AsmEvent>> {
    if (this.state === "done") return DONE;
    if (this.state === "fresh") await this.open();
    const run = this.run as Run;
    try {
      for (;;) {
        const queued = run.queue.take();
        if (queued !== undefined) return { value: queued, done: false };
        if (run.queue.ended) {
          await this.close(true);
          return DONE;
        }
        // Waiting on the user (an approval) or for a slot (queued) is not the CLI going quiet.
        const waitMs = run.awaitingApproval || run.currentPhase === "queued" ? Number.POSITIVE_INFINITY : this.source.streamTimeoutMs();
        const woke = await new Promise<boolean>((resolve) => run.queue.waitForItem(waitMs, resolve));
        if (!woke) {
          void run.failAndFinish(
            new AsmError("timeout", `stream timeout: no event for ${waitMs} ms (streamTimeoutMs)`, { details: { watchdog: "stream", timeoutMs: waitMs } }),
          );
        }
      }
    } catch (error) {
      if (this.state === "open") await this.close(false);
      throw error;
    }
  }

  private async open(): Promise<void> {
    let run: Run;
    try {
      run = await this.source.admit();
    } catch (error) {
      this.state = "done";
      await this.source.release();
      throw error;
    }
    this.run = run;
    this.state = "open";
    this.source.admitted(run);
  }

  // The stream is over: a consumer that leaves before the end interrupts the run; either way the
  // stream ends only once the run is done (its process gone) and the stream released.
  private async close(ended: boolean): Promise<void> {
    this.state = "done";
    const run = this.run as Run;
    if (!ended) {
      run.queue.abandon();
      await run.interrupt("the consumer stopped reading the stream");
    }
    await run.done;
    await this.source.release();
  }
}
