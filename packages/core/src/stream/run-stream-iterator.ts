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

const ignore = (): void => {};

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
  // A `next()` waiting on the queue's wake, outside the request chain (see `park`).
  private parkedResolve: (result: IteratorResult<AsmEvent>) => void = ignore;
  private parkedReject: (error: unknown) => void = ignore;
  private parkedWaitMs = 0;

  constructor(private readonly source: RunStreamSource) {}

  /** The iterator itself, as a generator's is, so it can be handed to `for await` again. */
  [Symbol.asyncIterator](): this {
    return this;
  }

  /**
   * The next event: at once when one is queued and nothing is being answered; when nothing is
   * queued either, one promise settled by the queue's wake; else in turn.
   */
  next(): Promise<IteratorResult<AsmEvent>> {
    if (this.inFlight === 0 && this.state === "open") {
      const run = this.run as Run;
      const queued = run.queue.take();
      if (queued !== undefined) return Promise.resolve({ value: queued, done: false });
      if (!run.queue.ended) return this.park(run);
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
    // A parked wait that failed must not stop the requests after it, as a generator's would not.
    const answer = this.tail.then(request, request);
    const settled = () => {
      this.inFlight -= 1;
    };
    this.tail = answer.then(settled, settled);
    return answer;
  }

  // A consumer that keeps up finds the queue empty at almost every event. Waiting through the
  // request chain and an async function costs several promises and closures per event, and at
  // thousands of events a second they are what fills the young generation; a parked wait costs
  // one promise. Anything but an event to take (the end, the timeout) goes to the full wait.
  private park(run: Run): Promise<IteratorResult<AsmEvent>> {
    this.inFlight += 1;
    const answer = new Promise<IteratorResult<AsmEvent>>((resolve, reject) => {
      this.parkedResolve = resolve;
      this.parkedReject = reject;
    });
    // A request made meanwhile is answered after this one.
    this.tail = answer;
    this.parkedWaitMs = this.waitMsOf(run);
    run.queue.waitForItem(this.parkedWaitMs, this.wakeParked);
    return answer;
  }

  private readonly wakeParked = (woke: boolean): void => {
    const resolve = this.parkedResolve;
    const reject = this.parkedReject;
    this.parkedResolve = ignore;
    this.parkedReject = ignore;
    const run = this.run as Run;
    if (woke) {
      const queued = run.queue.take();
      if (queued !== undefined) {
        this.inFlight -= 1;
        resolve({ value: queued, done: false });
        return;
      }
    } else {
      this.streamTimedOut(run, this.parkedWaitMs);
    }
    this.waitForNext().then(
      (result) => {
        this.inFlight -= 1;
        resolve(result);
      },
      (error: unknown) => {
        this.inFlight -= 1;
        reject(error);
      },
    );
  };

  // Waiting on the user (an approval) or for a slot (queued) is not the CLI going quiet.
  private waitMsOf(run: Run): number {
    return run.awaitingApproval || run.currentPhase === "queued" ? Number.POSITIVE_INFINITY : this.source.streamTimeoutMs();
  }

  private streamTimedOut(run: Run, waitMs: number): void {
    void run.failAndFinish(
      new AsmError("timeout", `stream timeout: no event for ${waitMs} ms (streamTimeoutMs)`, { details: { watchdog: "stream", timeoutMs: waitMs } }),
    );
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
        const waitMs = this.waitMsOf(run);
        const woke = await new Promise<boolean>((resolve) => run.queue.waitForItem(waitMs, resolve));
        if (!woke) this.streamTimedOut(run, waitMs);
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
