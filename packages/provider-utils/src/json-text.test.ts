import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeJsonString, JSON_STRING_SOURCE, PLAIN_STRING_SOURCE } from "./json-text.js";

const literal = new RegExp(`^${JSON_STRING_SOURCE}$`);
const plain = new RegExp(`^${PLAIN_STRING_SOURCE}$`);

describe("JSON string literals read from text", () => {
  it("match every literal JSON.stringify writes, and decode to the same string", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: "binary" }), fc.string({ unit: "grapheme" })), (text) => {
        const written = JSON.stringify(text);
        expect(literal.test(written)).toBe(true);
        expect(decodeJsonString(written)).toBe(text);
      }),
      { numRuns: 500 },
    );
  });

  it("match only what JSON.parse reads as a string", () => {
    for (const text of ['"a\\x"', '"a\\u12"', '"a\u0001"', '"a"b"', "'a'", '"a\\"', '"a', '"\\u00e9\\/\\b"']) {
      let parses: boolean;
      try {
        parses = typeof JSON.parse(text) === "string";
      } catch {
        parses = false;
      }
      expect(literal.test(text), text).toBe(parses);
    }
  });

  it("take a plain literal only without escapes", () => {
    expect(plain.exec('"abc-123"')?.[1]).toBe("abc-123");
    for (const text of ['"a\\nb"', '"a\u0001"', '"a"b"']) expect(plain.test(text), text).toBe(false);
  });
});
