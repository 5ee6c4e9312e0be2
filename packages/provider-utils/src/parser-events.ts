import type { BackendEvent, EventKind, PayloadInputOf } from "@asm/contract";
import { boundRaw, boundText, DEFAULT_RAW_LIMITS, type RawLimits, type RawTruncation } from "./bounded-raw.js";
import { MAX_DRIFT_KEYS, MAX_TYPE_NAME_CHARS } from "./schema-drift.js";

/**
 * Limits of an event's payload. Its text is the agent's own output and is kept whole; only the
 * nesting that native values bring in (tool inputs, structured output, error details) is cut, so
 * every consumer that walks an event recursively stays within the stack.
 */
const PAYLOAD_LIMITS: Readonly<RawLimits> = Object.freeze({
  maxDepth: 64,
  maxEntries: 100_000,
  maxNodes: 1_000_000,
  maxChars: 256 * 1024 * 1024,
});

/** What {@link createParserEvents} is given. */
export interface ParserEventsOptions {
  /** The provider session id known so far; every event is stamped with it. */
  sessionId?: () => string | undefined;
  /** Limits of what is kept as `raw` (defaults: `DEFAULT_RAW_LIMITS`). */
  rawLimits?: Partial<RawLimits>;
  /** How many distinct drift keys get their one warning (default `MAX_DRIFT_KEYS`); later ones stay raw only. */
  maxDriftKeys?: number;
}

/** Builds one parser's events: stamped with the session id, `raw` bounded, drift warned once. */
export interface ParserEvents {
  /**
   * An event with `raw` (bounded) and the session id; `metadata` is added when given. A payload
   * beyond {@link PAYLOAD_LIMITS} (native values nested deeper than 64 levels) is copied with the
   * excess cut, and `metadata.payloadTruncated` says what was cut.
   */
  event<K extends EventKind>(kind: K, payload: PayloadInputOf<K>, raw?: unknown, metadata?: Record<string, unknown>): BackendEvent;
  /** A `raw` event carrying `value` (bounded) as its content and its raw. */
  raw(value: unknown, metadata?: Record<string, unknown>): BackendEvent;
  /**
   * A `raw` event for a line of a type the parser does not know, marked `metadata.unknownType`:
   * the runtime then raises one `schema_drift` warning per type and run.
   */
  unknownType(type: string, value: unknown): BackendEvent;
  /**
   * A known line whose shape is not the expected one: `raw`, plus one `schema_drift` warning the
   * first time `key` is seen.
   */
  drift(key: string, message: string, value: unknown, details?: Record<string, unknown>): BackendEvent[];
  /** The non-terminal `parse_error` for a stdout line that is not JSON. */
  parseError(cliName: string, text: string): BackendEvent;
}

/**
 * The event builder of one parser run.
 *
 * @example
 * ```ts
 * let sessionId: string | undefined;
 * const events = createParserEvents({ sessionId: () => sessionId });
 * events.event("assistant_delta", { content: "hi" }, line);
 * ```
 */
export function createParserEvents(options: ParserEventsOptions = {}): ParserEvents {
  const limits: RawLimits = { ...DEFAULT_RAW_LIMITS, ...options.rawLimits };
  const maxDriftKeys = options.maxDriftKeys ?? MAX_DRIFT_KEYS;
  const driftSeen = new Set<string>();
  // Several events often share one line as their raw: bound it once.
  let lastInput: unknown = undefined;
  let lastBounded: { value: unknown; truncation: RawTruncation | undefined } = { value: undefined, truncation: undefined };

  function bound(value: unknown): { value: unknown; truncation: RawTruncation | undefined } {
    if (value !== lastInput || lastInput === undefined) {
      lastInput = value;
      lastBounded = boundRaw(value, limits);
    }
    return lastBounded;
  }

  // The event object is built in one place, fields assigned only when present (no spread of
  // temporary objects: this runs for every event of every run).
  function make(kind: EventKind, payload: unknown, raw: unknown, metadata: Record<string, unknown> | undefined): BackendEvent {
    const event: { kind: EventKind; payload: unknown; providerSessionId?: string; raw?: unknown; metadata?: Record<string, unknown> } = { kind, payload };
    const sessionId = options.sessionId?.();
    if (sessionId !== undefined) event.providerSessionId = sessionId;
    let meta = metadata;
    if (raw !== undefined) {
      const bounded = bound(raw);
      event.raw = bounded.value;
      if (bounded.truncation !== undefined) meta = { ...metadata, rawTruncated: bounded.truncation };
    }
    if (meta !== undefined) event.metadata = meta;
    return event as BackendEvent;
  }

  const events: ParserEvents = {
    event(kind, payload, raw, metadata) {
      const bounded = boundRaw(payload, PAYLOAD_LIMITS);
      if (bounded.truncation === undefined) return make(kind, payload, raw, metadata);
      return make(kind, bounded.value, raw, { ...metadata, payloadTruncated: bounded.truncation });
    },
    raw(value, metadata) {
      return make("raw", { stream: "stdout", content: bound(value).value }, value, metadata);
    },
    unknownType(type, value) {
      return events.raw(value, { unknownType: boundText(type, MAX_TYPE_NAME_CHARS) });
    },
    drift(key, message, value, details = {}) {
      const out = [events.raw(value)];
      const shortKey = boundText(key, MAX_TYPE_NAME_CHARS);
      if (!driftSeen.has(shortKey) && driftSeen.size < maxDriftKeys) {
        driftSeen.add(shortKey);
        out.push(events.event("warning", { code: "schema_drift", message: boundText(message, 1000), details }, value));
      }
      return out;
    },
    parseError(cliName, text) {
      const line = boundText(text, limits.maxChars);
      return events.event("error", { message: `${cliName} printed a line that is not JSON`, code: "parse_error", severity: "warning", details: { line } }, text);
    },
  };
  return events;
}
