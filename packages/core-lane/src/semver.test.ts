import { describe, expect, it } from "vitest";
import { compareSemver, formatRange, parseSemver, satisfiesRange } from "./semver.js";

describe("semver", () => {
  it("parses versions with a v prefix, pre-release and build metadata", () => {
    expect(parseSemver("v2.1.329")).toEqual({ major: 2, minor: 1, patch: 329, prerelease: [] });
    expect(parseSemver("1.0.0-beta.2+sha.1")).toEqual({ major: 1, minor: 0, patch: 0, prerelease: ["beta", "2"] });
    expect(parseSemver("1.0")).toBeNull();
    expect(parseSemver("claude 1.0.0")).toBeNull();
  });

  it("orders by precedence", () => {
    const ordered = ["0.9.9", "1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0", "1.0.1", "1.10.0", "2.0.0"];
    for (let index = 0; index < ordered.length - 1; index += 1) {
      const a = ordered[index] as string;
      const b = ordered[index + 1] as string;
      expect(compareSemver(a, b), `${a} < ${b}`).toBeLessThan(0);
      expect(compareSemver(b, a), `${b} > ${a}`).toBeGreaterThan(0);
    }
    expect(compareSemver("1.2.3+build", "1.2.3")).toBe(0);
  });

  it("checks ranges", () => {
    const range = { min: "2.1.0", maxExclusive: "3.0.0" };
    expect(satisfiesRange("2.1.0", range)).toBe(true);
    expect(satisfiesRange("2.9.99", range)).toBe(true);
    expect(satisfiesRange("3.0.0", range)).toBe(false);
    expect(satisfiesRange("2.0.9", range)).toBe(false);
    expect(satisfiesRange("3.0.0-rc.1", range)).toBe(true);
    expect(satisfiesRange("nonsense", range)).toBe(false);
    expect(satisfiesRange("9.0.0", { min: "1.0.0" })).toBe(true);
    expect(formatRange(range)).toBe(">=2.1.0 <3.0.0");
  });
});
