import { z } from "zod";
import { AsmError } from "./asm-error.js";
import { EVENT_KINDS, type EventKind } from "./event-kinds.js";
import { PAYLOAD_FAST_PATHS } from "./payload-fast-paths.js";
import { payloadSchemas, type PayloadInputOf, type PayloadOf } from "./payloads.js";
import { isNativeLine, type NativeLine } from "./native-line.js";
import { ulid } from "./ulid.js";

/** The envelope every event travels in, whatever its provider or lane. */
export interface AsmEventOf<K extends EventKind> {
  /** ULID; unique and time-ordered. */
  id: string;
  /** The run this event belongs to. */
  runId: string;
  /** The ASM session this run belongs to. */
  sessionId: string;
  /** Provider name (`claude`, `codex`, …). */
  provider: string;
  /** What happened. */
  kind: K;
  /** Kind-specific data. */
  payload: PayloadOf<K>;
  /** Monotonic per run, starting at 0. */
  sequence: number;
  /** The provider's own session/thread id, once known. */
  providerSessionId: string | null;
  /** Groups related events (an approval request and its resolution share one). */
  correlationId: string | null;
  /** The id of the event that caused this one (an injected cost update points at its result). */
  causationId: string | null;
  /** ISO-8601 time the event was wrapped. */
  timestamp: string;
  /** Run metadata (lane fields are protected and always present) plus event-specific keys. */
  metadata: Record<string, unknown>;
  /** The provider-native line or object this event came from, kept verbatim. */
  raw: unknown;
  /** Envelope fields ASM does not model, preserved. */
  extra: Record<string, unknown>;
}

/** Any ASM event; narrow on `kind` to get the payload type. */
export type AsmEvent = { [K in EventKind]: AsmEventOf<K> }[EventKind];

/**
 * What a backend emits: a kind and payload, before the kernel adds the envelope (ids, sequence,
 * timestamps, metadata).
 */
export type BackendEvent = {
  [K in EventKind]: {
    kind: K;
    payload: PayloadInputOf<K>;
    /** Provider session id carried by this event, if any. */
    providerSessionId?: string;
    /**
     * Provider-native source line/object. A {@link NativeLine} is the line kept as text: the
     * envelope exposes its parsed value as the event's `raw`.
     */
    raw?: unknown;
    /** Event-specific metadata (cannot override protected lane keys). */
    metadata?: Record<string, unknown>;
  };
}[EventKind];

/** Builds a typed {@link BackendEvent}; payload defaults are applied by the kernel on wrap. */
export function backendEvent<K extends EventKind>(
  kind: K,
  payload: PayloadInputOf<K>,
  extras: { providerSessionId?: string; raw?: unknown; metadata?: Record<string, unknown> } = {},
): Extract<BackendEvent, { kind: K }> {
  return { kind, payload, ...extras } as Extract<BackendEvent, { kind: K }>;
}

const envelopeSchema = z.object({
  id: z.string().min(1),
  runId: z.string().min(1),
  sessionId: z.string().min(1),
  provider: z.string().min(1),
  kind: z.enum(EVENT_KINDS),
  payload: z.unknown(),
  sequence: z.number().int().nonnegative(),
  providerSessionId: z.string().nullable().default(null),
  correlationId: z.string().nullable().default(null),
  causationId: z.string().nullable().default(null),
  timestamp: z.iso.datetime({ offset: true }),
  metadata: z.record(z.string(), z.unknown()).default({}),
  raw: z.unknown().optional(),
  extra: z.record(z.string(), z.unknown()).default({}),
});

const ENVELOPE_KEYS = new Set(Object.keys(envelopeSchema.shape));

// Formatting a timestamp costs more than the rest of the envelope; events arrive many per
// millisecond, so the string is reused within one millisecond.
let lastStampMs = -1;
let lastStamp = "";
function nowIso(): string {
  const ms = Date.now();
  if (ms !== lastStampMs) {
    lastStampMs = ms;
    lastStamp = new Date(ms).toISOString();
  }
  return lastStamp;
}

/** Fields needed to build an event with {@link createEvent}. */
export interface CreateEventInput<K extends EventKind> {
  kind: K;
  payload: PayloadInputOf<K>;
  runId: string;
  sessionId: string;
  provider: string;
  sequence?: number;
  id?: string;
  providerSessionId?: string | null;
  correlationId?: string | null;
  causationId?: string | null;
  timestamp?: string;
  metadata?: Record<string, unknown>;
  raw?: unknown;
  extra?: Record<string, unknown>;
}

/**
 * Builds a validated event, applying payload defaults. Throws `AsmError("parse_error")` when the
 * payload does not match the kind's schema.
 */
export function createEvent<K extends EventKind>(input: CreateEventInput<K>): AsmEventOf<K> {
  return envelope(input, validPayload(input.kind, input.payload));
}

// The kind's schema decides; the hottest kinds are checked by hand first (same verdict, same
// output, without the schema's generic walk), and anything the hand check is unsure of goes on to
// the schema.
function validPayload<K extends EventKind>(kind: K, given: unknown): PayloadOf<K> {
  const fast = PAYLOAD_FAST_PATHS[kind]?.(given);
  if (fast !== undefined) return fast as PayloadOf<K>;
  const payload = payloadSchemas[kind].safeParse(given);
  if (!payload.success) {
    throw new AsmError("parse_error", `invalid ${kind} payload: ${z.prettifyError(payload.error)}`, {
      details: { kind },
    });
  }
  return payload.data as PayloadOf<K>;
}

function envelope<K extends EventKind>(input: CreateEventInput<K>, payload: PayloadOf<K>): AsmEventOf<K> {
  if (isNativeLine(input.raw)) return withLazyRaw(input, payload, input.raw);
  return {
    id: input.id ?? ulid(),
    runId: input.runId,
    sessionId: input.sessionId,
    provider: input.provider,
    kind: input.kind,
    payload,
    sequence: input.sequence ?? 0,
    providerSessionId: input.providerSessionId ?? null,
    correlationId: input.correlationId ?? null,
    causationId: input.causationId ?? null,
    timestamp: input.timestamp ?? nowIso(),
    metadata: input.metadata ?? {},
    raw: input.raw,
    extra: input.extra ?? {},
  };
}

// The same envelope, whose `raw` is the line's parsed value, parsed on first read. The field is an
// own, enumerable accessor, so spreading, JSON.stringify and structuredClone read it as a plain
// field; assigning replaces it with a plain field. Its functions are shared by every such event
// (the line lives in a private field), which keeps building one cheap.
class LazyRawEnvelope {
  static readonly #rawField: PropertyDescriptor = {
    get(this: LazyRawEnvelope): unknown {
      return this.#line.value;
    },
    set(this: LazyRawEnvelope, value: unknown) {
      Object.defineProperty(this, "raw", { value, writable: true, enumerable: true, configurable: true });
    },
    enumerable: true,
    configurable: true,
  };

  readonly #line: NativeLine;

  // Printed (console.log, util.inspect) as a plain event with its parsed raw, not as an accessor.
  [Symbol.for("nodejs.util.inspect.custom")](): Record<string, unknown> {
    return { ...(this as unknown as Record<string, unknown>) };
  }

  // The fields of `envelope()`, in its order (the native line tests compare the two events' keys);
  // `envelope()` keeps its object literal, which is faster to build than fields assigned one by one.
  constructor(input: CreateEventInput<EventKind>, payload: unknown, line: NativeLine) {
    const fields = this as unknown as Record<string, unknown>;
    fields["id"] = input.id ?? ulid();
    fields["runId"] = input.runId;
    fields["sessionId"] = input.sessionId;
    fields["provider"] = input.provider;
    fields["kind"] = input.kind;
    fields["payload"] = payload;
    fields["sequence"] = input.sequence ?? 0;
    fields["providerSessionId"] = input.providerSessionId ?? null;
    fields["correlationId"] = input.correlationId ?? null;
    fields["causationId"] = input.causationId ?? null;
    fields["timestamp"] = input.timestamp ?? nowIso();
    fields["metadata"] = input.metadata ?? {};
    this.#line = line;
    Object.defineProperty(this, "raw", LazyRawEnvelope.#rawField);
    fields["extra"] = input.extra ?? {};
  }
}

function withLazyRaw<K extends EventKind>(input: CreateEventInput<K>, payload: PayloadOf<K>, line: NativeLine): AsmEventOf<K> {
  return new LazyRawEnvelope(input, payload, line) as unknown as AsmEventOf<K>;
}

/**
 * Parses an event from untrusted JSON (a store, a socket). Unknown envelope fields land in
 * `extra`. Throws `AsmError("parse_error")` with the reason on invalid input.
 */
export function parseEvent(value: unknown): AsmEvent {
  if (typeof value !== "object" || value === null) {
    throw new AsmError("parse_error", "event must be an object");
  }
  const envelope = envelopeSchema.safeParse(value);
  if (!envelope.success) {
    throw new AsmError("parse_error", `invalid event envelope: ${z.prettifyError(envelope.error)}`);
  }
  const extra: Record<string, unknown> = { ...envelope.data.extra };
  for (const [key, field] of Object.entries(value)) if (!ENVELOPE_KEYS.has(key)) extra[key] = field;
  const { kind } = envelope.data;
  return createEvent({ ...envelope.data, kind, payload: envelope.data.payload as never, extra }) as AsmEvent;
}

/** True for an `error` event whose severity ends the run. */
export function isTerminalError(event: { kind: string; payload: unknown }): boolean {
  if (event.kind !== "error") return false;
  const severity = (event.payload as { severity?: string }).severity ?? "error";
  return severity === "error" || severity === "fatal";
}

/** True for an event that settles a run's outcome: `result`, or an `error` of severity error/fatal. */
export function isOutcomeEvent(event: { kind: string; payload: unknown }): boolean {
  return event.kind === "result" || isTerminalError(event);
}
