import type { PubSubAdapter, PubSubMessage } from "./adapter.js";

/** Options of {@link messages}. */
export interface MessagesOptions {
  /** Messages held for a reader that falls behind; the oldest go first past it. Default 10 000. */
  bufferSize?: number;
  /** Ends the iteration (and unsubscribes) when aborted. */
  signal?: AbortSignal;
}

/**
 * Subscribes to `topic` and resolves, once the subscription stands, with an iterator of its
 * messages in order; leaving the loop (or aborting) unsubscribes. Works with any adapter.
 *
 * @example
 * ```ts
 * for await (const { payload } of await messages(bus, "asm:events")) {
 *   if (payload.event.kind === "run_completed") break;
 * }
 * ```
 */
export async function messages(adapter: PubSubAdapter, topic: string, options: MessagesOptions = {}): Promise<AsyncGenerator<PubSubMessage, void, undefined>> {
  const bufferSize = options.bufferSize ?? 10_000;
  const buffer: PubSubMessage[] = [];
  let wake: (() => void) | null = null;
  let ended = options.signal?.aborted ?? false;
  const onAbort = () => {
    ended = true;
    wake?.();
  };
  const subscription = await adapter.subscribe(topic, (message) => {
    buffer.push(message);
    if (buffer.length > bufferSize) buffer.shift();
    wake?.();
  });
  options.signal?.addEventListener("abort", onAbort, { once: true });
  async function* iterate(): AsyncGenerator<PubSubMessage, void, undefined> {
    try {
      while (!ended) {
        const next = buffer.shift();
        if (next) {
          yield next;
          continue;
        }
        await new Promise<void>((resolve) => (wake = resolve));
        wake = null;
      }
    } finally {
      options.signal?.removeEventListener("abort", onAbort);
      await subscription.unsubscribe();
    }
  }
  return iterate();
}
