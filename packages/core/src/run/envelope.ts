import { PROTECTED_METADATA_KEYS, createEvent, type AsmEvent, type BackendEvent } from "@asm/contract";

const PROTECTED = new Set<string>(PROTECTED_METADATA_KEYS);

/**
 * Merges event metadata into run metadata. Run metadata wins for the protected lane/backend keys:
 * a backend or plug may add keys but cannot relabel the lane a run ran on.
 */
function mergeProtectedMetadata(runMetadata: Record<string, unknown>, eventMetadata: Record<string, unknown> | undefined): Record<string, unknown> {
  // Most events add nothing: they share the run's (frozen) metadata object instead of a copy each.
  if (!eventMetadata || Object.keys(eventMetadata).length === 0) return Object.isFrozen(runMetadata) ? runMetadata : { ...runMetadata };
  const merged: Record<string, unknown> = { ...runMetadata };
  for (const [key, value] of Object.entries(eventMetadata)) {
    if (PROTECTED.has(key) && key in runMetadata) continue;
    merged[key] = value;
  }
  return merged;
}

/** The run-scoped fields stamped onto every event. */
export interface EnvelopeScope {
  runId: string;
  sessionId: string;
  provider: string;
  metadata: Record<string, unknown>;
  providerSessionId: string | null;
}

/** Wraps a backend event into the envelope. */
export function wrapEvent(
  scope: EnvelopeScope,
  event: BackendEvent,
  sequence: number,
  links: { correlationId?: string | null; causationId?: string | null } = {},
): AsmEvent {
  return createEvent({
    kind: event.kind,
    payload: event.payload,
    runId: scope.runId,
    sessionId: scope.sessionId,
    provider: scope.provider,
    sequence,
    providerSessionId: event.providerSessionId ?? scope.providerSessionId,
    correlationId: links.correlationId ?? null,
    causationId: links.causationId ?? null,
    metadata: mergeProtectedMetadata(scope.metadata, event.metadata),
    raw: event.raw,
  }) as AsmEvent;
}
