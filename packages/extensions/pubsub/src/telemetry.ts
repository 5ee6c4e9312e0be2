import diagnosticsChannel from "node:diagnostics_channel";

/**
 * `node:diagnostics_channel` names the broadcaster publishes on. Messages are plain objects.
 */
export const PUBSUB_TELEMETRY_CHANNELS = {
  /** `{ adapter, eventId, eventKind, runId, sessionId, reason, dropped }` when the bounded queue drops an event. */
  drop: "asm:pubsub:drop",
  /** `{ adapter, code, message, events, topics }` when a dispatch to the adapter fails. */
  error: "asm:pubsub:error",
} as const;

export function publishTelemetry(name: (typeof PUBSUB_TELEMETRY_CHANNELS)[keyof typeof PUBSUB_TELEMETRY_CHANNELS], message: Record<string, unknown>): void {
  const channel = diagnosticsChannel.channel(name);
  if (channel.hasSubscribers) channel.publish(message);
}
