import type { AsmEvent } from "@asm/contract";

/** The schema tag every published payload carries. */
export const PUBSUB_SCHEMA = "asm.pubsub.event.v1";

/** What a published payload says about its event, so a subscriber can route without parsing it. */
export interface PubSubMeta {
  eventId: string;
  eventKind: AsmEvent["kind"];
  sessionId: string;
  runId: string;
  provider: string;
  /** ISO-8601 time the payload was built. */
  publishedAt: string;
  /** Who published it: `pipeline` for the plug, or what the publisher says. */
  source: string;
  /** Every topic this event is published on. */
  topics: string[];
}

/** The message body on every topic: `{ schema, event, meta }`. */
export interface PubSubPayload {
  schema: typeof PUBSUB_SCHEMA;
  /** The event exactly as the run delivered it (the same ids `asm run --json` prints). */
  event: AsmEvent;
  meta: PubSubMeta;
}

/** Builds the payload of one event; the broadcaster's default payload builder. */
export function payloadForEvent(event: AsmEvent, topics: string[], source = "pipeline", now: Date = new Date()): PubSubPayload {
  return {
    schema: PUBSUB_SCHEMA,
    event,
    meta: {
      eventId: event.id,
      eventKind: event.kind,
      sessionId: event.sessionId,
      runId: event.runId,
      provider: event.provider,
      publishedAt: now.toISOString(),
      source,
      topics,
    },
  };
}

/** True when `value` looks like a payload this package publishes. */
export function isPubSubPayload(value: unknown): value is PubSubPayload {
  if (typeof value !== "object" || value === null) return false;
  const candidate = value as Partial<PubSubPayload>;
  return candidate.schema === PUBSUB_SCHEMA && typeof candidate.event === "object" && candidate.event !== null && typeof candidate.meta === "object";
}
