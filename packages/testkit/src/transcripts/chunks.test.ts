import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { cutAt, framedLines } from "./chunks.js";

describe("cutAt", () => {
  it("cuts at sorted, distinct positions and loses nothing", () => {
    expect(cutAt("abcdef", [4, 2, 2])).toEqual(["ab", "cd", "ef"]);
    expect(cutAt("abc", [])).toEqual(["abc"]);
    expect(cutAt("abc", [10])).toEqual(["ab", "c"]);
  });

  it("cuts bytes too, inside a multi-byte character if need be", () => {
    const bytes = Buffer.from("aé");
    expect(cutAt(bytes, [2]).map((chunk) => [...chunk])).toEqual([[0x61, 0xc3], [0xa9]]);
    expect(Buffer.concat(cutAt(bytes, [1, 2])).toString("utf8")).toBe("aé");
  });
});

describe("framedLines", () => {
  it("frames complete lines and keeps a partial tail", () => {
    expect(framedLines(['{"a"', ":1}\n{", "}"])).toEqual(['{"a":1}', "{}"]);
    expect(framedLines(["a\n\nb\n"])).toEqual(["a", "", "b"]);
  });

  it("gives the same lines however the text is cut", () => {
    fc.assert(
      fc.property(fc.string(), fc.array(fc.nat(), { maxLength: 20 }), (text, cuts) => {
        expect(framedLines(cutAt(text, cuts))).toEqual(framedLines([text]));
        expect(cutAt(text, cuts).join("")).toBe(text);
      }),
      { numRuns: 300 },
    );
  });
});
