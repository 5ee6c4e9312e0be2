import { AsmError } from "@asm/contract";
import type { PubSubAdapter, PubSubHandler, PubSubMessage, PubSubSubscription } from "./adapter.js";

/**
 * An in-process bus: subscribers of a topic get every message published on it, in order. A
 * publish waits for asynchronous handlers, so a slow subscriber slows the broadcaster's dispatch
 * (whose bounded queue then drops by its overflow policy) and never the run itself.
 */
export interface LocalBus extends PubSubAdapter {
  readonly name: "local";
  /** How many handlers listen on `topic`. */
  subscriberCount(topic: string): number;
}

/**
 * Creates a local bus.
 *
 * @example
 * ```ts
 * const bus = localBus();
 * const subscription = await bus.subscribe("asm:events", ({ payload }) => console.log(payload.event.kind));
 * ```
 */
export function localBus(): LocalBus {
  const handlers = new Map<string, Set<PubSubHandler>>();
  let closed = false;

  async function deliver(message: PubSubMessage): Promise<unknown[]> {
    const listeners = handlers.get(message.topic);
    if (!listeners || listeners.size === 0) return [];
    const failures: unknown[] = [];
    const pending: Promise<void>[] = [];
    for (const handler of [...listeners]) {
      try {
        const returned = handler(message);
        if (returned instanceof Promise) pending.push(returned.catch((error: unknown) => void failures.push(error)));
      } catch (error) {
        failures.push(error);
      }
    }
    if (pending.length > 0) await Promise.all(pending);
    return failures;
  }

  return {
    name: "local",
    async publish(messages) {
      if (closed) throw new AsmError("transport_error", "the local bus is closed", { details: { adapter: "local" } });
      const failures: unknown[] = [];
      for (const message of messages) failures.push(...(await deliver(message)));
      if (failures.length > 0) {
        throw AsmError.from(failures[0], "transport_error", { details: { adapter: "local", failedHandlers: failures.length } });
      }
    },
    subscribe(topic, handler) {
      if (closed) return Promise.reject(new AsmError("transport_error", "the local bus is closed", { details: { adapter: "local" } }));
      if (typeof handler !== "function") return Promise.reject(new AsmError("config_invalid", "subscribe needs a handler function", { details: { key: "handler" } }));
      let listeners = handlers.get(topic);
      if (!listeners) handlers.set(topic, (listeners = new Set()));
      // A wrapper, so the same function can subscribe twice and unsubscribe each independently.
      const entry: PubSubHandler = (message) => handler(message);
      listeners.add(entry);
      const subscription: PubSubSubscription = {
        topic,
        unsubscribe() {
          const set = handlers.get(topic);
          set?.delete(entry);
          if (set?.size === 0) handlers.delete(topic);
          return Promise.resolve();
        },
      };
      return Promise.resolve(subscription);
    },
    subscriberCount(topic) {
      return handlers.get(topic)?.size ?? 0;
    },
    close() {
      closed = true;
      handlers.clear();
      return Promise.resolve();
    },
  };
}
