import { AsmError } from "@asm/contract";
import type { PubSubAdapter, PubSubHandler, PubSubSubscription } from "./adapter.js";
import { loadOptional } from "./internal/load-optional.js";
import { eventSubject, subscriptionSubject, topicToSubject } from "./internal/nats-subjects.js";
import type { PubSubPayload } from "./payload.js";

/**
 * The part of a NATS connection (`@nats-io/transport-node` 3.x `NatsConnection`) the adapter uses.
 * Any connection with these methods will do, such as the one a remote-execution client already
 * holds, so one process keeps one connection.
 */
export interface NatsConnectionLike {
  publish(subject: string, payload?: Uint8Array | string): void;
  subscribe(subject: string, options?: { callback?: (error: Error | null, message: { subject: string; data: Uint8Array }) => void }): { unsubscribe(): void };
  flush(): Promise<void>;
  close(): Promise<void>;
  isClosed(): boolean;
}

/** Options of {@link natsAdapter}. */
export interface NatsAdapterOptions {
  /** `nats://host:port` (or several); default `nats://127.0.0.1:4222`. Ignored with `connection`. */
  servers?: string | string[];
  /** An open connection to publish on; the adapter never closes it. */
  connection?: NatsConnectionLike;
  /** Client name shown by the server; default `asm-pubsub`. */
  name?: string;
  /** Token authentication. */
  token?: string;
  /** Wait between reconnect attempts (ms); default 250. The client retries forever. */
  reconnectTimeWaitMs?: number;
}

/** A NATS adapter. */
export interface NatsAdapter extends PubSubAdapter {
  readonly name: "nats";
  /** The connection it publishes on. */
  readonly connection: NatsConnectionLike;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Publishes on NATS core subjects, so every subscriber of a fleet sees the events. An event goes
 * out once, on `<prefix>.session.<sid>.run.<rid>`; subscribing to `<prefix>:events` listens on
 * `<prefix>.session.*.run.*` and `<prefix>:session:<sid>` on `<prefix>.session.<sid>.run.*`, so
 * the server does the fan-out (other topics map `:` to `.` one to one). Core NATS is at most once:
 * while the client reconnects it buffers what is published, and a subscriber that is away misses
 * what is sent meanwhile.
 *
 * @example
 * ```ts
 * const adapter = await natsAdapter({ servers: "nats://127.0.0.1:4222" });
 * const broadcaster = createBroadcaster({ adapter });
 * ```
 */
export async function natsAdapter(options: NatsAdapterOptions = {}): Promise<NatsAdapter> {
  let connection: NatsConnectionLike;
  const owned = options.connection === undefined;
  if (options.connection) {
    connection = options.connection;
  } else {
    const nats = await loadOptional("@nats-io/transport-node", "nats", () => import("@nats-io/transport-node"));
    const servers = options.servers ?? "nats://127.0.0.1:4222";
    for (const server of Array.isArray(servers) ? servers : [servers]) {
      if (typeof server !== "string" || !/^(nats|tls):\/\/[^/]+/.test(server)) {
        throw new AsmError("config_invalid", `NATS server "${String(server)}" must be a nats://host:port URL`, { details: { key: "servers" } });
      }
    }
    try {
      connection = await nats.connect({
        servers,
        name: options.name ?? "asm-pubsub",
        maxReconnectAttempts: -1,
        reconnectTimeWait: options.reconnectTimeWaitMs ?? 250,
        ...(options.token === undefined ? {} : { token: options.token }),
      });
    } catch (error) {
      throw AsmError.from(error, "connection_failed", { details: { adapter: "nats", servers } });
    }
  }
  let closed = false;
  const subscriptions = new Set<{ unsubscribe(): void }>();

  return {
    name: "nats",
    connection,
    publish(batch) {
      if (closed || connection.isClosed()) return Promise.reject(new AsmError("transport_error", "the NATS connection is closed", { details: { adapter: "nats" } }));
      // The broadcaster hands one message per topic; an event of the standard topics goes out
      // once, on its run subject (subscribers of the wider topics listen with wildcards).
      let lastPayload: PubSubPayload | null = null;
      let lastBytes: Uint8Array = new Uint8Array();
      let lastSubject: string | null = null;
      try {
        for (const message of batch) {
          if (message.payload !== lastPayload) {
            lastPayload = message.payload;
            lastBytes = encoder.encode(JSON.stringify(message.payload));
            lastSubject = eventSubject(message.payload);
            if (lastSubject !== null) {
              connection.publish(lastSubject, lastBytes);
              continue;
            }
          }
          if (lastSubject === null) connection.publish(topicToSubject(message.topic), lastBytes);
        }
      } catch (error) {
        return Promise.reject(AsmError.from(error, "transport_error", { details: { adapter: "nats" } }));
      }
      return Promise.resolve();
    },
    subscribe(topic, handler: PubSubHandler) {
      if (closed) return Promise.reject(new AsmError("transport_error", "the NATS adapter is closed", { details: { adapter: "nats" } }));
      let subject: string;
      try {
        subject = subscriptionSubject(topic);
      } catch (error) {
        return Promise.reject(AsmError.from(error, "config_invalid"));
      }
      const subscription = connection.subscribe(subject, {
        callback: (error, message) => {
          if (error) return;
          let payload: PubSubPayload;
          try {
            payload = JSON.parse(decoder.decode(message.data)) as PubSubPayload;
          } catch {
            return;
          }
          try {
            const returned = handler({ topic, payload });
            if (returned instanceof Promise) returned.catch(() => undefined);
          } catch {
            // A subscriber's failure is its own.
          }
        },
      });
      subscriptions.add(subscription);
      const result: PubSubSubscription = {
        topic,
        unsubscribe() {
          subscriptions.delete(subscription);
          subscription.unsubscribe();
          return Promise.resolve();
        },
      };
      // The server has the interest once a round trip completes: publishes after this reach it.
      return connection.flush().then(() => result, (error: unknown) => Promise.reject(AsmError.from(error, "transport_error", { details: { adapter: "nats" } })));
    },
    async close() {
      if (closed) return;
      closed = true;
      for (const subscription of subscriptions) subscription.unsubscribe();
      subscriptions.clear();
      if (owned && !connection.isClosed()) {
        // Flushing waits for the server; a server that is gone must not hold up the close.
        await Promise.race([connection.flush().catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 1_000).unref())]);
        await connection.close();
      }
    },
  };
}
