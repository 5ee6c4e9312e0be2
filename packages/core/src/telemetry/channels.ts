import diagnosticsChannel from "node:diagnostics_channel";

/**
 * Public `node:diagnostics_channel` names ASM publishes on. Subscribe with
 * `diagnostics_channel.subscribe(TELEMETRY_CHANNELS.runCompleted, (message) => …)`. Messages are
 * plain objects; their fields are listed per channel.
 */
export const TELEMETRY_CHANNELS = {
  /** `{ runId, sessionId, provider, lane }` when a run's backend starts. */
  runStarted: "asm:run:started",
  /** `{ runId, sessionId, provider, lane, status, durationMs }` when a run completes successfully. */
  runCompleted: "asm:run:completed",
  /** `{ runId, sessionId, provider, lane, status, code, message, durationMs }` when a run fails or is interrupted. */
  runFailed: "asm:run:failed",
  /** `{ runId, sessionId, approvalId, subject }` when an approval is requested. */
  approvalRequested: "asm:approval:requested",
  /** `{ runId, sessionId, approvalId, decision, reason }` when an approval is resolved (or times out). */
  approvalResolved: "asm:approval:resolved",
  /** `{ runId, sessionId, queued }` when a run is interrupted. */
  runInterrupted: "asm:run:interrupted",
} as const;

/** One of the telemetry channel names. */
export type TelemetryChannelName = (typeof TELEMETRY_CHANNELS)[keyof typeof TELEMETRY_CHANNELS];

/** Publishes `message` when someone listens on `name`. */
export function publish(name: TelemetryChannelName, message: Record<string, unknown>): void {
  const channel = diagnosticsChannel.channel(name);
  if (channel.hasSubscribers) channel.publish(message);
}
