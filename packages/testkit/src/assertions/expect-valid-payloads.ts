import { payloadSchemas, type BackendEvent } from "@asm/contract";
import { expect } from "vitest";

/**
 * Asserts that every event's payload satisfies its kind's contract schema and that every event
 * serialises with `JSON.stringify`, naming the first event that does not.
 *
 * @example
 * ```ts
 * expectValidPayloads(feedTranscript(createClaudeParser(context), transcript));
 * ```
 */
export function expectValidPayloads(events: readonly BackendEvent[]): void {
  events.forEach((event, index) => {
    const parsed = payloadSchemas[event.kind].safeParse(event.payload);
    expect(parsed.success, `event ${index} (${event.kind}): ${parsed.success ? "" : parsed.error.message}`).toBe(true);
    expect(() => JSON.stringify(event), `event ${index} (${event.kind}) does not serialise`).not.toThrow();
  });
}
