import { describe, expect, it } from "vitest";
import { firstDefined, firstNumber, firstString, lookup, ownValue } from "./own-property.js";

const PROTOTYPE_KEYS = ["__proto__", "constructor", "toString", "hasOwnProperty", "valueOf"];

describe("own-property lookups", () => {
  it("find nothing for keys inherited from Object.prototype", () => {
    const table = { UNAUTHENTICATED: 401 };
    for (const key of PROTOTYPE_KEYS) {
      expect(lookup(table, key), key).toBeUndefined();
      expect(ownValue({}, key), key).toBeUndefined();
      expect(firstDefined({}, key), key).toBeUndefined();
    }
    expect(lookup(table, "UNAUTHENTICATED")).toBe(401);
  });

  it("find own keys, even ones named like prototype members", () => {
    const parsed = JSON.parse('{"__proto__":"a","constructor":"b","toString":3}') as Record<string, unknown>;
    expect(ownValue(parsed, "__proto__")).toBe("a");
    expect(firstString(parsed, "constructor")).toBe("b");
    expect(firstNumber(parsed, "toString")).toBe(3);
  });

  it("first* read keys in order and skip what does not fit", () => {
    const line = { a: "", b: "x", c: null, d: 0, e: -1, f: 2 };
    expect(firstString(line, "a", "b")).toBe("x");
    expect(firstDefined(line, "c", "d")).toBe(0);
    expect(firstNumber(line, "e", "f")).toBe(2);
    expect(firstString(line, "missing")).toBeUndefined();
  });
});
