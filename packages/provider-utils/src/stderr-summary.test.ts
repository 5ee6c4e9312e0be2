import { describe, expect, it } from "vitest";
import { summarizeStderr } from "./stderr-summary.js";

describe("summarizeStderr", () => {
  const tail = "Loaded cached credentials.\n    at Foo (x.js:1)\nfirst problem\n\nError: Error: second problem  \nlast words\n";

  it("keeps the last meaningful line by default", () => {
    expect(summarizeStderr(tail)).toBe("last words");
    expect(summarizeStderr(" \n\n")).toBe("");
  });

  it("drops noise and keeps the last n lines", () => {
    expect(summarizeStderr(tail, { noise: [/^Loaded cached/, /^at /, /^last/], lines: 3 })).toBe("first problem\nError: Error: second problem");
  });

  it("prefers Error: lines without their prefix", () => {
    expect(summarizeStderr(tail, { preferErrorLines: true })).toBe("second problem");
    expect(summarizeStderr("plain\n", { preferErrorLines: true })).toBe("plain");
  });

  it("is bounded", () => {
    const summary = summarizeStderr(`${"x".repeat(5000)}end`, { maxChars: 100 });
    expect(summary).toHaveLength(101);
    expect(summary.endsWith("end")).toBe(true);
  });
});
