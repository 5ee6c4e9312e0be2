import { AsmError, type AsmEvent } from "@asm/contract";
import type { PubSubAdapter, PubSubMessage } from "./adapter.js";
import { Deque } from "./internal/deque.js";
import { payloadForEvent, type PubSubPayload } from "./payload.js";
import { PUBSUB_TELEMETRY_CHANNELS, publishTelemetry } from "./telemetry.js";
import { checkPrefix, checkScopes, topicsForEvent, type TopicOptions } from "./topics.js";

/** Which event goes when the queue is full: the oldest queued one, or the one arriving. */
export type OverflowPolicy = "drop_oldest" | "drop_newest";

/** Per-publish overrides of the broadcaster's topic and source settings. */
export interface PublishOverrides extends TopicOptions {
  /** `meta.source` of the payload; default the broadcaster's `source`. */
  source?: string;
}

/** What the broadcaster reports when it drops an event. */
export interface DropInfo {
  event: AsmEvent;
  reason: OverflowPolicy | "closed";
  /** Drops so far, this one included. */
  dropped: number;
}

/** What the broadcaster reports when a dispatch fails (those events are lost, not retried). */
export interface DispatchErrorInfo {
  error: AsmError;
  events: readonly AsmEvent[];
  topics: readonly string[];
}

/** Builds a payload; the default is {@link payloadForEvent}. */
export type PayloadBuilder = (event: AsmEvent, topics: string[], source: string) => PubSubPayload;

/** Options of {@link createBroadcaster}. */
export interface BroadcasterOptions extends TopicOptions {
  adapter: PubSubAdapter;
  /** Events queued, the dispatch in flight included; default 2048. */
  maxQueueSize?: number;
  /** Default `drop_oldest`. */
  overflow?: OverflowPolicy;
  /** Most events handed to the adapter in one dispatch; default 256. */
  maxBatch?: number;
  /** `meta.source` of payloads; default `pipeline`. */
  source?: string;
  payloadBuilder?: PayloadBuilder;
  /** Called for each dropped event (also published on `asm:pubsub:drop`). Must not throw. */
  onDrop?: (info: DropInfo) => void;
  /** Called for each failed dispatch (also published on `asm:pubsub:error`). Must not throw. */
  onError?: (info: DispatchErrorInfo) => void;
}

/** Counters since the broadcaster started. */
export interface BroadcasterStats {
  /** Events handed to the adapter successfully. */
  published: number;
  dropped: number;
  /** Events lost to failed dispatches. */
  failed: number;
  /** Failed dispatches. */
  errors: number;
  /** Events waiting or in flight now. */
  queued: number;
}

/**
 * Publishes events to an adapter without ever making the publisher wait: `publish` only enqueues,
 * one dispatch at a time drains the queue in batches, and a full queue drops by its policy.
 */
export interface Broadcaster {
  readonly adapter: PubSubAdapter;
  /** Enqueues one event; false when it was dropped (full with `drop_newest`, or closed). Never throws for a full queue. */
  publish(event: AsmEvent, overrides?: PublishOverrides): boolean;
  /** Resolves true once everything enqueued so far was dispatched, or false after `timeoutMs`. */
  flush(timeoutMs?: number): Promise<boolean>;
  /** Stops accepting events, flushes (up to `timeoutMs`, default 5 000) and closes the adapter. */
  close(timeoutMs?: number): Promise<void>;
  stats(): BroadcasterStats;
  /** The last dispatch error, if any. */
  readonly lastError: AsmError | null;
}

interface Entry {
  event: AsmEvent;
  topics: string[];
  source: string;
}

function positiveInt(value: unknown, key: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1) {
    throw new AsmError("config_invalid", `${key} must be a positive integer`, { details: { key } });
  }
  return value;
}

function safely(callback: (() => void) | undefined): void {
  try {
    callback?.();
  } catch {
    // A reporting callback must not take the broadcaster down with it.
  }
}

/**
 * Creates a broadcaster over an adapter.
 *
 * @example
 * ```ts
 * const broadcaster = createBroadcaster({ adapter: localBus(), maxQueueSize: 1024, overflow: "drop_oldest" });
 * for await (const event of session.stream("hi")) broadcaster.publish(event);
 * await broadcaster.flush();
 * ```
 */
export function createBroadcaster(options: BroadcasterOptions): Broadcaster {
  const adapter = options.adapter;
  if (typeof adapter !== "object" || adapter === null || typeof adapter.publish !== "function") {
    throw new AsmError("config_invalid", "createBroadcaster needs an adapter ({ name, publish, subscribe, close })", { details: { key: "adapter" } });
  }
  const maxQueueSize = positiveInt(options.maxQueueSize, "maxQueueSize", 2048);
  const maxBatch = positiveInt(options.maxBatch, "maxBatch", 256);
  const overflow = options.overflow ?? "drop_oldest";
  if (overflow !== "drop_oldest" && overflow !== "drop_newest") {
    throw new AsmError("config_invalid", 'overflow must be "drop_oldest" or "drop_newest"', { details: { key: "overflow" } });
  }
  const defaults: TopicOptions = { prefix: checkPrefix(options.prefix ?? "asm"), scopes: checkScopes(options.scopes) };
  const defaultSource = options.source ?? "pipeline";
  const build: PayloadBuilder = options.payloadBuilder ?? ((event, topics, source) => payloadForEvent(event, topics, source));

  const queue = new Deque<Entry>();
  let inFlight = 0;
  let pumping = false;
  let closed = false;
  let lastError: AsmError | null = null;
  const stats = { published: 0, dropped: 0, failed: 0, errors: 0 };
  let idleWaiters: (() => void)[] = [];

  function drop(event: AsmEvent, reason: DropInfo["reason"]): void {
    stats.dropped++;
    const info: DropInfo = { event, reason, dropped: stats.dropped };
    publishTelemetry(PUBSUB_TELEMETRY_CHANNELS.drop, {
      adapter: adapter.name,
      eventId: event.id,
      eventKind: event.kind,
      runId: event.runId,
      sessionId: event.sessionId,
      reason,
      dropped: stats.dropped,
    });
    safely(options.onDrop && (() => options.onDrop?.(info)));
  }

  function fail(error: unknown, events: readonly AsmEvent[], topics: readonly string[]): void {
    const asmError = AsmError.from(error, "transport_error", { details: { adapter: adapter.name } });
    lastError = asmError;
    stats.errors++;
    stats.failed += events.length;
    publishTelemetry(PUBSUB_TELEMETRY_CHANNELS.error, {
      adapter: adapter.name,
      code: asmError.code,
      message: asmError.reason,
      events: events.length,
      topics: [...new Set(topics)],
    });
    safely(options.onError && (() => options.onError?.({ error: asmError, events, topics })));
  }

  async function dispatch(batch: Entry[]): Promise<void> {
    const messages: PubSubMessage[] = [];
    const sent: AsmEvent[] = [];
    for (const entry of batch) {
      try {
        const payload = build(entry.event, entry.topics, entry.source);
        for (const topic of entry.topics) messages.push({ topic, payload });
        sent.push(entry.event);
      } catch (error) {
        fail(error, [entry.event], entry.topics);
      }
    }
    if (messages.length === 0) return;
    try {
      await adapter.publish(messages);
      stats.published += sent.length;
    } catch (error) {
      fail(error, sent, messages.map((message) => message.topic));
    }
  }

  async function pump(): Promise<void> {
    try {
      while (queue.length > 0) {
        const batch = queue.take(maxBatch);
        inFlight = batch.length;
        await dispatch(batch);
        inFlight = 0;
      }
    } finally {
      inFlight = 0;
      pumping = false;
      const waiters = idleWaiters;
      idleWaiters = [];
      for (const wake of waiters) wake();
    }
  }

  function schedule(): void {
    if (pumping) return;
    pumping = true;
    // Start on the next turn so events enqueued back to back travel in one batch.
    setImmediate(() => void pump());
  }

  return {
    adapter,
    get lastError() {
      return lastError;
    },
    publish(event, overrides) {
      if (closed) {
        drop(event, "closed");
        return false;
      }
      const topicOptions: TopicOptions = overrides ? { prefix: overrides.prefix ?? defaults.prefix, scopes: overrides.scopes ?? defaults.scopes } : defaults;
      const entry: Entry = { event, topics: topicsForEvent(event, topicOptions), source: overrides?.source ?? defaultSource };
      if (queue.length + inFlight >= maxQueueSize) {
        if (overflow === "drop_newest" || queue.length === 0) {
          // Nothing queued to give up (the bound is all in flight): the new event goes.
          drop(event, overflow);
          return false;
        }
        const oldest = queue.shift();
        if (oldest) drop(oldest.event, overflow);
      }
      queue.push(entry);
      schedule();
      return true;
    },
    flush(timeoutMs) {
      if (!pumping && queue.length === 0) return Promise.resolve(true);
      return new Promise<boolean>((resolve) => {
        let timer: NodeJS.Timeout | undefined;
        const wake = () => {
          if (queue.length > 0 && !pumping) schedule();
          if (queue.length > 0 || pumping) {
            idleWaiters.push(wake);
            return;
          }
          if (timer) clearTimeout(timer);
          resolve(true);
        };
        idleWaiters.push(wake);
        if (timeoutMs !== undefined) {
          timer = setTimeout(() => {
            idleWaiters = idleWaiters.filter((waiter) => waiter !== wake);
            resolve(false);
          }, timeoutMs);
          timer.unref();
        }
      });
    },
    async close(timeoutMs = 5_000) {
      if (closed) return;
      closed = true;
      const flushed = await this.flush(timeoutMs);
      if (!flushed) for (const entry of queue.clear()) drop(entry.event, "closed");
      await adapter.close();
    },
    stats() {
      return { ...stats, queued: queue.length + inFlight };
    },
  };
}
