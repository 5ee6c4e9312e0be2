import { describe, expect, it } from "vitest";
import { painter, stripAnsi } from "./ansi.js";
import { formatCost } from "./format-cost.js";

describe("stripAnsi", () => {
  it("removes colours, cursor moves, erase and OSC sequences and keeps the text", () => {
    const text = "\u001b[1m\u001b[31mred\u001b[39m\u001b[22m \u001b[2K\r\u001b[1A\u001b[0Kok \u001b]0;title\u0007\u001b]8;;https://x\u001b\\link\u001b]8;;\u001b\\";
    expect(stripAnsi(text)).toBe("red \rok link");
  });

  it("leaves plain text unchanged", () => {
    expect(stripAnsi("a [b] {c} 100%")).toBe("a [b] {c} 100%");
  });

  it("round-trips painted text", () => {
    const paint = painter(true);
    expect(stripAnsi(paint("green", "ok") + paint("bold", "!"))).toBe("ok!");
    expect(painter(false)("green", "ok")).toBe("ok");
  });
});

describe("formatCost", () => {
  it("shows unknown cost as $? and never as zero", () => {
    expect(formatCost(null)).toBe("$?");
    expect(formatCost(undefined)).toBe("$?");
    expect(formatCost(0)).toBe("$0");
    expect(formatCost(0.000468)).toBe("$0.000468");
    expect(formatCost(0.0123456)).toBe("$0.0123");
    expect(formatCost(1.5)).toBe("$1.5");
    expect(formatCost(1e-9)).toBe("<$0.000001");
  });
});
