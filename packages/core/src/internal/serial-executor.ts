/**
 * Runs tasks one at a time in submission order, so session state changes (admission, approvals,
 * checkpoint, stop) never interleave across awaits.
 */
export class SerialExecutor {
  private tail: Promise<unknown> = Promise.resolve();

  /** Queues `task`; resolves or rejects with its outcome. */
  run<T>(task: () => T | Promise<T>): Promise<T> {
    const result = this.tail.then(task, task);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
