import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { createEvent, isNativeLine, NativeLine, parseEvent, rawValueOf } from "./index.js";

const TEXT = '{"type":"stream_event","event":{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"hi \\"there\\"\\n"}},"session_id":"s1"}';
const scope = { runId: "r", sessionId: "s", provider: "claude" };

describe("NativeLine", () => {
  it("parses its text once, on the first read of its value", () => {
    const line = new NativeLine(TEXT, 3);
    const first = line.value;
    expect(first).toEqual(JSON.parse(TEXT));
    expect(line.value).toBe(first);
    expect(JSON.stringify({ raw: line })).toBe(JSON.stringify({ raw: JSON.parse(TEXT) }));
    expect(rawValueOf(line)).toBe(first);
    expect(rawValueOf(first)).toBe(first);
  });

  it("is recognised by its brand, also when made by another copy of the contract", () => {
    const brand = Symbol.for("asm.contract.native-line");
    const fromAnotherCopy = { text: "{}", depth: 1, value: {}, [brand]: true };
    expect(isNativeLine(new NativeLine("{}", 1))).toBe(true);
    expect(isNativeLine(fromAnotherCopy)).toBe(true);
    for (const other of [null, undefined, "{}", 1, {}, { text: "{}" }, { [brand]: "yes" }]) expect(isNativeLine(other)).toBe(false);
  });

  it("throws from value when its maker gave text that is not JSON", () => {
    expect(() => new NativeLine("{", 1).value).toThrow(SyntaxError);
  });
});

describe("an event built from a native line", () => {
  const plain = () => createEvent({ ...scope, id: "01J0000000000000000000000A", timestamp: "2026-01-01T00:00:00.000Z", kind: "assistant_delta", payload: { content: "hi" }, raw: JSON.parse(TEXT) });
  const lazy = () => createEvent({ ...scope, id: "01J0000000000000000000000A", timestamp: "2026-01-01T00:00:00.000Z", kind: "assistant_delta", payload: { content: "hi" }, raw: new NativeLine(TEXT, 3) });

  it("has the parsed line as its raw, a plain value to every reader", () => {
    const event = lazy();
    expect(isNativeLine(event.raw)).toBe(false);
    expect(event.raw).toEqual(JSON.parse(TEXT));
    expect(event.raw).toBe(event.raw);
    expect(event).toEqual(plain());
    expect(Object.keys(event)).toEqual(Object.keys(plain()));
    expect(JSON.stringify(event)).toBe(JSON.stringify(plain()));
    expect(structuredClone(event)).toEqual(plain());
    expect({ ...event }).toEqual(plain());
    expect(parseEvent(JSON.parse(JSON.stringify(event)))).toEqual(plain());
  });

  it("prints as the plain event it stands for", () => {
    expect(inspect(lazy(), { depth: 10 })).toBe(inspect(plain(), { depth: 10 }));
  });

  it("takes an assigned raw as a plain field, and can lose it", () => {
    const event = lazy();
    event.raw = { replaced: true };
    expect(event.raw).toEqual({ replaced: true });
    expect(Object.getOwnPropertyDescriptor(event, "raw")).toMatchObject({ value: { replaced: true }, writable: true, enumerable: true });
    const other = lazy();
    expect(delete (other as { raw?: unknown }).raw).toBe(true);
    expect("raw" in other).toBe(false);
  });
});
