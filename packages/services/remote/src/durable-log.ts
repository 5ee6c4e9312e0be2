import { DiscardPolicy, jetstream, jetstreamManager, RetentionPolicy, StorageType, type JetStreamClient } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";

/** The JetStream stream that holds durable runs' events. */
export const RUNS_STREAM = "ASM_RUNS";

/** Creates the runs stream when it is missing (limits retention: a day, 512 MiB, de-duplication over 2 minutes). */
export async function ensureRunsStream(nc: NatsConnection): Promise<void> {
  const manager = await jetstreamManager(nc);
  try {
    await manager.streams.info(RUNS_STREAM);
  } catch {
    await manager.streams.add({
      name: RUNS_STREAM,
      subjects: ["asm.node.*.run.*.events"],
      storage: StorageType.File,
      retention: RetentionPolicy.Limits,
      discard: DiscardPolicy.Old,
      max_age: 24 * 60 * 60 * 1e9,
      max_bytes: 512 * 1024 * 1024,
      duplicate_window: 2 * 60 * 1e9,
    });
  }
}

/**
 * An ordered, acknowledged outbox for one run's events: each is published through JetStream with
 * `msgID = <runId>:<seq>` and retried until the server acknowledges it, so a server restart
 * loses nothing (a plain publish made while disconnected is dropped by the client) and a retry
 * is never stored twice.
 */
export class DurableOutbox {
  private readonly js: JetStreamClient;
  private readonly queue: Array<{ subject: string; data: Uint8Array; id: string }> = [];
  private pumping: Promise<void> | null = null;
  private closed = false;

  constructor(nc: NatsConnection) {
    this.js = jetstream(nc);
  }

  /** Queues one event. */
  push(subject: string, data: Uint8Array, id: string): void {
    this.queue.push({ subject, data, id });
    this.pumping ??= this.pump().finally(() => (this.pumping = null));
  }

  /** Resolves once every queued event is acknowledged (or the outbox was abandoned). */
  async drained(): Promise<void> {
    while (this.pumping !== null) await this.pumping;
  }

  /** Gives up on what is still queued (the node is going away for good). */
  abandon(): void {
    this.closed = true;
  }

  private async pump(): Promise<void> {
    while (this.queue.length > 0 && !this.closed) {
      const next = this.queue[0]!;
      try {
        await this.js.publish(next.subject, next.data, { msgID: next.id, timeout: 2_000 });
        this.queue.shift();
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  }
}
