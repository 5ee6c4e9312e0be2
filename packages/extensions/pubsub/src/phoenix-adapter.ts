import { AsmError } from "@asm/contract";
import type { Channel, Socket } from "phoenix";
import type { PubSubAdapter, PubSubHandler, PubSubMessage, PubSubSubscription } from "./adapter.js";
import { loadOptional } from "./internal/load-optional.js";
import { checkAuthToken, checkEndpoint, jsonSafe } from "./internal/phoenix-checks.js";
import type { PubSubPayload } from "./payload.js";

/** What the Phoenix adapter reports about its connection and channels. */
export type PhoenixStatus =
  | { type: "connected" }
  | { type: "disconnected"; code: number; reason: string }
  | { type: "connect_error"; message: string }
  | { type: "joined"; topic: string; rejoin: boolean }
  | { type: "join_refused"; topic: string; reason: string }
  | { type: "channel_error"; topic: string };

/** Options of {@link phoenixAdapter}. */
export interface PhoenixAdapterOptions {
  /** Absolute `ws://` or `wss://` endpoint, without `/websocket` (e.g. `ws://host:4000/socket`). */
  url: string;
  /** Socket params (query string); a function is called again on every reconnect. */
  params?: Record<string, string> | (() => Record<string, string>);
  /** Sent as the `base64url.bearer.phx.<token>` subprotocol; a function is read on every connect. */
  authToken?: string;
  /** Join params of every channel; a function is called again on every rejoin. */
  joinParams?: Record<string, unknown> | ((topic: string) => Record<string, unknown>);
  /** The channel event published and listened for; default `asm_event`. */
  event?: string;
  /** Join and push reply timeout (ms); default 10 000. */
  timeoutMs?: number;
  /** Heartbeat period, also the heartbeat reply timeout (ms); default 30 000. */
  heartbeatIntervalMs?: number;
  /** Socket reconnect backoff; default 10 ms doubling-ish up to 5 s (the client's own). */
  reconnectAfterMs?: (tries: number) => number;
  /** Channel rejoin backoff after an error; default the client's own (1, 2, 5, 10 s). */
  rejoinAfterMs?: (tries: number) => number;
  /**
   * Pushes awaiting their reply, those the client holds while disconnected included; a publish
   * waits for room past it (and the broadcaster's queue takes the overflow). Default 1 000.
   */
  maxBuffered?: number;
  /** Connection and channel news. Must not throw. */
  onStatus?: (status: PhoenixStatus) => void;
}

/** A Phoenix Channels adapter, with counters for what it holds. */
export interface PhoenixAdapter extends PubSubAdapter {
  readonly name: "phoenix";
  /** Pushes awaiting a reply now, and the most there ever were. */
  stats(): { pending: number; maxPending: number; acknowledged: number };
}

interface TopicEntry {
  channel: Channel;
  handlers: Set<PubSubHandler>;
  joined: Promise<void>;
  refused: AsmError | null;
  /** Settles the promise of every push of this channel still waiting (used on refusal). */
  waiting: Set<(error: AsmError) => void>;
}

function positive(value: unknown, key: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !(value > 0)) throw new AsmError("config_invalid", `${key} must be a positive number`, { details: { key } });
  return value;
}

/**
 * Publishes and subscribes over Phoenix Channels with the official `phoenix` client (and `ws` as
 * its transport on Node). One socket per adapter carries every topic; channels join on first use
 * and rejoin after a reconnect. Delivery is at most once: a push lost with a connection is
 * reported (a `timeout` dispatch error), never resent.
 *
 * @example
 * ```ts
 * const adapter = await phoenixAdapter({ url: "ws://127.0.0.1:4000/socket", authToken: token });
 * const broadcaster = createBroadcaster({ adapter });
 * ```
 */
export async function phoenixAdapter(options: PhoenixAdapterOptions): Promise<PhoenixAdapter> {
  const url = checkEndpoint(options.url);
  if (options.authToken !== undefined) checkAuthToken(options.authToken);
  const timeoutMs = positive(options.timeoutMs, "timeoutMs", 10_000);
  const heartbeatIntervalMs = positive(options.heartbeatIntervalMs, "heartbeatIntervalMs", 30_000);
  const maxBuffered = positive(options.maxBuffered, "maxBuffered", 1_000);
  const eventName = options.event ?? "asm_event";
  const phoenix = await loadOptional("phoenix", "phoenix", () => import("phoenix"));
  const ws = await loadOptional("ws", "phoenix", () => import("ws"));
  const serializer = (phoenix as unknown as { Serializer: { decode(raw: unknown, callback: (decoded: unknown) => void): void } }).Serializer;
  const report = (status: PhoenixStatus) => {
    try {
      options.onStatus?.(status);
    } catch {
      // A status listener must not break the connection handling.
    }
  };

  const socket: Socket = new phoenix.Socket(url, {
    transport: ws.WebSocket,
    timeout: timeoutMs,
    heartbeatIntervalMs,
    ...(options.params === undefined ? {} : { params: options.params }),
    ...(options.authToken === undefined ? {} : { authToken: options.authToken }),
    ...(options.reconnectAfterMs ? { reconnectAfterMs: options.reconnectAfterMs } : {}),
    ...(options.rejoinAfterMs ? { rejoinAfterMs: options.rejoinAfterMs } : {}),
    // A frame that is not a v2 array would throw inside the transport and kill the process: drop it.
    decode: (raw: string, callback: (decoded: unknown) => void) => {
      try {
        serializer.decode(raw, callback);
      } catch {
        // Malformed frame: ignored.
      }
    },
  });

  const topics = new Map<string, TopicEntry>();
  let pending = 0;
  let maxPending = 0;
  let acknowledged = 0;
  let slotWaiters: (() => void)[] = [];
  let refusedConnection: AsmError | null = null;
  let closed = false;

  socket.onOpen(() => {
    refusedConnection = null;
    report({ type: "connected" });
  });
  socket.onClose((event: { code?: number; reason?: string }) => {
    report({ type: "disconnected", code: event.code ?? 1006, reason: event.reason ?? "" });
  });
  socket.onError((error: unknown) => {
    const message = error instanceof Error ? error.message : typeof error === "object" && error !== null && "message" in error ? String((error).message) : String(error);
    // Phoenix answers a refused connect (a bad token) with HTTP 403 before the upgrade.
    if (/\b403\b/.test(message)) {
      refusedConnection = new AsmError("auth_error", "the Phoenix server refused the connection (HTTP 403): check the token and socket params", { details: { adapter: "phoenix" } });
      for (const entry of topics.values()) for (const settle of entry.waiting) settle(refusedConnection);
    }
    report({ type: "connect_error", message });
  });
  socket.connect();

  function channelFor(topic: string): TopicEntry {
    const existing = topics.get(topic);
    if (existing && !existing.refused) return existing;
    const joinParams = options.joinParams;
    const channel = socket.channel(topic, typeof joinParams === "function" ? () => joinParams(topic) : (joinParams ?? {}));
    const handlers = new Set<PubSubHandler>();
    channel.on(eventName, (payload: unknown) => {
      for (const handler of handlers) {
        try {
          const returned = handler({ topic, payload: payload as PubSubPayload });
          if (returned instanceof Promise) returned.catch(() => undefined);
        } catch {
          // A subscriber's failure is its own.
        }
      }
    });
    channel.onError(() => report({ type: "channel_error", topic }));
    let joins = 0;
    const entry: TopicEntry = { channel, handlers, refused: null, waiting: new Set(), joined: Promise.resolve() };
    entry.joined = new Promise<void>((resolve, reject) => {
      channel
        .join()
        .receive("ok", () => {
          report({ type: "joined", topic, rejoin: joins++ > 0 });
          resolve();
        })
        .receive("error", (response?: { reason?: string }) => {
          const reason = typeof response?.reason === "string" ? response.reason : "join refused";
          const error = new AsmError(reason === "unauthorized" || reason === "forbidden" ? "auth_error" : "transport_error", `the Phoenix server refused to join ${topic}: ${reason}`, {
            details: { adapter: "phoenix", topic, reason },
          });
          entry.refused = error;
          // The client would retry a refused join forever; leaving stops it. A later publish or
          // subscribe on this topic tries a fresh channel.
          channel.leave();
          if (topics.get(topic) === entry) topics.delete(topic);
          for (const settle of entry.waiting) settle(error);
          report({ type: "join_refused", topic, reason });
          reject(error);
        });
    });
    // Whoever awaits `joined` sees the refusal; nobody awaiting is fine too.
    entry.joined.catch(() => undefined);
    topics.set(topic, entry);
    return entry;
  }

  async function slot(): Promise<void> {
    while (pending >= maxBuffered) await new Promise<void>((resolve) => slotWaiters.push(resolve));
  }

  function release(): void {
    pending--;
    const waiters = slotWaiters;
    slotWaiters = [];
    for (const wake of waiters) wake();
  }

  function push(message: PubSubMessage): Promise<void> {
    const entry = channelFor(message.topic);
    if (entry.refused) return Promise.reject(entry.refused);
    if (refusedConnection) return Promise.reject(refusedConnection);
    pending++;
    maxPending = Math.max(maxPending, pending);
    return new Promise<void>((resolve, reject) => {
      let settled = false;
      const settle = (error: AsmError | null) => {
        if (settled) return;
        settled = true;
        entry.waiting.delete(fail);
        release();
        if (error) reject(error);
        else resolve();
      };
      const fail = (error: AsmError) => settle(error);
      entry.waiting.add(fail);
      try {
        entry.channel
          .push(eventName, message.payload, timeoutMs)
          .receive("ok", () => {
            acknowledged++;
            settle(null);
          })
          .receive("error", (response?: { reason?: string }) =>
            settle(new AsmError("transport_error", `the Phoenix server rejected a push on ${message.topic}: ${response?.reason ?? "error"}`, { details: { adapter: "phoenix", topic: message.topic } })),
          )
          .receive("timeout", () =>
            settle(new AsmError("timeout", `no reply to a push on ${message.topic} within ${timeoutMs} ms (lost with the connection or unanswered)`, { details: { adapter: "phoenix", topic: message.topic } })),
          );
      } catch (error) {
        settle(AsmError.from(error, "transport_error", { details: { adapter: "phoenix", topic: message.topic } }));
      }
    });
  }

  return {
    name: "phoenix",
    async publish(batch) {
      if (closed) throw new AsmError("transport_error", "the Phoenix adapter is closed", { details: { adapter: "phoenix" } });
      const replies: Promise<void>[] = [];
      for (const message of batch) {
        // Checked here, once per payload: an unserializable payload the client buffers would throw later, uncaught.
        jsonSafe(message.payload);
        await slot();
        const reply = push(message);
        reply.catch(() => undefined);
        replies.push(reply);
      }
      const outcomes = await Promise.allSettled(replies);
      const failures = outcomes.filter((outcome): outcome is PromiseRejectedResult => outcome.status === "rejected");
      if (failures.length > 0) {
        const first = AsmError.from(failures[0]?.reason, "transport_error");
        throw new AsmError(first.code, `${failures.length} of ${batch.length} pushes failed: ${first.reason}`, { details: { ...first.details, failed: failures.length }, cause: first });
      }
    },
    async subscribe(topic, handler) {
      if (closed) throw new AsmError("transport_error", "the Phoenix adapter is closed", { details: { adapter: "phoenix" } });
      const entry = channelFor(topic);
      const wrapped: PubSubHandler = (message) => handler(message);
      entry.handlers.add(wrapped);
      try {
        await entry.joined;
      } catch (error) {
        entry.handlers.delete(wrapped);
        throw error;
      }
      const subscription: PubSubSubscription = {
        topic,
        unsubscribe() {
          entry.handlers.delete(wrapped);
          return Promise.resolve();
        },
      };
      return subscription;
    },
    stats() {
      return { pending, maxPending, acknowledged };
    },
    close() {
      if (closed) return Promise.resolve();
      closed = true;
      for (const entry of topics.values()) entry.channel.leave();
      topics.clear();
      return new Promise<void>((resolve) => socket.disconnect(() => resolve(), 1000, "closed"));
    },
  };
}
