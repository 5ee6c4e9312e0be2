import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { boundRaw, boundText, DEFAULT_RAW_LIMITS, TRUNCATED_KEY } from "./bounded-raw.js";

function nested(depth: number): unknown {
  let value: unknown = "leaf";
  for (let index = 0; index < depth; index += 1) value = index % 2 === 0 ? [value] : { child: value };
  return value;
}

describe("boundRaw", () => {
  it("keeps a value within the limits as it is, without copying", () => {
    const line = JSON.parse('{"type":"assistant","message":{"content":[{"type":"text","text":"hi"}]}}') as unknown;
    const { value, truncation } = boundRaw(line);
    expect(value).toBe(line);
    expect(truncation).toBeUndefined();
  });

  it("cuts nesting deeper than maxDepth so the value serialises", () => {
    // The shape that made `asm run --json` overflow its stack: a small line nested very deep.
    const deep = JSON.parse(`${"[".repeat(20_000)}0${"]".repeat(20_000)}`) as unknown;
    expect(() => JSON.stringify(deep)).toThrow(RangeError);
    const { value, truncation } = boundRaw(deep);
    expect(() => JSON.stringify(value)).not.toThrow();
    expect(truncation).toEqual({ depth: 1, entries: 0, nodes: 0, chars: 0, unsupported: 0 });
    expect(JSON.stringify(value)).toContain("nested deeper than 64 levels");
  });

  it("keeps exactly maxDepth levels", () => {
    expect(boundRaw(nested(64)).truncation).toBeUndefined();
    expect(boundRaw(nested(65)).truncation?.depth).toBe(1);
  });

  it("cuts long containers and counts what was lost", () => {
    const many = Array.from({ length: 25 }, (_, index) => index);
    const { value, truncation } = boundRaw({ many }, { maxEntries: 10 });
    expect((value as { many: unknown[] }).many).toEqual([...many.slice(0, 10), "[truncated 15 items]"]);
    expect(truncation?.entries).toBe(1);

    const wide = Object.fromEntries(Array.from({ length: 12 }, (_, index) => [`k${index}`, index]));
    const cut = boundRaw(wide, { maxEntries: 10 }).value as Record<string, unknown>;
    expect(Object.keys(cut)).toHaveLength(11);
    expect(cut[TRUNCATED_KEY]).toBe("2 more keys");
  });

  it("cuts text once the character budget is spent", () => {
    const { value, truncation } = boundRaw({ a: "x".repeat(60), b: "y".repeat(60) }, { maxChars: 100 });
    const copy = value as { a: string; b: string };
    expect(copy.a).toBe("x".repeat(60));
    expect(copy.b.startsWith("y".repeat(38))).toBe(true);
    expect(copy.b).toContain("[truncated 22 chars]");
    expect(truncation?.chars).toBe(1);
  });

  it("stops at maxNodes", () => {
    const { value, truncation } = boundRaw(Array.from({ length: 50 }, () => ({})), { maxNodes: 10 });
    expect((value as unknown[]).filter((item) => item === "[truncated: too many values]")).toHaveLength(41);
    expect(truncation?.nodes).toBe(41);
  });

  it("replaces what JSON cannot carry", () => {
    const cyclic: Record<string, unknown> = { name: "loop" };
    cyclic["self"] = cyclic;
    const { value, truncation } = boundRaw({ cyclic, big: 10n, fn: () => 1 });
    expect(JSON.parse(JSON.stringify(value))).toEqual({ cyclic: { name: "loop", self: "[circular]" }, big: "10", fn: "[unsupported: function]" });
    expect(truncation?.unsupported).toBe(3);
  });

  it("keeps __proto__ a plain key in a copy", () => {
    const parsed = JSON.parse(`{"__proto__":{"polluted":true},"deep":${JSON.stringify(nested(70))}}`) as object;
    const { value } = boundRaw(parsed);
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.hasOwn(value as object, "__proto__")).toBe(true);
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
  });

  it("always gives a value JSON.stringify accepts, within the default size", () => {
    const value = fc.oneof(fc.jsonValue({ maxDepth: 6 }), fc.nat(3000).map((depth) => nested(depth)));
    fc.assert(
      fc.property(value, (input) => {
        const bounded = boundRaw(input);
        const text = JSON.stringify(bounded.value) ?? "";
        expect(text.length).toBeLessThan(DEFAULT_RAW_LIMITS.maxChars * 2);
        if (bounded.truncation === undefined) expect(bounded.value).toBe(input);
      }),
      { numRuns: 300 },
    );
  });
});

describe("boundText", () => {
  it("cuts a long text with a marker", () => {
    expect(boundText("abcdef", 4)).toBe("abcd…[truncated 2 chars]");
    expect(boundText("abc", 4)).toBe("abc");
  });
});
