import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AsmError, EVENT_KINDS, createEvent, isOutcomeEvent, isTerminalError, isUlid, parseEvent, ulid } from "./index.js";

describe("ulid", () => {
  it("encodes the time in the first ten characters so ids sort by time", () => {
    const a = ulid(1_700_000_000_000);
    const b = ulid(1_700_000_000_001);
    expect(a).toHaveLength(26);
    expect(isUlid(a)).toBe(true);
    expect(a < b).toBe(true);
    expect(a.slice(0, 10)).toBe(ulid(1_700_000_000_000).slice(0, 10));
    expect(() => ulid(-1)).toThrow(RangeError);
    expect(() => ulid(2 ** 48)).toThrow(RangeError);
  });

  it("spells the time in Crockford base32, most significant first", () => {
    const alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    const decode = (id: string) => [...id.slice(0, 10)].reduce((time, char) => time * 32 + alphabet.indexOf(char), 0);
    for (const time of [0, 1, 31, 32, 1_700_000_000_000, 2 ** 48 - 1]) expect(decode(ulid(time))).toBe(time);
    expect(ulid(0).slice(0, 10)).toBe("0000000000");
    expect(ulid(2 ** 48 - 1).slice(0, 10)).toBe("7ZZZZZZZZZ");
    // Alternating times must not leak one id's time into the next.
    expect(decode(ulid(5))).toBe(5);
    expect(decode(ulid(6))).toBe(6);
  });

  it("is unique across many calls in the same millisecond", () => {
    const ids = new Set(Array.from({ length: 2000 }, () => ulid(1)));
    expect(ids.size).toBe(2000);
  });
});

describe("events", () => {
  const scope = { runId: "r", sessionId: "s", provider: "claude" };

  it("applies payload defaults and validates payloads", () => {
    const event = createEvent({ ...scope, kind: "assistant_delta", payload: { content: "hi" } });
    expect(event.payload).toEqual({ content: "hi", format: "text" });
    expect(event.providerSessionId).toBeNull();
    expect(() => createEvent({ ...scope, kind: "tool_use", payload: { toolName: "x" } as never })).toThrow(AsmError);
    expect(() => createEvent({ ...scope, kind: "error", payload: { message: "m", code: "not_a_code" as "unknown" } })).toThrow(/invalid error payload/);
  });

  it("keeps unknown payload fields (loose payloads)", () => {
    const event = createEvent({ ...scope, kind: "result", payload: { text: "x", vendorField: 1 } });
    expect(event.payload).toMatchObject({ text: "x", vendorField: 1 });
  });

  it("parses stored events and moves unknown envelope fields into extra", () => {
    const event = createEvent({ ...scope, kind: "stderr", payload: { content: "oops" } });
    const parsed = parseEvent({ ...JSON.parse(JSON.stringify(event)), shard: 7 });
    expect(parsed).toMatchObject({ id: event.id, kind: "stderr", extra: { shard: 7 } });
    expect(() => parseEvent({ ...event, kind: "bogus" })).toThrow(AsmError);
    expect(() => parseEvent({ ...event, sequence: -1 })).toThrow(/invalid event envelope/);
    expect(() => parseEvent(null)).toThrow(AsmError);
  });

  it("has guardrail_triggered and identifies outcome events", () => {
    expect(EVENT_KINDS).toContain("guardrail_triggered");
    const warning = createEvent({ ...scope, kind: "error", payload: { message: "m", code: "parse_error", severity: "warning" } });
    const fatal = createEvent({ ...scope, kind: "error", payload: { message: "m", code: "runtime" } });
    expect(isTerminalError(warning)).toBe(false);
    expect(isTerminalError(fatal)).toBe(true);
    expect(isOutcomeEvent(createEvent({ ...scope, kind: "result", payload: {} }))).toBe(true);
    expect(isOutcomeEvent(warning)).toBe(false);
  });

  it("never throws from parseEvent on arbitrary input other than AsmError", () => {
    fc.assert(
      fc.property(fc.anything(), (value) => {
        try {
          parseEvent(value);
        } catch (error) {
          return AsmError.isInstance(error);
        }
        return true;
      }),
    );
  });
});

