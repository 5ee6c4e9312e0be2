import { describe, expect, it } from "vitest";
import { addTokenCounts, finiteNumber, isRecord, nonEmptyString, nonNegativeInt, stringList, stringOf, tokenCount } from "./guards.js";

describe("guards", () => {
  it("isRecord accepts plain objects only", () => {
    expect(isRecord({ a: 1 })).toBe(true);
    expect(isRecord(JSON.parse('{"__proto__":1}'))).toBe(true);
    for (const value of [null, undefined, [], "x", 1, true]) expect(isRecord(value)).toBe(false);
  });

  it("nonEmptyString and finiteNumber reject everything else", () => {
    expect(nonEmptyString("a")).toBe("a");
    expect(nonEmptyString("")).toBeUndefined();
    expect(nonEmptyString(1)).toBeUndefined();
    expect(finiteNumber(1.5)).toBe(1.5);
    for (const value of [Number.NaN, Number.POSITIVE_INFINITY, "1", null]) expect(finiteNumber(value)).toBeUndefined();
  });

  it("nonNegativeInt floors and refuses values no payload accepts", () => {
    expect(nonNegativeInt(3.9)).toBe(3);
    expect(nonNegativeInt(-1)).toBeUndefined();
    expect(nonNegativeInt(2 ** 53)).toBeUndefined();
    expect(nonNegativeInt("3")).toBeUndefined();
  });

  it("tokenCount is always a safe non-negative integer", () => {
    expect(tokenCount(12.7)).toBe(12);
    expect(tokenCount(2 ** 60)).toBe(Number.MAX_SAFE_INTEGER);
    expect(tokenCount(Number.POSITIVE_INFINITY)).toBe(Number.MAX_SAFE_INTEGER);
    for (const value of [-5, Number.NaN, "9", null, undefined, {}]) expect(tokenCount(value)).toBe(0);
    expect(addTokenCounts(Number.MAX_SAFE_INTEGER, 10, 3)).toBe(Number.MAX_SAFE_INTEGER);
    expect(addTokenCounts(1, 2, -3)).toBe(3);
  });

  it("stringList keeps the strings of a list", () => {
    expect(stringList(["a", 1, "b", null])).toEqual(["a", "b"]);
    expect(stringList("a")).toBeUndefined();
  });

  it("stringOf never calls a value's toString", () => {
    const hostile = JSON.parse('{"toString":1,"valueOf":2}') as unknown;
    expect(() => String(hostile)).toThrow();
    expect(stringOf(hostile)).toBe("");
    expect(stringOf(hostile, "?")).toBe("?");
    expect(stringOf(7)).toBe("7");
    expect(stringOf(false)).toBe("false");
    expect(stringOf("x")).toBe("x");
    expect(stringOf(null, "none")).toBe("none");
  });
});
