import { PROTECTED_METADATA_KEYS, type AsmEvent } from "@asm/contract";
import type { EnvelopeScope } from "../run/envelope.js";

/** The fields of a wrapped event only the run may set, read before any plug sees the event. */
export interface ProtectedStamp {
  id: string;
  sequence: number;
  /** The protected metadata entries the event carried (the run's lane fields, or a backend's where the run has none). */
  metadata: Record<string, unknown>;
  /**
   * The event's metadata object itself when it is frozen (the run's shared metadata, which most
   * events carry): it cannot have changed, so an event still holding it needs no repair.
   */
  frozenMetadata: Readonly<Record<string, unknown>> | undefined;
}

/** Takes the stamp of an event the run just wrapped. */
export function stampOf(event: AsmEvent): ProtectedStamp {
  if (Object.isFrozen(event.metadata)) return { id: event.id, sequence: event.sequence, metadata: event.metadata, frozenMetadata: event.metadata };
  const metadata: Record<string, unknown> = {};
  for (const key of PROTECTED_METADATA_KEYS) if (Object.hasOwn(event.metadata, key)) metadata[key] = event.metadata[key];
  return { id: event.id, sequence: event.sequence, metadata, frozenMetadata: undefined };
}

/**
 * What a plug returned, with the fields only the run may set put back: `id`, `runId`,
 * `sessionId`, `provider` and `sequence`, and the protected lane metadata (`lane`, `backend`, …),
 * as they were when the run wrapped the event. A plug may change the payload, add metadata or
 * replace the event's kind, but not relabel where or in which order it happened — whether it
 * returned a new object or mutated the one it was given.
 */
export function reprotect(output: AsmEvent, scope: EnvelopeScope, stamp: ProtectedStamp): AsmEvent {
  // The common case, a plug that passed the event on: every protected field is as stamped, so the
  // event is its own repair (no copy per event).
  if (
    stamp.frozenMetadata !== undefined &&
    output.metadata === stamp.frozenMetadata &&
    output.id === stamp.id &&
    output.sequence === stamp.sequence &&
    output.runId === scope.runId &&
    output.sessionId === scope.sessionId &&
    output.provider === scope.provider
  ) {
    return output;
  }
  const metadata: Record<string, unknown> = { ...output.metadata };
  for (const key of PROTECTED_METADATA_KEYS) {
    if (Object.hasOwn(stamp.metadata, key)) metadata[key] = stamp.metadata[key];
    else delete metadata[key];
  }
  return {
    ...output,
    id: stamp.id,
    runId: scope.runId,
    sessionId: scope.sessionId,
    provider: scope.provider,
    sequence: stamp.sequence,
    metadata,
  };
}
