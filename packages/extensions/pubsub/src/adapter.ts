import type { PubSubPayload } from "./payload.js";

/** One message for an adapter: a payload on a topic. */
export interface PubSubMessage {
  topic: string;
  payload: PubSubPayload;
}

/** Called with each message that arrives on a subscribed topic. */
export type PubSubHandler = (message: PubSubMessage) => void | Promise<void>;

/** A live subscription; `unsubscribe()` stops delivery. */
export interface PubSubSubscription {
  readonly topic: string;
  unsubscribe(): Promise<void>;
}

/**
 * A transport the broadcaster publishes through and subscribers listen on. `publish` may resolve
 * once the message is handed to the transport (not necessarily acknowledged); it rejects when the
 * transport cannot take it. An adapter that is full waits before resolving, which is how it
 * pushes back on the broadcaster's bounded queue.
 */
export interface PubSubAdapter {
  /** `local`, `phoenix`, `nats`, or a custom name (used in errors and telemetry). */
  readonly name: string;
  /** Publishes a batch of messages in order. */
  publish(messages: readonly PubSubMessage[]): Promise<void>;
  /** Delivers every message on `topic` to `handler` until unsubscribed. */
  subscribe(topic: string, handler: PubSubHandler): Promise<PubSubSubscription>;
  /** Releases what the adapter opened (a connection it was given stays open). */
  close(): Promise<void>;
}
