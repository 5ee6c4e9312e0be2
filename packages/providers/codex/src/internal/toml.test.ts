import { expectAsmError } from "@asm/testkit/assertions";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isTomlEncodable, tomlString, tomlValue } from "./toml.js";

describe("tomlValue", () => {
  it("encodes scalars, arrays and inline tables", () => {
    expect(tomlValue("a \"b\" \\ c\n")).toBe('"a \\"b\\" \\\\ c\\n"');
    expect(tomlValue("\u0001")).toBe('"\\u0001"');
    expect(tomlValue(3)).toBe("3");
    expect(tomlValue(1.5)).toBe("1.5");
    expect(tomlValue(false)).toBe("false");
    expect(tomlValue(["x", 1])).toBe('["x", 1]');
    expect(tomlValue({ name: "Fake", "base-url": "http://h", "odd key": true, nested: { n: 1 } })).toBe(
      '{name = "Fake", base-url = "http://h", "odd key" = true, nested = {n = 1}}',
    );
  });

  it.each([null, undefined, Number.POSITIVE_INFINITY, Number.NaN, () => 1, Symbol("s"), 10n])("rejects %s with config_invalid", (value) => {
    expectAsmError(() => tomlValue(value), "config_invalid");
    expect(isTomlEncodable(value)).toBe(false);
  });

  it("encodes any string as a quoted string that JSON-decodes back (TOML basic strings are JSON-compatible here)", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 40 }), (text) => {
        const encoded = tomlString(text);
        expect(encoded.startsWith('"') && encoded.endsWith('"')).toBe(true);
        expect(JSON.parse(encoded)).toBe(text);
      }),
    );
    // A hundred generated cases take about a second alone and far longer on a loaded machine; the
    // timeout keeps a slow run from failing without trying fewer cases.
  }, 120_000);
});
